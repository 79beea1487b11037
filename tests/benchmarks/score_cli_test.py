"""`ventral score` end to end: on a small model trained on the ground-truth alignment set,
each benchmark gives the number of the command that computes it alone (`eval` top-1/top-5,
`align` score, `fit` on a features file for the same layer), in one process and without a
features file; a benchmarks file gives the same as the flags. Bad input (unknown benchmark or
argument, a missing argument, an unknown layer, --out naming an input): one line naming it,
exit 2, nothing written, inputs byte-identical.

Run by CTest as: /usr/bin/python3 score_cli_test.py VENTRAL_BINARY
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

BINARY = os.path.abspath(sys.argv[1])


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAIL: {message}")


def run(*args, cwd=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, cwd=cwd)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ok(*args, cwd=None):
    result = run(*args, cwd=cwd)
    check(result.returncode == 0, f"{args}: {result.stderr}")
    return result


def main():
    with tempfile.TemporaryDirectory(prefix="ventral-score-") as tmp:
        ok("data", "cluttered", "--out", "gt", "--count", "600", "--size", "32", cwd=tmp)
        ok("train", "--model", "hmax-wide", "--data", "clickme:gt", "--img-size", "32", "--batch-size", "32",
           "--epochs", "1", "--model-opt", "width=8", "--model-opt", "s2_width=16", "--model-opt", "s3_width=32",
           "--output", "run", cwd=tmp)
        ok("features", "--checkpoint", "run/best.pt", "--data", "clickme:gt", "--split", "test", "--layers", "c3",
           "--out", "f.h5", cwd=tmp)
        ok("neural", "simulate", "--features", "f.h5", "--layer", "c3", "--sites", "30", "--reps", "4",
           "--out", "neural.h5", cwd=tmp)
        inputs = {name: digest(os.path.join(tmp, name)) for name in ("run/best.pt", "neural.h5", "gt/test.h5")}

        flags = ["--benchmark", "recognition:data=clickme:gt,split=test",
                 "--benchmark", "clickme-alignment:clickme=clickme:gt/test.h5",
                 "--benchmark", "neural-pls:neural=neural.h5,data=clickme:gt,split=test,layer=c3,components=5"]
        result = ok("score", "--checkpoint", "run/best.pt", *flags, "--out", "scores.json", cwd=tmp)
        lines = [l for l in result.stdout.splitlines() if l.startswith(("recognition", "clickme", "neural"))]
        check(len(lines) == 3, f"one summary line per benchmark: {result.stdout}")
        scores = json.load(open(os.path.join(tmp, "scores.json")))
        by_name = {b["name"]: b for b in scores["benchmarks"]}
        check(list(by_name) == ["recognition", "clickme-alignment", "neural-pls"], list(by_name))
        for b in scores["benchmarks"]:
            check(b["version"] == "1" and b["citation"] and b["seconds"] >= 0, b)
        check(not os.path.exists(os.path.join(tmp, "features.h5")), "no features file")

        # recognition = eval
        ok("eval", "--checkpoint", "run/best.pt", "--data", "clickme:gt", "--split", "test", "--out", "eval.json",
           cwd=tmp)
        ev = json.load(open(os.path.join(tmp, "eval.json")))
        rec = by_name["recognition"]
        check(abs(rec["raw"] - ev["top1"] / 100) < 1e-12 and abs(rec["extra"]["top5"] - ev["top5"] / 100) < 1e-12,
              f"recognition {rec} vs eval {ev}")
        check(rec["ceiling"] == 1 and rec["settings"]["split"] == "test" and rec["extra"]["n"] == ev["n"], rec)

        # clickme-alignment = align
        ok("align", "--checkpoint", "run/best.pt", "--clickme", "clickme:gt/test.h5", "--out", "align.json", cwd=tmp)
        al = json.load(open(os.path.join(tmp, "align.json")))
        ali = by_name["clickme-alignment"]
        check(abs(ali["raw"] - al["spearman"]) < 1e-12 and abs(ali["ceiled"]["ratio"] - al["score"]) < 1e-12,
              f"alignment {ali} vs align {al['score']}")
        check(ali["ceiling"] == al["ceiling"] and ali["settings"]["protocol"] == "release", ali)

        # neural-pls = fit on the features file of the same layer
        ok("fit", "--features", "f.h5", "--neural", "neural.h5", "--layers", "c3", "--components", "5",
           "--out", "fit.json", cwd=tmp)
        fit = json.load(open(os.path.join(tmp, "fit.json")))
        layer = fit["layers"][0] if "layers" in fit else fit["scores"][0]
        neu = by_name["neural-pls"]
        check(abs(neu["raw"] - layer["raw"]) < 1e-9 and abs(neu["ceiling"] - layer["ceiling"]) < 1e-12,
              f"neural-pls {neu} vs fit {layer}")
        check(neu["raw"] > 0.3 and abs(neu["ceiled"]["ev2026"] - neu["raw"] ** 2 / neu["ceiling"]) < 1e-12, neu)

        # the layer chosen by nested cross-validation: c3 (the layer the population was simulated
        # from) on every split, scoring as c3 alone
        ok("score", "--checkpoint", "run/best.pt", "--benchmark",
           "neural-pls:neural=neural.h5,data=clickme:gt,split=test,layers=c1/0|c2/0|c3,components=5",
           "--out", "nested.json", cwd=tmp)
        nested = json.load(open(os.path.join(tmp, "nested.json")))["benchmarks"][0]
        check(nested["extra"]["chosen/c3"] == 10 and nested["extra"]["chosen/c1/0"] == 0, nested["extra"])
        check(abs(nested["raw"] - neu["raw"]) < 1e-12, f"nested {nested['raw']} vs c3 {neu['raw']}")

        # it-patch = fit --protocol patch on a features file of the same layers (20 images, a 4 x 4
        # grid of 5 sites with 2 repetitions, responses generated from the c1/0 features)
        ok("features", "--checkpoint", "run/best.pt", "--data", "clickme:gt", "--split", "test", "--count", "20",
           "--layers", "c1/0,c2/0", "--out", "f20.h5", cwd=tmp)
        with h5py.File(os.path.join(tmp, "f20.h5")) as f:
            ids = [x.decode() for x in f["stimulus_id"][:]]
            c1 = f["c1/0"][:]  # 20 x C x H x W
        rng = np.random.RandomState(0)
        h, w = c1.shape[2] // 4, c1.shape[3] // 4
        pooled = c1[:, :, :h * 4, :w * 4].reshape(20, c1.shape[1], 4, h, 4, w).mean(axis=(3, 5))  # 20 x C x 4 x 4
        signal = np.einsum("icyx,cs->iyxs", pooled, rng.randn(c1.shape[1], 5))
        responses = signal[..., None] + 0.3 * signal.std() * rng.randn(20, 4, 4, 5, 2)
        with h5py.File(os.path.join(tmp, "patch.h5"), "w") as f:
            f["responses"] = responses.astype(np.float32)
            f["stimulus_id"] = np.array(ids, dtype=h5py.string_dtype())
        ok("score", "--checkpoint", "run/best.pt", "--benchmark",
           "it-patch:patch=patch.h5,data=clickme:gt,split=test,count=20,layers=c1/0|c2/0,components=3",
           "--out", "patch_score.json", cwd=tmp)
        patch = json.load(open(os.path.join(tmp, "patch_score.json")))["benchmarks"][0]
        ok("fit", "--protocol", "patch", "--features", "f20.h5", "--neural", "patch.h5", "--layers", "c1/0,c2/0",
           "--components", "3", "--out", "patch_fit.json", cwd=tmp)
        fitted = json.load(open(os.path.join(tmp, "patch_fit.json")))
        check(abs(patch["raw"] - fitted["score"]["raw"]) < 1e-9, f"it-patch {patch['raw']} vs fit {fitted['score']}")
        check(patch["extra"]["chosen/c1/0"] + patch["extra"]["chosen/c2/0"] == 20, patch["extra"])
        check(patch["raw"] > 0.3 and "split_half_ceiling" in patch["extra"], patch)

        # the same from a benchmarks file
        with open(os.path.join(tmp, "benchmarks.toml"), "w") as f:
            f.write('[[benchmark]]\nname = "recognition"\ndata = "clickme:gt"\nsplit = "test"\n\n'
                    '[[benchmark]]\nname = "clickme-alignment"\nclickme = "clickme:gt/test.h5"\n\n'
                    '[[benchmark]]\nname = "neural-pls"\nneural = "neural.h5"\ndata = "clickme:gt"\nsplit = "test"\n'
                    'layer = "c3"\ncomponents = 5\n')
        ok("score", "--checkpoint", "run/best.pt", "--benchmarks", "benchmarks.toml", "--out", "file.json", cwd=tmp)
        from_file = json.load(open(os.path.join(tmp, "file.json")))
        strip = lambda s: [{k: v for k, v in b.items() if k != "seconds"} for b in s["benchmarks"]]
        check(strip(from_file) == strip(scores), "a benchmarks file differs from the same --benchmark flags")

        # bad input: one line, exit 2, nothing written, inputs untouched
        def refused(args, needle):
            out = os.path.join(tmp, "bad.json")
            result = run("score", "--checkpoint", "run/best.pt", *args, "--out", out, cwd=tmp)
            lines = result.stderr.strip().splitlines()
            check(result.returncode == 2 and len(lines) == 1 and needle in lines[0], f"{args}: {result.stderr}")
            check(not os.path.exists(out), f"{args}: wrote the output")
        refused(["--benchmark", "brain-score"], "registered: recognition, clickme-alignment, neural-pls, it-patch, pathfinder")
        refused(["--benchmark", "recognition:data=clickme:gt,splitt=test"], "unknown argument 'splitt'; valid:")
        refused(["--benchmark", "recognition"], "data= is required")
        refused(["--benchmark", "recognition:data"], "not key=value")
        refused(["--benchmark", "neural-pls:neural=neural.h5,data=clickme:gt,layer=c9"], "c9")
        refused(["--benchmark", "neural-pls:neural=neural.h5,data=clickme:gt,layer=c3,layers=c2/0|c3"], "layer=NAME")
        refused(["--benchmark", "neural-pls:neural=neural.h5,data=clickme:gt,layers=c1|c3"], "leaf layers")
        refused(["--benchmark", "clickme-alignment:clickme=clickme:gt/test.h5,protocol=tf"], "tf")
        refused([], "registered:")
        # a benchmark whose data is missing fails alone: recorded with its error, the others scored, exit 1
        result = run("score", "--checkpoint", "run/best.pt", "--benchmark", "recognition:data=clickme:gone.h5",
                     "--benchmark", "recognition:data=clickme:gt,split=test", "--out", "partial.json", cwd=tmp)
        check(result.returncode == 1 and "recognition (v1) failed:" in result.stderr and "gone.h5" in result.stderr,
              result.stderr)
        partial = json.load(open(os.path.join(tmp, "partial.json")))["benchmarks"]
        check("gone.h5" in partial[0]["error"] and "raw" not in partial[0], partial[0])
        check(abs(partial[1]["raw"] - rec["raw"]) < 1e-12, partial[1])
        # --out naming any input (the checkpoint, a benchmark's file, a split inside a data folder) is refused
        for target in ("run/best.pt", "neural.h5", "gt/test.h5"):
            result = run("score", "--checkpoint", "run/best.pt", *flags, "--out", target, cwd=tmp)
            check(result.returncode == 2 and os.path.basename(target) in result.stderr, f"{target}: {result.stderr}")
        for name, before in inputs.items():
            check(digest(os.path.join(tmp, name)) == before, f"{name} changed")

        # pathfinder: accuracy per contour length = eval on the same held-out pathfinder: split
        ok("train", "--model", "pathfinder-cnn", "--data", "pathfinder:?length=6&size=32&count=128&seed=1",
           "--val-split", "train", "--img-size", "32", "--batch-size", "32", "--epochs", "1", "--output", "pf", cwd=tmp)
        ok("score", "--checkpoint", "pf/best.pt", "--benchmark", "pathfinder:lengths=6|9,count=64,seed=3",
           "--out", "pf.json", cwd=tmp)
        pf = json.load(open(os.path.join(tmp, "pf.json")))["benchmarks"][0]
        for length in (6, 9):
            ok("eval", "--checkpoint", "pf/best.pt", "--data", f"pathfinder:?length={length}&size=32&count=64&seed=3",
               "--split", "test", "--out", f"pf{length}.json", cwd=tmp)
            top1 = json.load(open(os.path.join(tmp, f"pf{length}.json")))["top1"] / 100
            check(abs(pf["extra"][f"length/{length}"] - top1) < 1e-12, f"length {length}: {pf['extra']} vs {top1}")
        check(abs(pf["raw"] - (pf["extra"]["length/6"] + pf["extra"]["length/9"]) / 2) < 1e-12, pf)
        check(pf["settings"]["size"] == "32" and pf["extra"]["n"] == 128, pf)
    print("score_cli_test: all checks passed")


if __name__ == "__main__":
    main()
