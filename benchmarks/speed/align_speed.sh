#!/usr/bin/env bash
# ClickMe alignment scoring speed of a trained model (issue: 1,000 images with hmax-wide at
# 224 on 2 cores): images/s of `ventral align --checkpoint` and the share of the wall time
# spent outside the model's forward + backward. The ClickMe file is generated (random
# photographs and smooth heatmaps in ventral's ClickMe HDF5 format, since the release cannot
# be downloaded here); the model is hmax-wide trained for one epoch on 64 generated images,
# so only the timing is meaningful, not the score.
#
#   benchmarks/speed/align_speed.sh [BUILD] [IMAGES]     writes benchmarks/speed/results/align_speed.json
set -euo pipefail
build=${1:-build}
images=${2:-1000}
ventral="$build/apps/ventral"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work" "$images" <<'PY'
import sys, h5py, numpy as np
import torch, torch.nn.functional as F
work, n = sys.argv[1], int(sys.argv[2])
rng = np.random.RandomState(0)
with h5py.File(f"{work}/train.h5", "w") as f:  # 64 images in 10 classes for a 1-epoch model
    f["images"] = rng.randint(0, 256, size=(64, 256, 256, 3), dtype=np.uint8)
    f["labels"] = np.arange(64, dtype=np.int64) % 10
    f["classes"] = np.array([f"c{i}" for i in range(10)], dtype=h5py.string_dtype())
with h5py.File(f"{work}/clickme.h5", "w") as f:
    images = f.create_dataset("images", (n, 256, 256, 3), dtype=np.uint8)
    maps = f.create_dataset("maps", (n, 256, 256), dtype=np.float32)
    for begin in range(0, n, 100):
        k = min(100, n - begin)
        images[begin:begin + k] = rng.randint(0, 256, size=(k, 256, 256, 3), dtype=np.uint8)
        coarse = torch.from_numpy(rng.rand(k, 1, 16, 16).astype(np.float32))
        maps[begin:begin + k] = F.interpolate(coarse, size=(256, 256), mode="bicubic", align_corners=False)[:, 0].numpy() * 255
    f["labels"] = np.arange(n, dtype=np.int64) % 10
    f.create_dataset("stimulus_id", data=np.array([f"val#{i}" for i in range(n)], dtype=object), dtype=h5py.string_dtype())
PY
"$ventral" train --model hmax-wide --data "h5:$work/train.h5" --img-size 224 --epochs 1 --batch-size 16 \
  --output "$work/run" --threads 2 > /dev/null
"$ventral" align --checkpoint "$work/run/best.pt" --clickme "clickme:$work/clickme.h5" --threads 2 \
  --batch-size 16 --out "$work/align.json"
mkdir -p benchmarks/speed/results
/usr/bin/python3 - "$work/align.json" "$images" <<'PY' > benchmarks/speed/results/align_speed.json
import json, sys
r = json.load(open(sys.argv[1]))
out = {"model": "hmax-wide", "size": 224, "images": int(sys.argv[2]), "threads": 2, "batch": 16,
       "seconds": r["seconds"], "model_seconds": r["model_seconds"],
       "images_per_s": r["n"] / r["seconds"], "share_outside_model": 1 - r["model_seconds"] / r["seconds"]}
print(json.dumps(out))
PY
cat benchmarks/speed/results/align_speed.json
