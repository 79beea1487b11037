#!/usr/bin/python3
"""Reference data for ventral's neural_fit tests, written with Debian's python3-sklearn,
python3-xarray and python3-netcdf4 (run with /usr/bin/python3).

usage: make_reference.py OUTDIR [--assemblies-only]

Writes into OUTDIR:
  regression_reference.h5  features (float32), targets, splits, and scikit-learn's
                           PLSRegression / Ridge / RidgeCV / LinearRegression predictions
                           and Brain-Score-style scores
  brainio_compressed.nc    assembly as brainio's write_netcdf(compress=True) writes it
  brainio_plain.nc         assembly as DataArray.to_netcdf writes it (dims transposed)
  brainio_legacy.nc        legacy image_id instead of stimulus_id, 2-D, no time_bin
  brainio_nan.nc           one neuroid with a NaN response
  no_data_variable.nc      a netCDF file with coordinates only
  assembly_expected.h5     the repetition-averaged IT responses at time bin 70-170
  features.h5              stimulus_id plus layers c1 (N x 4 x 5 x 5) and c2 (N x 30)
"""
import os
import sys
import warnings

import h5py
import numpy as np
import scipy.stats
import xarray as xr
from sklearn.cross_decomposition import PLSRegression
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV
from sklearn.metrics import explained_variance_score

warnings.filterwarnings("ignore")

ALPHAS = [0.01, 0.1, 0.5, 1.0, *np.linspace(1e1, 1e2, 4, endpoint=False),
          *np.linspace(1e2, 1e3, 18, endpoint=False), *np.linspace(1e3, 1e4, 18, endpoint=False),
          *np.linspace(1e4, 1e5, 18, endpoint=False), *np.linspace(1e5, 1e6, 18, endpoint=False),
          *np.linspace(1e6, 1e7, 19)]


def brainscore_score(pred_list, test_list):
    """mean over splits of the median over neuroids of scipy's Pearson r."""
    medians = []
    for pred, actual in zip(pred_list, test_list):
        r = [scipy.stats.pearsonr(pred[:, j], actual[:, j])[0] for j in range(actual.shape[1])]
        medians.append(np.nanmedian(r))
    return float(np.mean(medians))


def composed_score(pred_list, test_list, correlation, aggregation):
    """mean over splits of an aggregation over neuroids of a per-neuroid correlation:
    scipy's spearmanr or sklearn's explained_variance_score, np.nanmedian or np.nanmean."""
    per_split = []
    for pred, actual in zip(pred_list, test_list):
        if correlation == "spearman":
            r = [scipy.stats.spearmanr(pred[:, j], actual[:, j])[0] for j in range(actual.shape[1])]
        else:
            r = explained_variance_score(actual, pred, multioutput="raw_values")
        per_split.append(np.nanmedian(r) if aggregation == "median" else np.nanmean(r))
    return float(np.mean(per_split))


def regression_reference(out):
    rng = np.random.RandomState(7)
    n, q, n_splits = 120, 12, 5
    latent = rng.randn(n, 6)
    ids = np.array([f"stim{i:04d}" for i in range(n)], dtype=object)
    y = latent @ rng.randn(6, q) + 0.5 * rng.randn(n, q)
    splits = []
    for _ in range(n_splits):
        perm = rng.permutation(n)
        splits.append((np.sort(perm[12:]), np.sort(perm[:12])))
    with h5py.File(out, "w") as f:
        f["stimulus_id"] = ids.astype("S")
        f["Y"] = y
        for k, (tr, te) in enumerate(splits):
            f[f"train/{k}"] = tr.astype(np.int64)
            f[f"test/{k}"] = te.astype(np.int64)
        for name, p in (("wide", 300), ("narrow", 40)):
            x = (latent @ rng.randn(6, p) + rng.randn(n, p)).astype(np.float32)
            x[:, 3] = 1.5  # a constant feature
            f[f"X_{name}"] = x
            xd = x.astype(np.float64)
            models = {
                "pls": lambda: PLSRegression(n_components=25, scale=False),
                "ridge": lambda: Ridge(alpha=1.0),
                "ridgecv": lambda: RidgeCV(alphas=ALPHAS),
                "linear": lambda: LinearRegression(),
            }
            for method, make in models.items():
                preds, tests = [], []
                for k, (tr, te) in enumerate(splits):
                    model = make().fit(xd[tr], y[tr])
                    pred = model.predict(xd[te])
                    f[f"{method}_{name}/prediction/{k}"] = pred
                    if method == "ridgecv":
                        f[f"{method}_{name}/alpha/{k}"] = float(model.alpha_)
                    preds.append(pred)
                    tests.append(y[te])
                f[f"{method}_{name}/score"] = brainscore_score(preds, tests)
                for correlation in ("spearman", "explained_variance"):
                    for aggregation in ("median", "mean"):
                        f[f"{method}_{name}/score_{correlation}_{aggregation}"] = composed_score(
                            preds, tests, correlation, aggregation)
            # Minimum-norm least squares by numpy's pinv. With a rank-deficient centred X
            # (the constant feature; n_train <= p) sklearn's lstsq keeps a rounding-level
            # singular value (~1e-13) and its answer depends on rounding; the pinv solution
            # is the exact-arithmetic one. LinearRegression is also run on the full-rank
            # narrow features (constant column removed) below.
            preds, tests = [], []
            for k, (tr, te) in enumerate(splits):
                xm, ym = xd[tr].mean(0), y[tr].mean(0)
                coef = np.linalg.pinv(xd[tr] - xm) @ (y[tr] - ym)
                pred = (xd[te] - xm) @ coef + ym
                f[f"minnorm_{name}/prediction/{k}"] = pred
                preds.append(pred)
                tests.append(y[te])
            f[f"minnorm_{name}/score"] = brainscore_score(preds, tests)
            if name == "narrow":
                full = np.delete(xd, 3, axis=1)
                preds = [LinearRegression().fit(full[tr], y[tr]).predict(full[te]) for tr, te in splits]
                for k, pred in enumerate(preds):
                    f[f"fullrank_{name}/prediction/{k}"] = pred
                f[f"fullrank_{name}/score"] = brainscore_score(preds, [y[te] for _, te in splits])


def assembly(rng, n_stim=24, n_rep=3, n_neuroid=6):
    stim = np.array([f"img{i:03d}" for i in range(n_stim)], dtype=object)
    objects = np.array([f"obj{i % 4}" for i in range(n_stim)], dtype=object)
    signal = rng.randn(n_stim, n_neuroid, 2)
    values = np.concatenate([signal + 0.5 * rng.randn(n_stim, n_neuroid, 2) for _ in range(n_rep)])
    pres_stim = np.tile(stim, n_rep)
    order = rng.permutation(len(pres_stim))  # presentations in shuffled order, as recorded
    values = values[order]
    coords = {
        "stimulus_id": ("presentation", pres_stim[order]),
        "repetition": ("presentation", np.repeat(np.arange(n_rep), n_stim)[order].astype(np.int64)),
        "object_name": ("presentation", np.tile(objects, n_rep)[order]),
        "neuroid_id": ("neuroid", np.array([f"Chabo_L_M_{j}" for j in range(n_neuroid)], dtype=object)),
        "region": ("neuroid", np.array(["IT", "IT", "V4", "IT", "V4", "IT"], dtype=object)[:n_neuroid]),
        "time_bin_start": ("time_bin", np.array([70, 170], dtype=np.int64)),
        "time_bin_end": ("time_bin", np.array([170, 270], dtype=np.int64)),
    }
    da = xr.DataArray(values.astype(np.float32), dims=("presentation", "neuroid", "time_bin"), coords=coords)
    da = da.set_index(presentation=["stimulus_id", "repetition", "object_name"],
                      neuroid=["neuroid_id", "region"], time_bin=["time_bin_start", "time_bin_end"])
    return da


def write_brainio_compressed(da, path):
    """brain-score/brainio packaging.write_netcdf(compress=True): zlib level 1 on every
    variable; netCDF-C >= 4.9 refuses filters on variable-length strings, so those stay
    uncompressed here (older netCDF-C silently skipped them)."""
    ds = da.reset_index(list(da.indexes)).to_dataset(name="data")
    encoding = {k: {"zlib": True, "complevel": 1} for k in ds.variables if ds[k].dtype != object}
    ds.to_netcdf(path, encoding=encoding)


def assemblies(outdir):
    rng = np.random.RandomState(3)
    da = assembly(rng)
    write_brainio_compressed(da, os.path.join(outdir, "brainio_compressed.nc"))
    plain = da.reset_index(list(da.indexes)).transpose("neuroid", "presentation", "time_bin")
    plain.to_netcdf(os.path.join(outdir, "brainio_plain.nc"))
    flat = da.reset_index(list(da.indexes))
    legacy = flat.isel(time_bin=0).drop_vars(["time_bin_start", "time_bin_end"])
    legacy = legacy.rename({"stimulus_id": "image_id"})
    legacy.to_netcdf(os.path.join(outdir, "brainio_legacy.nc"))
    nan = da.copy()
    nan.values[5, 1, 0] = np.nan
    write_brainio_compressed(nan, os.path.join(outdir, "brainio_nan.nc"))
    xr.Dataset(coords={"x": ("x", np.arange(4))}).to_netcdf(os.path.join(outdir, "no_data_variable.nc"))
    values = flat.isel(time_bin=0).values  # presentation x neuroid
    stim = flat.stimulus_id.values
    it_cols = np.where(flat.region.values == "IT")[0]
    ids = sorted(set(stim))
    mean = np.stack([values[stim == s][:, it_cols].mean(axis=0) for s in ids])
    with h5py.File(os.path.join(outdir, "assembly_expected.h5"), "w") as f:
        f["stimulus_id"] = np.array(ids, dtype="S")
        f["responses"] = mean.astype(np.float64)
        f["neuroid_id"] = np.array(flat.neuroid_id.values[it_cols], dtype="S")
    ids = sorted(set(flat.stimulus_id.values))
    with h5py.File(os.path.join(outdir, "features.h5"), "w") as f:
        f.create_dataset("stimulus_id", data=np.array(ids, dtype=object), dtype=h5py.string_dtype())
        f["c1"] = rng.randn(len(ids), 4, 5, 5).astype(np.float32)
        f["c2"] = rng.randn(len(ids), 30).astype(np.float32)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    if "--assemblies-only" not in sys.argv:
        regression_reference(os.path.join(outdir, "regression_reference.h5"))
    assemblies(outdir)


if __name__ == "__main__":
    main()
