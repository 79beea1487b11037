"""`ventral align` end to end against an independent computation of the ClickMe protocol
(docs/reference/scoring.md sec. 1): PyTorch's interpolate and conv2d for the human map, scipy's
spearmanr, numpy's percentile. Bad input: one line on stderr, exit 2, no output, inputs
byte-identical.

Run by CTest as: /usr/bin/python3 align_cli_test.py VENTRAL_BINARY
"""
import csv
import json
import os
import sys
import tempfile

import h5py
import numpy as np
import scipy.stats
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_check import check, digest, run  # noqa: E402

CEILING = 0.6575315343478081


def human_map(heatmap):
    """The reference pipeline: 256 -> 64 bilinear (half-pixel, no antialias), the 10x10
    sigma-10 blur with TF SAME padding (4 before, 5 after), -> 224 bilinear."""
    x = torch.from_numpy(heatmap[None, None].astype(np.float32))
    x = F.interpolate(x, size=(64, 64), mode="bilinear", align_corners=False, antialias=False)
    r, c = np.meshgrid(np.arange(10), np.arange(10), indexing="ij")
    xs, ys = c - 5, 4 - r
    k = np.exp(-(xs ** 2 + ys ** 2) / (2 * 10.0 ** 2)) / (2 * np.pi * 10.0 ** 2)
    k = torch.from_numpy((k / k.sum()).astype(np.float32))[None, None]
    x = F.conv2d(F.pad(x, (4, 5, 4, 5)), k)  # conv2d is correlation, as tf.nn.conv2d
    x = F.interpolate(x, size=(224, 224), mode="bilinear", align_corners=False, antialias=False)
    return x[0, 0].numpy()


def resize224(m):
    x = torch.from_numpy(m[None, None].astype(np.float32))
    return F.interpolate(x, size=(224, 224), mode="bilinear", align_corners=False, antialias=False)[0, 0].numpy()


def overlap(a, b):
    ta, tb = a > np.percentile(a, 90), b > np.percentile(b, 90)
    both = np.logical_and(ta, tb).sum()
    return 2 * both / (ta.sum() + tb.sum() + 1e-9), both / (np.logical_or(ta, tb).sum() + 1e-9)


def smooth_noise(rng, n, side, scale):
    """Random maps with structure at `scale` px, positive like ClickMe heatmaps."""
    coarse = rng.rand(n, 1, side // scale, side // scale).astype(np.float32)
    return F.interpolate(torch.from_numpy(coarse), size=(side, side), mode="bicubic",
                         align_corners=False).clamp(min=0)[:, 0].numpy() * 255


def main():
    rng = np.random.RandomState(5)
    n = 6
    with tempfile.TemporaryDirectory() as tmp:
        heatmaps = smooth_noise(rng, n, 256, 16)
        ids = [f"val-0.tfrecords#{i}" for i in range(n)]
        clickme = os.path.join(tmp, "clickme.h5")
        with h5py.File(clickme, "w") as f:
            f["images"] = rng.randint(0, 256, size=(n, 256, 256, 3), dtype=np.uint8)
            f["maps"] = heatmaps
            f["labels"] = np.arange(n, dtype=np.int64)
            f.create_dataset("stimulus_id", data=np.array(ids, dtype=object), dtype=h5py.string_dtype())
        humans = [human_map(h) for h in heatmaps]
        # Saliency maps: half follow the human map (plus noise), half are noise; 224 px in
        # record order, and the same at 112 px in shuffled order with ids.
        model = np.stack([humans[i] * (i % 2) + 40 * rng.rand(224, 224) for i in range(n)]).astype(np.float32)
        maps224 = os.path.join(tmp, "maps224.h5")
        with h5py.File(maps224, "w") as f:
            f["maps"] = model
        out = os.path.join(tmp, "align.json")
        r = run("align", "--maps", maps224, "--clickme", f"clickme:{clickme}", "--out", out)
        check(r.returncode == 0, f"align failed: {r.stderr}")
        result = json.load(open(out))
        rho = [scipy.stats.spearmanr(model[i].ravel(), humans[i].ravel())[0] for i in range(n)]
        dice_iou = [overlap(model[i], humans[i]) for i in range(n)]
        for i, image in enumerate(result["per_image"]):
            check(image["stimulus_id"] == ids[i], f"id {image['stimulus_id']}")
            check(abs(image["spearman"] - rho[i]) < 1e-6, f"image {i}: rho {image['spearman']} vs scipy {rho[i]}")
            check(abs(image["dice"] - dice_iou[i][0]) < 1e-3, f"image {i}: dice {image['dice']} vs {dice_iou[i][0]}")
            check(abs(image["iou"] - dice_iou[i][1]) < 1e-3, f"image {i}: iou {image['iou']} vs {dice_iou[i][1]}")
        check(abs(result["spearman"] - np.mean(rho)) < 1e-6, "mean rho")
        check(abs(result["score"] - np.mean(rho) / CEILING) < 1e-6, "score = mean rho / ceiling")
        check(result["n"] == n and result["ceiling"] == CEILING and result["protocol"] == "release", "summary")
        check(min(rho[1::2]) > 0.5 and max(abs(x) for x in rho[0::2]) < 0.2, f"rho pattern {rho}")
        rows = list(csv.DictReader(open(out[:-5] + ".csv")))
        check([row["stimulus_id"] for row in rows] == ids, f"csv ids {[row['stimulus_id'] for row in rows]}")
        check(abs(float(rows[1]["spearman"]) - result["per_image"][1]["spearman"]) < 1e-12, "csv rho = json rho")
        check("score" in r.stdout, f"summary line: {r.stdout}")

        # --protocol paper: rho also with both maps bilinearly reduced to 56 and 14 px (reducers 4, 16).
        out_paper = os.path.join(tmp, "paper.json")
        r = run("align", "--maps", maps224, "--clickme", f"clickme:{clickme}", "--protocol", "paper", "--out", out_paper)
        check(r.returncode == 0, f"align --protocol paper failed: {r.stderr}")
        paper = json.load(open(out_paper))
        check(paper["protocol"] == "paper" and abs(paper["spearman"] - result["spearman"]) < 1e-12,
              "paper: the 224 px rho is the release one for given maps")
        for side, key in [(56, "spearman_56"), (14, "spearman_14")]:
            def reduce(m):
                x = torch.from_numpy(np.asarray(m, np.float32)[None, None])
                return F.interpolate(x, size=(side, side), mode="bilinear", align_corners=False,
                                     antialias=False)[0, 0].numpy()
            expected = [scipy.stats.spearmanr(reduce(model[i]).ravel(), reduce(humans[i]).ravel())[0] for i in range(n)]
            for i, image in enumerate(paper["per_image"]):
                check(abs(image[key] - expected[i]) < 1e-5, f"paper {key} image {i}: {image[key]} vs {expected[i]}")
            check(abs(paper[key] - np.mean(expected)) < 1e-5, f"paper mean {key}")
        paper_rows = list(csv.DictReader(open(out_paper[:-5] + ".csv")))
        check(list(paper_rows[0].keys())[-2:] == ["spearman_56", "spearman_14"], "paper CSV columns")
        r = run("align", "--maps", maps224, "--clickme", clickme, "--protocol", "patch", "--out", out_paper)
        check(r.returncode == 2 and "expected release" in r.stderr and "paper" in r.stderr, f"align --protocol patch: {r.stderr}")

        # A constant map and a map with NaN have no rho: counted, left out of the means.
        degenerate = model.copy()
        degenerate[0] = 3.0
        degenerate[1, 5, 7] = np.nan
        maps_bad = os.path.join(tmp, "degenerate.h5")
        with h5py.File(maps_bad, "w") as f:
            f["maps"] = degenerate
        out_bad = os.path.join(tmp, "degenerate.json")
        r = run("align", "--maps", maps_bad, "--clickme", clickme, "--out", out_bad)
        check(r.returncode == 0 and "2 images have no Spearman rho" in r.stderr, f"degenerate maps: {r.stderr}")
        bad = json.load(open(out_bad))
        check(bad["undefined"] == 2 and bad["per_image"][1]["spearman"] is None, "undefined counted, null in JSON")
        check(abs(bad["spearman"] - np.mean(rho[2:])) < 1e-6, f"mean over defined images {bad['spearman']}")
        # Dice is defined for the constant map (0: nothing lies above its 90th percentile), not for NaN.
        expected_dice = np.mean([overlap(degenerate[0], humans[0])[0]] + [d for d, _ in dice_iou[2:]])
        check(abs(bad["dice"] - expected_dice) < 1e-3, f"dice over finite maps {bad['dice']} vs {expected_dice}")

        # The same maps at 112 px in another order, matched by stimulus_id.
        order = [3, 0, 5, 1, 4, 2]
        small = F.interpolate(torch.from_numpy(model[:, None]), size=(112, 112), mode="bilinear",
                              align_corners=False)[:, 0].numpy()
        maps112 = os.path.join(tmp, "maps112.h5")
        with h5py.File(maps112, "w") as f:
            f["maps"] = small[order]
            f.create_dataset("stimulus_id", data=np.array([ids[i] for i in order], dtype=object),
                             dtype=h5py.string_dtype())
        out112 = os.path.join(tmp, "align112.json")
        r = run("align", "--maps", maps112, "--clickme", clickme, "--out", out112)
        check(r.returncode == 0, f"align 112 failed: {r.stderr}")
        per = {p["stimulus_id"]: p["spearman"] for p in json.load(open(out112))["per_image"]}
        for k, i in enumerate(order):
            expected = scipy.stats.spearmanr(resize224(small[i]).ravel(), humans[i].ravel())[0]
            check(abs(per[ids[i]] - expected) < 1e-6, f"112 px map {i}: {per[ids[i]]} vs {expected}")

        # A trained model (a 32 px gray Pathfinder CNN, 2 classes): its saliency maps, saved
        # with --save-maps, score the same through --maps.
        run_dir = os.path.join(tmp, "run")
        r = run("train", "--model", "pathfinder-cnn", "--data", "pathfinder:?length=6&size=32&count=64&seed=1",
                "--epochs", "1", "--batch-size", "16", "--output", run_dir, "--threads", "2")
        check(r.returncode == 0, f"train failed: {r.stderr}")
        two_class = os.path.join(tmp, "clickme2.h5")
        with h5py.File(clickme, "r") as src, h5py.File(two_class, "w") as f:
            for key in ("images", "maps", "stimulus_id"):
                src.copy(key, f)
            f["labels"] = np.arange(n, dtype=np.int64) % 2
        saved = os.path.join(tmp, "saliency.h5")
        by_model = os.path.join(tmp, "model.json")
        r = run("align", "--checkpoint", os.path.join(run_dir, "best.pt"), "--clickme", two_class,
                "--batch-size", "4", "--save-maps", saved, "--out", by_model)
        check(r.returncode == 0, f"align --checkpoint failed: {r.stderr}")
        with h5py.File(saved) as f:
            check(f["maps"].shape == (n, 224, 224), f"saved maps {f['maps'].shape}")
            check([s.decode() for s in f["stimulus_id"][:]] == ids, "saved ids")
            saliency = f["maps"][:]
        check(saliency.min() >= 0 and saliency.max() > 0, "saliency is |gradient|, not all zero")
        # paper protocol: |mean_c grad| of min-max rescaled batches. For a gray model and gray images
        # whose batch spans 0..255 after resizing (8 x 8 blocks of 0..255), both equal the release
        # saliency; scored again through --maps, the same numbers.
        blocks = os.path.join(tmp, "blocks.h5")
        values = rng.randint(0, 256, size=(n, 32, 32)).astype(np.uint8)
        values[:, 0, 0], values[:, 0, 1] = 0, 255
        gray = np.kron(values, np.ones((8, 8), np.uint8))
        with h5py.File(two_class) as src, h5py.File(blocks, "w") as f:
            for key in ("maps", "stimulus_id", "labels"):
                src.copy(key, f)
            f["images"] = np.repeat(gray[..., None], 3, axis=3)
        maps_by_protocol = {}
        for protocol in ("release", "paper"):
            saved_p = os.path.join(tmp, f"saliency_{protocol}.h5")
            r = run("align", "--checkpoint", os.path.join(run_dir, "best.pt"), "--clickme", blocks, "--batch-size",
                    "3", "--protocol", protocol, "--save-maps", saved_p, "--out", os.path.join(tmp, f"{protocol}.json"))
            check(r.returncode == 0, f"align --checkpoint --protocol {protocol} failed: {r.stderr}")
            with h5py.File(saved_p) as f:
                maps_by_protocol[protocol] = f["maps"][:]
        check(np.allclose(maps_by_protocol["paper"], maps_by_protocol["release"], rtol=1e-4, atol=1e-6),
              "paper saliency of a gray model on batches spanning 0..255")
        saved_paper, by_model_paper = os.path.join(tmp, "saliency_paper.h5"), os.path.join(tmp, "paper.json")
        by_maps_paper = os.path.join(tmp, "maps_paper.json")
        r = run("align", "--maps", saved_paper, "--clickme", blocks, "--protocol", "paper", "--out", by_maps_paper)
        a, b = json.load(open(by_model_paper)), json.load(open(by_maps_paper))
        check(r.returncode == 0 and abs(a["spearman_14"] - b["spearman_14"]) < 1e-9, "paper: --maps = --checkpoint")
        by_maps = os.path.join(tmp, "maps.json")
        r = run("align", "--maps", saved, "--clickme", two_class, "--out", by_maps)
        check(r.returncode == 0, f"align --maps on saved maps failed: {r.stderr}")
        a, b = json.load(open(by_model)), json.load(open(by_maps))
        check(a["score"] == b["score"] and a["per_image"] == b["per_image"],
              f"--checkpoint {a['score']} and --maps {b['score']} differ")
        expected = [scipy.stats.spearmanr(saliency[i].ravel(), humans[i].ravel())[0] for i in range(n)]
        check(max(abs(p["spearman"] - e) for p, e in zip(a["per_image"], expected)) < 1e-6, "model rho vs scipy")
        r = run("align", "--checkpoint", os.path.join(run_dir, "best.pt"), "--clickme", clickme,
                "--out", os.path.join(tmp, "labels.json"))
        check(r.returncode == 2 and "outside the model's 2 classes" in r.stderr, f"labels: {r.stderr}")

        # clickme: is a dataset spec like any other: features of the photographs.
        feats = os.path.join(tmp, "clickme_features.h5")
        r = run("features", "--model", "hmax-classic", "--layers", "c1", "--data", f"clickme:{two_class}",
                "--size", "64", "--out", feats)
        check(r.returncode == 0, f"features --data clickme: failed: {r.stderr}")
        with h5py.File(feats) as f:
            check(f["c1/0"].shape[0] == n and f["stimulus_id"][0].decode() == "val-0", "clickme features")

        # Bad input: one line, exit 2, nothing written, inputs untouched.
        before = {p: digest(p) for p in (clickme, maps224, maps112)}  # the inputs of every case below
        wrong = os.path.join(tmp, "wrong.h5")
        with h5py.File(wrong, "w") as f:
            f["maps"] = model[:4]
        unknown = os.path.join(tmp, "unknown.h5")
        with h5py.File(unknown, "w") as f:
            f["maps"] = model[:1]
            f.create_dataset("stimulus_id", data=np.array(["nope"], dtype=object), dtype=h5py.string_dtype())
        text_maps = os.path.join(tmp, "text_maps.h5")
        with h5py.File(text_maps, "w") as f:
            f.create_dataset("maps", data=np.full((2, 3, 3), "x", dtype=object), dtype=h5py.string_dtype())
        not_hdf5 = os.path.join(tmp, "not_hdf5.h5")
        open(not_hdf5, "w").write("not HDF5\n")
        cases = [
            (["--maps", wrong, "--clickme", clickme], "4 maps without stimulus_id for 6 ClickMe records"),
            (["--maps", text_maps, "--clickme", clickme], "'maps' holds text"),
            (["--maps", maps224, "--clickme", not_hdf5], "not an HDF5 file"),
            (["--maps", unknown, "--clickme", clickme], "stimulus_id 'nope' is not in"),
            (["--maps", os.path.join(tmp, "missing.h5"), "--clickme", clickme], "cannot open"),
            (["--maps", maps224, "--clickme", f"idx:{tmp}"], "expected clickme:PATH"),
        ]
        for k, (args, needle) in enumerate(cases):
            bad = os.path.join(tmp, f"bad{k}.json")
            r = run("align", *args, "--out", bad)
            lines = [line for line in r.stderr.splitlines() if line.strip()]
            check(r.returncode == 2, f"case {k}: exit {r.returncode}: {r.stderr}")
            check(len(lines) == 1 and needle in lines[0], f"case {k}: {lines}")
            check(not os.path.exists(bad) and not os.path.exists(bad[:-5] + ".csv"), f"case {k}: output left")
        r = run("align", "--maps", maps224, "--clickme", clickme, "--out", maps224)
        check(r.returncode == 2 and "is one of the inputs" in r.stderr, f"out = input: {r.stderr}")
        check({p: digest(p) for p in before} == before, "inputs changed")
        check(not [p for p in os.listdir(tmp) if ".tmp." in p], "temporary files left")
    print("align CLI: all checks passed")


if __name__ == "__main__":
    main()
