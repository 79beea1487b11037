#!/usr/bin/env bash
# `make demo`: the main job on the embedded default data.
#  1. Train hmax-wide on Fashion-MNIST (Debian's dataset-fashion-mnist, installed by
#     scripts/install_deps.sh) with the checked-in configs/demo.toml, evaluate the best
#     checkpoint on the 10,000 test images, print top-1 and the run folder.
#  2. The classic, fixed HMAX on the embedded reference photographs: imprint S2
#     prototypes, extract C2 and C1, draw the C1 maps of one image.
set -euo pipefail
build=${1:-build}
ventral="$build/apps/ventral"
fashion=/usr/share/datasets/fashion-mnist
out=demo-output
run="$out/fashion-hmax-wide"
mkdir -p "$out"
if [[ ! -f "$fashion/train-images-idx3-ubyte.gz" ]]; then
  echo "demo: $fashion is missing; run scripts/install_deps.sh (package dataset-fashion-mnist)" >&2
  exit 1
fi

# A fresh run folder each time (ventral train never overwrites a run silently).
rm -rf "$run"
start=$(date +%s)
"$ventral" train --config configs/demo.toml --output "$run"
"$ventral" eval --checkpoint "$run/best.pt" --data "idx:$fashion" --split t10k --out "$run/eval.json"
seconds=$(( $(date +%s) - start ))

images=data/hmax_reference/images
"$ventral" imprint --images "$images" --sizes 4,8,12,16 --per-size 25 --seed 1 --out "$out/prototypes.h5"
"$ventral" features --model hmax-classic --patches "$out/prototypes.h5" --layers c2 \
  --images "$images" --out "$out/c2.h5"
"$ventral" features --model hmax-classic --layers c1 --size 256 --images "$images" --out "$out/c1_256.h5"
"$ventral" show --model hmax-classic --layer c1 "$images/chelsea.png" --out "$out/chelsea_c1.png"

top1=$(/usr/bin/python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['top1']:.2f}\")" "$run/eval.json")
echo
echo "hmax-wide on Fashion-MNIST: test top-1 ${top1}% (10,000 test images), train + eval ${seconds} s"
echo "run folder: $run/ (config.toml, summary.csv, train.log, last.pt, best.pt, eval.json)"
echo
echo "hmax-classic outputs in $out/:"
echo "  prototypes.h5  100 S2 prototypes imprinted from the 8 reference images (seed 1)"
echo "  c2.h5          hmax-classic C2 (8 images x 100 prototypes)"
echo "  c1_256.h5      C1 bands of every image resized to 256 x 256"
echo "  chelsea_c1.png C1 maps of chelsea.png: 4 orientations (rows) x 8 bands (columns)"
