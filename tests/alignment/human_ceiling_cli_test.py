"""`ventral align --human-ceiling` end to end against an independent computation of the
ClickMe 2 click maps (serre-lab/human_clickme_data_processing: clicks on a uint8 canvas, the
flat-disk kernel of utils.circle_kernel applied twice with torch's conv2d(padding="same"),
torchvision's centre crop) and scipy's spearmanr. With two participants per image the split
half is always one participant against the other, so the ceiling is known exactly. Bad input:
one line on stderr, exit 2, no output, inputs byte-identical.

Run by CTest as: /usr/bin/python3 human_ceiling_cli_test.py VENTRAL_BINARY
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


def circle_kernel(size):
    r = (size - 1) / 2
    y, x = np.mgrid[0:size, 0:size]
    mask = ((x - r) ** 2 + (y - r) ** 2 <= r ** 2).astype(np.float64)
    return mask / mask.sum()


def click_map(trials, canvas=256, blur=21, crop=224):
    total = np.zeros((canvas, canvas), np.float64)
    for xs, ys in trials:
        heat = np.zeros((canvas, canvas), np.uint8)
        for x, y in zip(xs, ys):
            x, y = int(np.floor(x)), int(np.floor(y))
            if 0 <= x < canvas and 0 <= y < canvas and heat[y, x] < 255:
                heat[y, x] += 1
        total += heat
    k = torch.from_numpy(circle_kernel(blur))[None, None]
    m = torch.from_numpy(total)[None, None]
    m = F.conv2d(F.conv2d(m, k, padding="same"), k, padding="same")[0, 0].numpy()
    top = int(round((canvas - crop) / 2.0))
    return m[top:top + crop, top:top + crop]


def main():
    rng = np.random.RandomState(0)
    with tempfile.TemporaryDirectory(prefix="ventral-ceiling-") as tmp:
        log = os.path.join(tmp, "clicks.csv")
        people = {}  # image -> list of (x list, y list) of its kept participants
        rows = []
        for image, centre in [("n01/a.JPEG", (90, 120)), ("n02/b.JPEG", (170, 60)), ("n03/c.JPEG", (128, 128))]:
            users = ["u1", "u2"] if image != "n03/c.JPEG" else ["u1"]  # c: too few participants
            for user in users:
                xs = list(np.round(centre[0] + rng.randn(25) * 25).astype(int))
                ys = list(np.round(centre[1] + rng.randn(25) * 25).astype(int))
                rows.append([f"/stimuli/{image}", user, str(xs), str(ys), "extra"])
                if image != "n03/c.JPEG":
                    people.setdefault(image, []).append((xs, ys))
        rows.append(["/stimuli/n01/a.JPEG", "u1", "[1, 2, 3]", "[4, 5, 6]", "again"])  # repeated: dropped
        rows.append(["/stimuli/n02/b.JPEG", "u3", "[400, 5]", "[2, 900]", "outside"])  # no click inside: dropped
        with open(log, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["file_pointer", "user_id", "clickmap_x", "clickmap_y", "note"])
            w.writerows(rows)
        before = digest(log)

        out, maps = os.path.join(tmp, "ceiling.json"), os.path.join(tmp, "maps.h5")
        result = run("align", "--human-ceiling", log, "--min-subjects", "2", "--iterations", "7",
                     "--out", out, "--save-maps", maps)
        check(result.returncode == 0, result.stderr)
        check("7 trials, 2 images with >= 2 participants (1 repeated trials, 1 with < 2 clicks" in result.stdout,
              result.stdout)
        report = json.load(open(out))
        check(report["n"] == 2 and report["trials"] == 4 and report["iterations"] == 7, report)
        check(report["filters"]["clicks_outside"] == 2, report["filters"])

        # the maps of all participants, as the reference builds them
        with h5py.File(maps) as f:
            ids = [s.decode() for s in f["stimulus_id"][:]]
            check(ids == ["n01/a.JPEG", "n02/b.JPEG"], ids)
            for i, image in enumerate(ids):
                expected = click_map(people[image])
                got = f["maps"][i]
                check(got.shape == (224, 224), got.shape)
                check(np.abs(got - expected).max() <= 1e-6 * expected.max(), f"{image}: map differs")

        # two participants: every split is one against the other
        singles = {image: [click_map([t]) for t in people[image]] for image in people}
        for row in report["per_image"]:
            a, b = singles[row["stimulus_id"]]
            rho = scipy.stats.spearmanr(a.ravel(), b.ravel())[0]
            check(abs(row["ceiling"] - rho) < 1e-4, f"{row['stimulus_id']}: ceiling {row['ceiling']} vs scipy {rho}")
            check(row["subjects"] == 2, row)
            # the floor: one participant here against one of the other image's
            other = [o for o in singles if o != row["stimulus_id"]][0]
            pairs = [scipy.stats.spearmanr(x.ravel(), y.ravel())[0] for x in singles[row["stimulus_id"]]
                     for y in singles[other]]
            check(min(pairs) - 1e-4 <= row["floor"] <= max(pairs) + 1e-4, f"floor {row['floor']} outside {pairs}")
            check(row["floor"] < row["ceiling"], row)
        mean = np.mean([r["ceiling"] for r in report["per_image"]])
        check(abs(report["ceiling"] - mean) < 1e-12, "ceiling is the mean over images")
        check(abs(report["spearman_brown"] - 2 * mean / (1 + mean)) < 1e-12, "Spearman-Brown")
        check(abs(report["ceiling_std_images"] - np.std([r["ceiling"] for r in report["per_image"]], ddof=1)) < 1e-12,
              "spread over images")
        lines = open(os.path.join(tmp, "ceiling.csv")).read().splitlines()
        check(lines[0] == "stimulus_id,subjects,ceiling,floor" and len(lines) == 3, lines)

        # the same seed gives the same numbers; another seed other floors
        again = os.path.join(tmp, "again.json")
        check(run("align", "--human-ceiling", log, "--min-subjects", "2", "--iterations", "7",
                  "--out", again).returncode == 0, "rerun")
        check(json.load(open(again))["per_image"] == report["per_image"], "not deterministic for a seed")

        # bad input: one line, exit 2, nothing written, the log untouched
        def refused(args, needle, outputs):
            result = run("align", *args)
            lines = result.stderr.strip().splitlines()
            check(result.returncode == 2 and len(lines) == 1 and needle in lines[0], f"{args}: {result.stderr}")
            for o in outputs:
                check(not os.path.exists(o), f"{args}: wrote {o}")
        bad = os.path.join(tmp, "bad.json")
        refused(["--human-ceiling", log, "--out", log], "clicks.csv", [])
        check(digest(log) == before, "the click log changed")
        refused(["--human-ceiling", log, "--out", bad], "at least 2", [bad])  # default min 5 leaves none
        refused(["--human-ceiling", log, "--min-subjects", "1", "--out", bad], ">= 2", [bad])
        for name, text, needle in [
                ("nocol.csv", "file_pointer,user_id,clickmap_x\na/b.png,u,[1]\n", "no 'clickmap_y' column"),
                ("length.csv", "file_pointer,user_id,clickmap_x,clickmap_y\na/b.png,u,\"[1, 2]\",[3]\n",
                 "row 2: 2 x coordinates but 1 y"),
                ("text.csv", "file_pointer,user_id,clickmap_x,clickmap_y\na/b.png,u,[1 two],[3 4]\n",
                 "'two' is not a number")]:
            path = os.path.join(tmp, name)
            open(path, "w").write(text)
            refused(["--human-ceiling", path, "--min-subjects", "2", "--out", bad], needle, [bad])
        npz = os.path.join(tmp, "clicks.npz")
        open(npz, "wb").write(b"PK\x03\x04")
        refused(["--human-ceiling", npz, "--out", bad], "write them as CSV", [bad])
        refused(["--human-ceiling", log, "--clickme", "clickme:x.h5", "--out", bad], "from the clicks alone", [bad])
        check(digest(log) == before, "the click log changed")
    print("human_ceiling_cli_test: all checks passed")


if __name__ == "__main__":
    main()
