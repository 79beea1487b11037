"""Peer of bench_alignment: scipy.stats.spearmanr on the same 224 x 224 map pairs.

Usage: scipy_spearman_peer.py MAPS.h5 REPEATS IMAGES
Prints the median seconds per image over REPEATS rounds, then each pair's rho, one per line.
"""
import sys
import time

import h5py
import numpy as np
import scipy.stats


def main():
    path, repeats, images = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with h5py.File(path) as f:
        saliency, human = f["saliency"][:images], f["human"][:images]
    times, rho = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        rho = [scipy.stats.spearmanr(s.ravel(), h.ravel())[0] for s, h in zip(saliency, human)]
        times.append((time.perf_counter() - start) / images)
    print(f"{np.median(times):.9f}")
    for r in rho:
        print(f"{r:.17g}")


if __name__ == "__main__":
    main()
