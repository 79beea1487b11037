#!/usr/bin/env bash
# The demo on the embedded reference photographs: imprint S2 prototypes, extract C2 and
# C1, and draw the C1 maps of one image.
set -euo pipefail
build=${1:-build}
ventral="$build/apps/ventral"
images=data/hmax_reference/images
out=demo-output
mkdir -p "$out"

"$ventral" imprint --images "$images" --sizes 4,8,12,16 --per-size 25 --seed 1 --out "$out/prototypes.h5"
"$ventral" features --model hmax-classic --patches "$out/prototypes.h5" --layers c2 \
  --images "$images" --out "$out/c2.h5"
"$ventral" features --model hmax-classic --layers c1 --size 256 --images "$images" --out "$out/c1_256.h5"
"$ventral" show --model hmax-classic --layer c1 "$images/chelsea.png" --out "$out/chelsea_c1.png"
echo
echo "demo outputs in $out/:"
echo "  prototypes.h5  100 S2 prototypes imprinted from the 8 reference images (seed 1)"
echo "  c2.h5          hmax-classic C2 (8 images x 100 prototypes)"
echo "  c1_256.h5      C1 bands of every image resized to 256 x 256"
echo "  chelsea_c1.png C1 maps of chelsea.png: 4 orientations (rows) x 8 bands (columns)"
