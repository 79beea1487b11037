"""`ventral data cluttered` (the ground-truth alignment set) and `ventral train --harmonize`
end to end: the set's format, determinism and controlled splits; harmonized training of every
trainable model family (double backward through BPTT included), its loss columns, the
lambda = 0 control, bit-identical resume, and one-line errors (C-RBP, data without maps,
classes that differ, fractions that leave a part of the batch empty).

Run by CTest as: /usr/bin/python3 harmonize_cli_test.py VENTRAL_BINARY
"""
import csv
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import torch

BINARY = sys.argv[1]
SMALL = ["--model-opt", "width=8", "--model-opt", "s2_width=16", "--model-opt", "s3_width=32"]
COMMON = ["--threads", "2", "--workers", "2", "--batch-size", "20", "--img-size", "32", "--log-interval", "1"]


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_summary(run_dir):
    with open(os.path.join(run_dir, "summary.csv")) as f:
        return list(csv.DictReader(f))


class ClutteredSetAndHarmonizedTraining(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ventral-harmonize-")
        cls.set = os.path.join(cls.tmp, "set")
        result = run("data", "cluttered", "--out", cls.set, "--count", "120", "--size", "32", "--seed", "5")
        assert result.returncode == 0, result.stderr
        cls.spec = "clickme:" + cls.set
        cls.maps = "clickme:" + os.path.join(cls.set, "clickme.h5")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assert_user_error(self, result, *needles):
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for needle in needles:
            self.assertIn(needle, lines[0])

    # --- the set -------------------------------------------------------------------------
    def test_set_is_clickme_hdf5_with_the_documented_splits(self):
        sizes = {"train": 120, "clickme": 40, "val": 20, "test": 20, "test_nocue": 20, "test_shuffled": 20}
        for split, n in sizes.items():
            with h5py.File(os.path.join(self.set, split + ".h5")) as f:
                self.assertEqual(f["images"].shape, (n, 32, 32, 3), split)
                self.assertEqual(f["images"].dtype, np.uint8)
                self.assertEqual(f["maps"].shape, (n, 32, 32))
                self.assertEqual(f["labels"].shape, (n,))
                self.assertEqual(len(set(f["stimulus_id"][:])), n)
                self.assertEqual(len(f["classes"]), 10)
                self.assertEqual(f.attrs["seed"], "5")
                self.assertTrue(0 <= f["labels"][:].min() and f["labels"][:].max() < 10)
                self.assertLessEqual(f["maps"][:].max(), 255.0)

    def test_same_seed_same_set_other_seed_other_set(self):
        again, other = self.path("again"), self.path("other")
        self.assertEqual(run("data", "cluttered", "--out", again, "--count", "120", "--size", "32", "--seed",
                             "5").returncode, 0)
        self.assertEqual(run("data", "cluttered", "--out", other, "--count", "120", "--size", "32", "--seed",
                             "6").returncode, 0)
        with h5py.File(os.path.join(self.set, "train.h5")) as a, h5py.File(os.path.join(again, "train.h5")) as b, \
                h5py.File(os.path.join(other, "train.h5")) as c:
            for name in ["images", "maps", "labels"]:
                np.testing.assert_array_equal(a[name][:], b[name][:])
            self.assertFalse(np.array_equal(a["images"][:], c["images"][:]))

    def test_test_splits_differ_only_in_the_cue_and_the_map_is_the_object(self):
        with h5py.File(os.path.join(self.set, "test.h5")) as t, h5py.File(os.path.join(self.set, "test_nocue.h5")) as n:
            np.testing.assert_array_equal(t["labels"][:], n["labels"][:])
            np.testing.assert_array_equal(t["maps"][:], n["maps"][:])
            cue_side = 4  # round(7 * 32 / 64)
            for i in range(len(t["labels"])):
                differs = np.any(t["images"][i] != n["images"][i], axis=2)
                ys, xs = np.nonzero(differs)
                self.assertGreater(len(ys), 0)  # every test image has a cue
                self.assertLessEqual(ys.max() - ys.min() + 1, cue_side)
                self.assertLessEqual(xs.max() - xs.min() + 1, cue_side)
                # the cue is away from the object: the human map is (nearly) zero there
                m = t["maps"][i]
                self.assertLess(m[differs].max(), 0.1 * m.max(), i)
        # the cue names the true class in most training images: the cue colours by class
        with h5py.File(os.path.join(self.set, "train.h5")) as f:
            self.assertEqual(f.attrs["cue"], "predictive")
        with h5py.File(os.path.join(self.set, "test_shuffled.h5")) as f:
            self.assertEqual(f.attrs["cue"], "shuffled")

    def test_set_errors(self):
        self.assert_user_error(run("data", "cluttered", "--out", self.path("tiny"), "--size", "16"), "16 px")
        self.assert_user_error(run("data", "cluttered", "--out", self.path("x"), "--data", "idx:/nonexistent"),
                               "/nonexistent")
        blocker = self.path("afile")
        with open(blocker, "w") as f:
            f.write("x")
        self.assert_user_error(run("data", "cluttered", "--out", blocker, "--count", "12", "--size", "32"),
                               blocker)
        with open(blocker) as f:
            self.assertEqual(f.read(), "x")
        # objects read from h5:DIR may not be overwritten by a split written into DIR
        source = self.path("gray")
        os.makedirs(source)
        for split in ["train", "t10k"]:
            with h5py.File(os.path.join(source, split + ".h5"), "w") as f:
                f["images"] = np.random.RandomState(0).randint(0, 256, (12, 28, 28)).astype(np.uint8)
                f["labels"] = np.arange(12, dtype=np.int64) % 10
                f["classes"] = np.array([str(k) for k in range(10)], dtype=h5py.string_dtype())
        before = {name: digest(os.path.join(source, name)) for name in os.listdir(source)}
        self.assert_user_error(run("data", "cluttered", "--data", "h5:" + source, "--out", source, "--count", "12",
                                   "--size", "32"), "train.h5", "inputs")
        self.assertEqual({name: digest(os.path.join(source, name)) for name in os.listdir(source)}, before)

    # --- harmonized training ----------------------------------------------------------------
    def test_harmonized_training_writes_its_loss_terms(self):
        out = self.path("harm")
        result = run("train", "--data", self.spec, "--harmonize", self.maps, "--harmonize-fraction", "0.25",
                     "--epochs", "1", "--output", out, "--limit-train-batches", "4", *SMALL, *COMMON)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("harmonize: 5 of every 20 images", result.stdout)
        self.assertIn("harm", result.stdout)
        rows = read_summary(out)
        self.assertEqual(list(rows[0].keys())[-2:], ["train_ce", "train_harm"])
        ce, harm, total = (float(rows[0][k]) for k in ["train_ce", "train_harm", "train_loss"])
        self.assertGreater(harm, 0.0)
        self.assertAlmostEqual(ce + harm, total, places=4)

    def test_weight_zero_is_the_control_on_the_same_batches(self):
        out = self.path("control")
        result = run("train", "--data", self.spec, "--harmonize", self.maps, "--harmonize-weight", "0",
                     "--epochs", "1", "--output", out, "--limit-train-batches", "3", *SMALL, *COMMON)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("harmonize: 4 of every 20 images", result.stdout)
        self.assertEqual(list(read_summary(out)[0].keys()),
                         ["epoch", "train_loss", "eval_loss", "eval_top1", "eval_top5", "lr"])

    def test_every_model_family_trains_harmonized(self):
        families = {
            "hmax-wide": SMALL,
            "hmax-bp": [],
            "hmax-hgru": SMALL + ["--timesteps", "2"],
            "hmax-gamma": SMALL + ["--timesteps", "2"],
            "pathfinder-hgru": ["--timesteps", "2"],
            "pathfinder-cnn": [],
        }
        for model, options in families.items():
            with self.subTest(model=model):
                out = self.path("family-" + model)
                result = run("train", "--model", model, "--data", self.spec, "--harmonize", self.maps, "--epochs",
                             "1", "--output", out, "--limit-train-batches", "2", *options, *COMMON)
                self.assertEqual(result.returncode, 0, result.stderr[-2000:])
                harm = float(read_summary(out)[0]["train_harm"])
                self.assertTrue(np.isfinite(harm) and harm > 0, harm)

    def test_resume_continues_bit_for_bit(self):
        straight, resumed = self.path("straight"), self.path("resumed")
        # a schedule that does not depend on --epochs, so that 1 + 1 epochs is 2 epochs
        flags = ["--data", self.spec, "--harmonize", self.maps, "--limit-train-batches", "3", "--sched", "step",
                 "--decay-epochs", "1", "--decay-rate", "0.5", *SMALL, *COMMON]
        self.assertEqual(run("train", *flags, "--epochs", "2", "--output", straight).returncode, 0)
        self.assertEqual(run("train", *flags, "--epochs", "1", "--output", resumed).returncode, 0)
        result = run("train", *flags, "--epochs", "2", "--output", resumed, "--resume",
                     os.path.join(resumed, "last.pt"))
        self.assertEqual(result.returncode, 0, result.stderr)
        a = torch.load(os.path.join(straight, "last.pt"))["state_dict"]
        b = torch.load(os.path.join(resumed, "last.pt"))["state_dict"]
        for name in a:
            self.assertTrue(torch.equal(a[name], b[name]), name)
        with open(os.path.join(straight, "summary.csv")) as f, open(os.path.join(resumed, "summary.csv")) as g:
            self.assertEqual(f.read(), g.read())

    def test_show_saliency_draws_the_maps_align_scores(self):
        out = self.path("pictured")
        self.assertEqual(run("train", "--data", self.spec, "--epochs", "1", "--output", out, "--limit-train-batches",
                             "2", *SMALL, *COMMON).returncode, 0)
        checkpoint, test = os.path.join(out, "last.pt"), os.path.join(self.set, "test.h5")
        scores = self.path("align.json")
        self.assertEqual(run("align", "--checkpoint", checkpoint, "--clickme", "clickme:" + test, "--out",
                             scores).returncode, 0)
        with open(self.path("align.csv")) as f:
            rho = {r["stimulus_id"]: float(r["spearman"]) for r in csv.DictReader(f)}
        picture = self.path("saliency.png")
        result = run("show", "--saliency", "--checkpoint", checkpoint, "--clickme", "clickme:" + test, "--index",
                     "0,3", "--out", picture)
        self.assertEqual(result.returncode, 0, result.stderr)
        printed = [line for line in result.stdout.splitlines() if ": rho " in line]
        self.assertEqual(len(printed), 2)
        for line in printed:  # the maps drawn are the maps align ranks
            stimulus, value = line.split(": rho ")[0], float(line.split(": rho ")[1].split(",")[0])
            self.assertAlmostEqual(value, rho[stimulus], places=4)
        from PIL import Image
        with Image.open(picture) as image:
            self.assertEqual(image.size, (8 + 4 * 232, 28 + 24 + 2 * (22 + 224 + 8)))
            rgb = image.convert("RGB")
            self.assertGreater(len(set(rgb.getdata())), 100)  # drawn, not blank
            # panels stay in their boxes: the margin, the gaps between panels and rows are white
            for xy in [(2, 2), (8 + 224 + 4, 28 + 24 + 22 + 112), (8 + 3 * 232 + 112, 28 + 24 + 22 + 224 + 4),
                       (935, 28 + 24 + 22 + 100)]:
                self.assertEqual(rgb.getpixel(xy), (255, 255, 255), xy)
        before = digest(picture)
        self.assert_user_error(run("show", "--saliency", "--checkpoint", checkpoint, "--clickme", "clickme:" + test,
                                   "--index", "0,99", "--out", picture), "--index 99", "0..19")
        self.assert_user_error(run("show", "--saliency", "--checkpoint", checkpoint, "--clickme", "clickme:" + test,
                                   "--out", test), "input")
        self.assertEqual(digest(picture), before)
        self.assert_user_error(run("show", "--checkpoint", checkpoint, "--layer", "c1", "--out", self.path("x.png"),
                                   test), "--saliency")

    def test_errors_are_one_line(self):
        base = ["--data", self.spec, "--epochs", "1", "--limit-train-batches", "1"]
        self.assert_user_error(run("train", "--model", "hmax-hgru", *base, "--harmonize", self.maps,
                                   "--recurrent-grad", "crbp", "--output", self.path("e1"), *SMALL, *COMMON),
                               "crbp", "double backward")
        self.assert_user_error(run("train", *base, "--harmonize", "idx:/usr/share/datasets/fashion-mnist",
                                   "--output", self.path("e2"), *SMALL, *COMMON), "no human maps")
        self.assert_user_error(run("train", *base, "--harmonize", self.maps, "--harmonize-fraction", "0.01",
                                   "--output", self.path("e3"), *SMALL, *COMMON), "0.01", "map rows")
        flags_without_size = [f for f in COMMON if f not in ("--img-size", "32")]
        self.assert_user_error(run("train", *base, "--harmonize", self.maps, "--output", self.path("e4"), *SMALL,
                                   *flags_without_size), "--img-size")
        other = self.path("three_classes.h5")
        with h5py.File(other, "w") as f:
            f["images"] = np.zeros((4, 32, 32, 3), np.uint8)
            f["maps"] = np.ones((4, 32, 32), np.float32)
            f["labels"] = np.array([0, 1, 2, 0], np.int64)
            f["classes"] = np.array(["a", "b", "c"], dtype=h5py.string_dtype())
            f.create_dataset("stimulus_id", data=np.array(["0", "1", "2", "3"], dtype=object),
                             dtype=h5py.string_dtype())
        before = digest(other)
        self.assert_user_error(run("train", *base, "--harmonize", "clickme:" + other, "--output", self.path("e5"),
                                   *SMALL, *COMMON), "3 classes", "10")
        self.assertEqual(digest(other), before)
        for name in ["e1", "e2", "e3", "e4", "e5"]:
            self.assertFalse(os.path.exists(os.path.join(self.path(name), "last.pt")), name)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
