#!/usr/bin/env bash
# Performance benchmarks, each against its peer in the same run. Results go to
# benchmarks/speed/results/*.json; run on an otherwise idle machine.
set -euo pipefail
build=${1:-build}
mkdir -p benchmarks/speed/results
"$build/benchmarks/speed/bench_hmax_classic" --sizes 224,512 --batch 32 --threads 2 --repeats 3 \
  --patches data/hmax_reference/patches.h5 --json benchmarks/speed/results/hmax_classic.json
# hmax-wide training step at 224 px, batch 32, against a plain 3x3 conv stack.
"$build/benchmarks/speed/bench_train_step" --size 224 --batch 32 --threads 2 --repeats 5 \
  --json benchmarks/speed/results/train_step.json
# JPEG decode + random-resized-crop + flip against Pillow + torchvision, one thread each.
"$build/benchmarks/speed/bench_input_pipeline" --repeats 5 --json benchmarks/speed/results/input_pipeline.json
# The alignment score's Spearman against scipy.stats.spearmanr, one thread each.
"$build/benchmarks/speed/bench_alignment" --images 200 --repeats 5 --json benchmarks/speed/results/alignment_spearman.json
# Scoring 1,000 ClickMe images with hmax-wide at 224 px (writes results/align_speed.json).
bash benchmarks/speed/align_speed.sh "$build" 1000
# Harmonized (double-backprop) training step against a plain one, every trainable family.
"$build/benchmarks/speed/bench_harmonize_step" --batch 16 --threads 2 --repeats 3 \
  --json benchmarks/speed/results/harmonize_step.json
