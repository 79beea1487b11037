"""Integration tests of `ventral data pathfinder`, read back with h5py.

Run by CTest as: /usr/bin/python3 pathfinder_cli_test.py VENTRAL_BINARY SOURCE_DIR
Each error case must exit 2 with exactly one line on stderr and leave no output file.
"""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

BINARY = sys.argv[1]


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True)


def snake_of(point, snakes):
    """Index of the target snake with an end at `point` (y, x), or -1."""
    for k in range(2):
        if np.array_equal(snakes[k, 0, :2], point) or np.array_equal(snakes[k, -1, 2:], point):
            return k
    return -1


class TestPathfinder(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def assert_user_error(self, result, *needles, output=None):
        self.assertEqual(result.returncode, 2, msg=result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, msg=result.stderr)
        for needle in needles:
            self.assertIn(needle, lines[0])
        if output is not None:
            self.assertFalse(os.path.exists(output), msg=f"{output} was left behind")
            self.assertEqual([f for f in os.listdir(os.path.dirname(output)) if ".tmp." in f], [])

    def generate(self, name, *args):
        out = self.path(name)
        result = run("data", "pathfinder", *args, "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        self.assertIn("data pathfinder:", result.stderr)  # progress lines
        return out, result

    def test_file_layout_labels_and_geometry(self):
        out, result = self.generate("pf.h5", "--length", "6", "--size", "64", "--count", "300", "--seed", "3")
        self.assertIn("300 images of 64x64", result.stdout)
        with h5py.File(out) as f:
            images, labels = f["images"][:], f["labels"][:]
            snakes, markers = f["snakes"][:], f["markers"][:]
            self.assertEqual(images.shape, (300, 64, 64))
            self.assertEqual(images.dtype, np.uint8)
            self.assertEqual(labels.dtype, np.int64)
            self.assertEqual(snakes.shape, (300, 2, 6, 4))
            self.assertEqual(markers.shape, (300, 2, 2))
            self.assertEqual(f["distractors"].shape, (300, 11, 2, 4))
            self.assertEqual([c.decode() for c in f["classes"][:]], ["different", "same"])
            self.assertEqual(f.attrs["preset"], "lra64")
            self.assertEqual(f.attrs["contour_length"], "6")
            self.assertEqual(f.attrs["seed"], "3")
            self.assertEqual(f.attrs["num_distractor_snakes"], "11")
        # Label 1 iff both markers sit on ends of the same target snake.
        for i in range(300):
            a, b = snake_of(markers[i, 0], snakes[i]), snake_of(markers[i, 1], snakes[i])
            self.assertGreaterEqual(a, 0)
            self.assertGreaterEqual(b, 0)
            self.assertEqual(int(a == b), labels[i], msg=f"image {i}")
        # Paddles are paddle_length (5 px) long.
        lengths = np.hypot(snakes[..., 2] - snakes[..., 0], snakes[..., 3] - snakes[..., 1])
        np.testing.assert_allclose(lengths, 5.0, atol=1e-3)
        self.assertTrue(0.4 < labels.mean() < 0.6, msg=labels.mean())
        # Drawn and anti-aliased: strokes, with intermediate grey levels at their edges.
        lit = (images > 0).mean(axis=(1, 2))
        partial = ((images > 0) & (images < 255)).mean(axis=(1, 2))
        self.assertTrue((lit > 0.03).all())
        self.assertTrue((partial > 0.02).all())
        self.assertTrue(((images == 255).sum(axis=(1, 2)) > 0).all())

    def test_determinism_and_threads(self):
        a, _ = self.generate("a.h5", "--size", "32", "--length", "14", "--count", "40", "--seed", "9",
                             "--threads", "1")
        b, _ = self.generate("b.h5", "--size", "32", "--length", "14", "--count", "40", "--seed", "9",
                             "--threads", "2")
        c, _ = self.generate("c.h5", "--size", "32", "--length", "14", "--count", "40", "--seed", "10")
        with h5py.File(a) as fa, h5py.File(b) as fb, h5py.File(c) as fc:
            np.testing.assert_array_equal(fa["images"][:], fb["images"][:])
            np.testing.assert_array_equal(fa["labels"][:], fb["labels"][:])
            self.assertFalse(np.array_equal(fa["images"][:], fc["images"][:]))
            self.assertEqual(fa["snakes"].shape, (40, 2, 14, 4))  # lra32: contour length 14

    def test_h5_file_packs_back(self):
        """`h5:` reads the 3-D images as one channel: `data pack` copies them unchanged."""
        src, _ = self.generate("src.h5", "--size", "32", "--length", "6", "--count", "12", "--seed", "1")
        out = self.path("packed.h5")
        result = run("data", "pack", f"h5:{src}", "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(src) as fs, h5py.File(out) as fo:
            self.assertEqual(fo["images"].shape, (12, 32, 32, 1))
            np.testing.assert_array_equal(fo["images"][..., 0], fs["images"][:])
            np.testing.assert_array_equal(fo["labels"][:], fs["labels"][:])

    def test_bad_input(self):
        out = self.path("bad.h5")
        self.assert_user_error(run("data", "pathfinder", "--length", "200", "--size", "32", "--count", "4",
                                   "--out", out), "cannot place two snakes of 200", output=out)
        self.assert_user_error(run("data", "pathfinder", "--count", "0", "--out", out), "--count", output=out)
        self.assert_user_error(run("data", "pathfinder", "--count", "-5", "--out", out), "--count", output=out)
        self.assert_user_error(run("data", "pathfinder", "--size", "0", "--out", out), "--size", output=out)
        self.assert_user_error(run("data", "pathfinder", "--size", "-64", "--out", out), "--size", output=out)
        self.assert_user_error(run("data", "pathfinder", "--length", "0", "--out", out), "--length", output=out)
        self.assert_user_error(run("data", "pathfinder", "--size", "50", "--out", out), "no preset for --size 50",
                               output=out)
        self.assert_user_error(run("data", "pathfinder", "--preset", "lra65", "--out", out), "lra65", output=out)
        self.assert_user_error(run("data", "pathfinder", "--count", "3"), "--out")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
