#!/usr/bin/env bash
# The data of configs/ablations/hmax_progression.toml, in ./ablation_data (about 10 s):
#   gt/          the ground-truth cluttered set at 32 px (harmonization, alignment)
#   neural/      a population SIMULATED from hmax-classic C2 (the shipped prototypes) on 400
#                Fashion-MNIST test images: 100 sites x 10 trials, noise 1
#   benchmarks/experiments/hmax_progression_data.sh [VENTRAL] [REPO]
set -euo pipefail
repo=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
ventral=$(realpath "${1:-$repo/build/apps/ventral}")
mkdir -p ablation_data/neural
cd ablation_data
"$ventral" data cluttered --out gt --count 6000 --size 32 --seed 0 | tail -n 1
"$ventral" features --model hmax-classic --patches "$repo/data/hmax_reference/patches.h5" --layers c2 \
  --data idx:/usr/share/datasets/fashion-mnist --split t10k --count 400 --size 64 \
  --out neural/features.h5 | tail -n 1
"$ventral" neural simulate --features neural/features.h5 --layer c2 --sites 100 --reps 10 --noise 1.0 \
  --seed 1 --out neural/sim.h5 | tail -n 2
