#!/usr/bin/python3
"""scikit-learn peer of benchmarks/speed/neural_fit_bench.cpp: Brain-Score's PLS metric
(PLSRegression(n_components=25, scale=False), Pearson per neuroid, median, mean over
splits) on the same files and splits. Run with Debian's /usr/bin/python3; the thread
count is set through OMP_NUM_THREADS / OPENBLAS_NUM_THREADS by the caller.

usage: sklearn_pls_peer.py FEATURES.h5 LAYER NEURAL.h5 SPLITS.h5 MAX_SPLITS OUT.h5
OUT.h5 gets prediction/<k>, per_split_median (k), seconds (fit + predict + score, after
loading), peak_rss_bytes (ru_maxrss of this process).
"""
import resource
import sys
import time

import h5py
import numpy as np
import scipy.stats
from sklearn.cross_decomposition import PLSRegression


def main():
    features, layer, neural, splits_path, max_splits, out = sys.argv[1:7]
    max_splits = int(max_splits)
    with h5py.File(features, "r") as f:
        feature_ids = [s.decode() if isinstance(s, bytes) else s for s in f["stimulus_id"][()]]
        x_all = f[layer][()]
    with h5py.File(neural, "r") as f:
        ids = [s.decode() if isinstance(s, bytes) else s for s in f["stimulus_id"][()]]
        y = f["responses"][()].astype(np.float64)
        if y.ndim == 3:
            y = y.mean(axis=0)
    # the neural stimuli sorted by id, as ventral orders them
    order = np.argsort(ids, kind="stable")
    ids = [ids[i] for i in order]
    y = y[order]
    row = {s: i for i, s in enumerate(feature_ids)}
    x = x_all[[row[s] for s in ids]].reshape(len(ids), -1)
    del x_all
    with h5py.File(splits_path, "r") as f:
        split_ids = [s.decode() if isinstance(s, bytes) else s for s in f["stimulus_id"][()]]
        pos = {s: i for i, s in enumerate(ids)}
        splits = []
        for k in range(min(max_splits, len(f["train"]))):
            tr = np.sort([pos[split_ids[i]] for i in f[f"train/{k}"][()]])
            te = np.sort([pos[split_ids[i]] for i in f[f"test/{k}"][()]])
            splits.append((tr, te))
    start = time.perf_counter()
    medians, predictions = [], []
    for tr, te in splits:
        model = PLSRegression(n_components=25, scale=False).fit(x[tr], y[tr])
        pred = model.predict(x[te])
        r = [scipy.stats.pearsonr(pred[:, j], y[te][:, j])[0] for j in range(y.shape[1])]
        medians.append(np.nanmedian(r))
        predictions.append(pred)
    seconds = time.perf_counter() - start
    with h5py.File(out, "w") as f:
        for k, p in enumerate(predictions):
            f[f"prediction/{k}"] = p
        f["per_split_median"] = np.array(medians)
        f["seconds"] = seconds
        f["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
