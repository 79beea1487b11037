"""Pillow / torchvision reference outputs for tests/data (run by data_test).

Usage: pil_reference.py JOBS_FILE
Each line of JOBS_FILE is `OP IN OUT ARGS...`:
  decode IN OUT MODE                 Image.open(IN).convert(MODE), saved as PNG
  resize IN OUT MODE W H             .resize((W, H), BILINEAR)
  eval IN OUT MODE SIZE CROP_PCT     Resize(floor(SIZE / CROP_PCT)) + CenterCrop(SIZE)
  crop IN OUT MODE I J H W SIZE      F.resized_crop(img, I, J, H, W, [SIZE, SIZE], BILINEAR)
  tensor IN OUT MODE                 ToTensor + Normalize(ImageNet mean, std): raw float32 CHW
  jpeg IN OUT QUALITY SUBSAMPLING    save IN as a JPEG (subsampling 0 = 4:4:4, 2 = 4:2:0)
"""
import math
import sys

import numpy as np
import torch
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode
from torchvision.transforms import functional as F

BILINEAR = InterpolationMode.BILINEAR


def main(jobs_file):
    torch.set_num_threads(1)
    for line in open(jobs_file):
        parts = line.split()
        if not parts:
            continue
        op, src, out, *args = parts
        if op == "jpeg":
            Image.open(src).convert("RGB").save(out, quality=int(args[0]), subsampling=int(args[1]))
            continue
        img = Image.open(src).convert(args[0])
        if op == "decode":
            result = img
        elif op == "resize":
            result = img.resize((int(args[1]), int(args[2])), Image.BILINEAR)
        elif op == "eval":
            size, crop_pct = int(args[1]), float(args[2])
            pipeline = transforms.Compose([
                transforms.Resize(math.floor(size / crop_pct), interpolation=BILINEAR),
                transforms.CenterCrop(size)])
            result = pipeline(img)
        elif op == "crop":
            i, j, h, w, size = (int(a) for a in args[1:6])
            result = F.resized_crop(img, i, j, h, w, [size, size], BILINEAR)
        elif op == "tensor":
            tensor = transforms.Compose([
                transforms.ToTensor(),
                transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])(img)
            tensor.numpy().astype("<f4").tofile(out)
            continue
        else:
            raise SystemExit(f"unknown op {op}")
        result.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
