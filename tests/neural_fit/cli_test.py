#!/usr/bin/python3
"""End-to-end test of `ventral fit` and `ventral neural simulate` on real files.

usage: cli_test.py VENTRAL_BINARY SOURCE_DIR
Runs the binary on features written here with h5py, on its own simulated populations and
on BrainIO NetCDF fixtures from make_reference.py; checks the printed table, the JSON and
CSV contents, and that every bad input gives one line on stderr, exit code 2 and no
result file.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

VENTRAL, SOURCE = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, OMP_WAIT_POLICY="passive")


def run(*args):
    return subprocess.run([VENTRAL, *args], capture_output=True, text=True, env=ENV)


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def write_features(path, n, seed, duplicate=False):
    rng = np.random.RandomState(seed)
    ids = [f"im{i:04d}" for i in range(n)]
    if duplicate:
        ids[1] = ids[0]
    latent = rng.randn(n, 6)
    with h5py.File(path, "w") as f:
        f.create_dataset("stimulus_id", data=np.array(ids, dtype=object), dtype=h5py.string_dtype())
        f["c2"] = (latent @ rng.randn(6, 40) + 0.1 * rng.randn(n, 40)).astype(np.float32)
        f["c1"] = rng.randn(n, 4, 6, 6).astype(np.float32)


def expect_error(tmp, label, args, needle):
    out = os.path.join(tmp, f"err_{label}.json")
    r = run(*args, "--out", out)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    check(r.returncode == 2, f"{label}: exit {r.returncode}, stderr {r.stderr!r}")
    check(len(lines) == 1, f"{label}: expected one stderr line, got {lines}")
    check(needle in lines[0], f"{label}: {needle!r} not in {lines[0]!r}")
    check(not os.path.exists(out) and not os.path.exists(out[:-5] + ".csv"), f"{label}: partial output left")
    leftovers = [p for p in os.listdir(tmp) if ".tmp." in p]
    check(not leftovers, f"{label}: temporary files left: {leftovers}")


def test_simulate_and_fit(tmp):
    feats = os.path.join(tmp, "features.h5")
    write_features(feats, 300, 1)
    sim = os.path.join(tmp, "sim.h5")
    r = run("neural", "simulate", "--features", feats, "--layer", "c2", "--sites", "30", "--reps", "6",
            "--noise", "1.0", "--seed", "2", "--out", sim)
    check(r.returncode == 0, f"simulate failed: {r.stderr}")
    analytic = float(h5py.File(sim)["analytic_ceiling"][0])
    check(abs(analytic - 1 / (1 + 1 / 6)) < 1e-9, f"analytic ceiling {analytic}")
    out = os.path.join(tmp, "result.json")
    r = run("fit", "--features", feats, "--neural", sim, "--layers", "c2,c1", "--out", out)
    check(r.returncode == 0, f"fit failed: {r.stderr}")
    check("ev2026" in r.stdout and "c2" in r.stdout, f"table missing: {r.stdout}")
    result = json.load(open(out))
    layers = {item["layer"]: item for item in result["layers"]}
    ceiling = result["ceiling"]["value"]
    check(abs(ceiling - analytic) < 0.04, f"ceiling {ceiling} vs analytic {analytic}")
    c2, c1 = layers["c2"], layers["c1"]
    check(abs(c2["ceiled_ev2026"] - 1.0) < 0.1, f"generating layer ev2026 {c2['ceiled_ev2026']}")
    check(abs(c2["ceiled_ev2026"] - c2["raw"] ** 2 / ceiling) < 1e-12, "ev2026 = raw^2 / ceiling")
    check(abs(c2["ceiled_ev2019"] - (c2["raw"] / ceiling) ** 2) < 1e-12, "ev2019 = (raw / ceiling)^2")
    check(abs(c1["raw"]) < 0.15, f"random layer raw {c1['raw']}")
    check(len(c2["per_split_per_neuroid"]) == 10 and len(c2["per_split_per_neuroid"][0]) == 30, "per-neuroid r kept")
    rows = list(csv.DictReader(open(out[:-5] + ".csv")))
    check([row["layer"] for row in rows] == ["c2", "c1"], f"csv rows {rows}")
    check(abs(float(rows[0]["raw"]) - c2["raw"]) < 1e-9, "csv raw equals json raw")
    check(result["correlation"] == "pearson" and result["aggregation"] == "median", "default metric recorded")

    # The same fit with Spearman's rho averaged over neuroids: recorded, and a different
    # number from the same predictions (the generating layer still scores high).
    out_rho = os.path.join(tmp, "rho.json")
    r = run("fit", "--features", feats, "--neural", sim, "--layers", "c2", "--correlation", "spearman",
            "--aggregation", "mean", "--out", out_rho)
    check(r.returncode == 0, f"spearman fit failed: {r.stderr}")
    rho = json.load(open(out_rho))
    check(rho["correlation"] == "spearman" and rho["aggregation"] == "mean", "metric recorded")
    rho_c2 = rho["layers"][0]
    check(rho_c2["raw"] != c2["raw"] and rho_c2["raw"] > 0.5, f"spearman raw {rho_c2['raw']} vs {c2['raw']}")
    per_split = [np.mean([v for v in row if v is not None]) for row in rho_c2["per_split_per_neuroid"]]
    check(np.allclose(per_split, rho_c2["per_split"], atol=1e-12), "mean over neuroids per split")
    return feats, sim


def test_brainio(tmp, ref):
    out = os.path.join(tmp, "brainio.json")
    r = run("fit", "--features", os.path.join(ref, "features.h5"), "--neural", os.path.join(ref, "brainio_compressed.nc"),
            "--region", "IT", "--time-bin", "70,170", "--splits", "4", "--method", "ridgecv", "--out", out)
    check(r.returncode == 0, f"brainio fit failed: {r.stderr}")
    result = json.load(open(out))
    check(result["splits"] == "shuffle" and result["method"] == "ridgecv", "run info recorded")
    check(all("alpha=" in d for d in result["layers"][0]["split_details"]), "chosen alphas recorded")
    check(len(result["neuroid_ids"]) == 4, "IT neuroids")


def test_patch(tmp):
    rng = np.random.RandomState(4)
    images, grid, sites, reps = 5, 4, 3, 4
    maps = rng.randn(images, 2, 8, 8).astype(np.float32)
    pooled = maps.reshape(images, 2, grid, 2, grid, 2).mean(axis=(3, 5))  # area average 8 -> 4
    signal = np.einsum("icyx,cs->iyxs", pooled, rng.randn(2, sites))
    responses = signal[..., None] + 0.2 * rng.randn(images, grid, grid, sites, reps)
    ids = np.array([f"face{i}" for i in range(images)], dtype=object)
    with h5py.File(os.path.join(tmp, "patch.h5"), "w") as f:
        f["responses"] = responses.astype(np.float32)
        f.create_dataset("stimulus_id", data=ids, dtype=h5py.string_dtype())
    with h5py.File(os.path.join(tmp, "patch_features.h5"), "w") as f:
        f.create_dataset("stimulus_id", data=ids, dtype=h5py.string_dtype())
        f["good"] = maps
        f["noise"] = rng.randn(images, 2, 8, 8).astype(np.float32)
    out = os.path.join(tmp, "patch.json")
    r = run("fit", "--protocol", "patch", "--features", os.path.join(tmp, "patch_features.h5"),
            "--neural", os.path.join(tmp, "patch.h5"), "--components", "2", "--out", out)
    check(r.returncode == 0, f"patch fit failed: {r.stderr}")
    result = json.load(open(out))
    check(result["chosen_layer_per_fold"] == ["good"] * images, f"chosen {result['chosen_layer_per_fold']}")
    check(result["score"]["raw"] > 0.9, f"patch raw {result['score']['raw']}")
    r = run("fit", "--protocol", "patch", "--features", os.path.join(tmp, "patch_features.h5"),
            "--neural", os.path.join(tmp, "patch.h5"), "--components", "2", "--correlation",
            "explained_variance", "--out", out)
    check(r.returncode == 0, f"patch fit with explained variance failed: {r.stderr}")
    ev = json.load(open(out))
    check(ev["correlation"] == "explained_variance" and 0.5 < ev["score"]["raw"] < result["score"]["raw"],
          f"patch explained variance {ev['score']['raw']} vs r {result['score']['raw']}")
    expect_error(tmp, "patch_method", ["fit", "--protocol", "patch", "--features",
                                       os.path.join(tmp, "patch_features.h5"), "--neural",
                                       os.path.join(tmp, "patch.h5"), "--method", "ridge"],
                 "the regression is PLS")


def test_errors(tmp, ref, feats, sim):
    text = os.path.join(tmp, "text.nc")
    open(text, "w").write("not netcdf\n")
    small = os.path.join(ref, "features.h5")
    dup = os.path.join(tmp, "dup.h5")
    write_features(dup, 10, 3, duplicate=True)
    nan = os.path.join(tmp, "nan.h5")
    with h5py.File(nan, "w") as f:
        f["responses"] = np.full((2, 300, 3), np.nan, dtype=np.float32)
        f.create_dataset("stimulus_id", data=np.array([f"im{i:04d}" for i in range(300)], dtype=object),
                         dtype=h5py.string_dtype())
    base = ["fit", "--features", feats]
    expect_error(tmp, "missing", base + ["--neural", os.path.join(tmp, "nope.nc")], "cannot open")
    expect_error(tmp, "text", base + ["--neural", text], "not a NetCDF-4/HDF5 file")
    expect_error(tmp, "nodata", base + ["--neural", os.path.join(ref, "no_data_variable.nc")], "no data variable")
    expect_error(tmp, "timebin", ["fit", "--features", small, "--neural", os.path.join(ref, "brainio_compressed.nc")],
                 "2 time bins")
    expect_error(tmp, "missing_ids", ["fit", "--features", small, "--neural", sim], "missing from the features")
    expect_error(tmp, "duplicate", ["fit", "--features", dup, "--neural", sim], "duplicate stimulus_id")
    expect_error(tmp, "layer", base + ["--neural", sim, "--layers", "c9"], "no layer 'c9'")
    expect_error(tmp, "allnan", base + ["--neural", nan], "no usable neuroid")
    expect_error(tmp, "method", base + ["--neural", sim, "--method", "svm"], "--method")
    expect_error(tmp, "correlation", base + ["--neural", sim, "--correlation", "kendall"], "--correlation")
    before = open(sim, "rb").read()
    r = run("fit", "--features", feats, "--neural", sim, "--out", sim)
    check(r.returncode == 2 and "is one of the inputs" in r.stderr, f"out = input: {r.stderr}")
    check(open(sim, "rb").read() == before, "the neural file was changed")
    r = run("fit", "--features", feats, "--neural", sim, "--out", os.path.join(tmp, "no_dir", "r.json"))
    check(r.returncode == 2 and "does not exist" in r.stderr, f"missing folder: {r.stderr}")


def main():
    import time
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        ref = os.path.join(tmp, "ref")
        subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "tests/neural_fit/make_reference.py"), ref,
                        "--assemblies-only"], check=True)
        feats, sim = test_simulate_and_fit(tmp)
        test_brainio(tmp, ref)
        test_patch(tmp)
        test_errors(tmp, ref, feats, sim)
    print(f"neural_fit CLI: all checks passed ({time.time() - start:.1f} s)")


if __name__ == "__main__":
    main()
