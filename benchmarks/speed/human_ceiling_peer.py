"""The peer of `ventral align --human-ceiling`: the split-half ceiling as
serre-lab/human_clickme_data_processing computes it (per half: the participants' uint8 click
canvases averaged, utils.circle_kernel applied twice with torch's conv2d(padding="same"),
centre crop, scipy.stats.spearmanr), without its bootstrap so that it estimates the same
quantity. Its own random splits: the ceiling agrees with ventral's to the spread of the splits.

    human_ceiling_peer.py CLICKS.csv ITERATIONS THREADS   prints JSON {ceiling, floor, seconds}
"""
import ast
import csv
import json
import sys
import time

import numpy as np
import scipy.stats
import torch
import torch.nn.functional as F


def circle_kernel(size):
    r = (size - 1) / 2
    y, x = np.mgrid[0:size, 0:size]
    mask = ((x - r) ** 2 + (y - r) ** 2 <= r ** 2).astype(np.float32)
    return torch.from_numpy(mask / mask.sum())[None, None]


def main():
    path, iterations, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    start = time.perf_counter()
    trials = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            key = "/".join(row["file_pointer"].split("/")[-2:])
            canvas = np.zeros((256, 256), np.uint8)
            for x, y in zip(ast.literal_eval(row["clickmap_x"]), ast.literal_eval(row["clickmap_y"])):
                if 0 <= x < 256 and 0 <= y < 256 and canvas[y, x] < 255:
                    canvas[y, x] += 1
            trials.setdefault(key, []).append(canvas)
    names = sorted(trials)
    kernel = circle_kernel(21)

    def half_map(maps):
        m = torch.from_numpy(np.mean(maps, axis=0).astype(np.float32))[None, None]
        m = F.conv2d(F.conv2d(m, kernel, padding="same"), kernel, padding="same")[0, 0]
        return m[16:240, 16:240].numpy().ravel()

    rng = np.random.default_rng(0)
    ceilings, floors = [], []
    for i, name in enumerate(names):
        other = names[(i + 1 + rng.integers(len(names) - 1)) % len(names)]
        own, theirs = np.array(trials[name]), np.array(trials[other])
        c, fl = [], []
        for _ in range(iterations):
            p, q = rng.permutation(len(own)), rng.permutation(len(theirs))
            first, second = half_map(own[p[:len(own) // 2]]), half_map(own[p[len(own) // 2:]])
            other_second = half_map(theirs[q[len(theirs) // 2:]])
            c.append(scipy.stats.spearmanr(first, second)[0])
            fl.append(scipy.stats.spearmanr(first, other_second)[0])
        ceilings.append(np.nanmean(c))
        floors.append(np.nanmean(fl))
    print(json.dumps({"ceiling": float(np.mean(ceilings)), "floor": float(np.mean(floors)),
                      "images": len(names), "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
