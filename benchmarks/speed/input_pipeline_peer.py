"""Peer of bench_input_pipeline: the timm/torchvision training input pipeline on PIL.

Usage: input_pipeline_peer.py FOLDER REPEATS SIZE
For every JPEG in FOLDER (sorted): Image.open + convert('RGB'), RandomResizedCrop(SIZE)
(bilinear), RandomHorizontalFlip, ToTensor, Normalize(ImageNet mean, std), on one thread.
Prints the CPU seconds of each pass over the folder (time.thread_time, so that other
load on the machine does not count), one per line.
"""
import os
import sys
import time

import torch
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode


def main(folder, repeats, size):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".jpg"))
    pipeline = transforms.Compose([
        transforms.RandomResizedCrop(size, interpolation=InterpolationMode.BILINEAR),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    for _ in range(repeats):
        start = time.thread_time()
        for path in files:
            with open(path, "rb") as f:
                image = Image.open(f).convert("RGB")
            pipeline(image)
        print(time.thread_time() - start, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
