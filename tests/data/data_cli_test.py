"""Integration tests of `ventral data pack` on real files, read back with h5py.

Run by CTest as: /usr/bin/python3 data_cli_test.py VENTRAL_BINARY SOURCE_DIR
Each error case must exit 2 with exactly one line on stderr and leave no output file.
"""
import gzip
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

BINARY = sys.argv[1]
SOURCE = sys.argv[2]
IMAGES = os.path.join(SOURCE, "data", "hmax_reference", "images")
FASHION = "/usr/share/datasets/fashion-mnist"


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True)


def colour_photo():
    """The reference photographs are gray: R, G, B from three of them, 451 x 300."""
    planes = [np.asarray(Image.open(os.path.join(IMAGES, name)).convert("L"))[:300, :451]
              for name in ("chelsea.png", "coffee.png", "rocket.png")]
    return Image.fromarray(np.stack(planes, axis=2))


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def assert_user_error(self, result, *needles, output=None):
        self.assertEqual(result.returncode, 2, msg=result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, msg=result.stderr)
        for needle in needles:
            self.assertIn(needle, lines[0])
        if output is not None:
            self.assertFalse(os.path.exists(output), msg=f"{output} was left behind")
            leftovers = [f for f in os.listdir(os.path.dirname(output)) if ".tmp." in f]
            self.assertEqual(leftovers, [])

    def build_tree(self, corrupt=False):
        """root/train/{cat,cup}: JPEGs, a PNG named .JPEG, a CMYK JPEG written by Pillow."""
        root = self.path("tree")
        for cls in ("cat", "cup"):
            os.makedirs(os.path.join(root, "train", cls))
        Image.open(os.path.join(IMAGES, "chelsea.png")).convert("RGB").save(
            os.path.join(root, "train", "cat", "a_chelsea.jpg"), quality=90)
        shutil.copy(os.path.join(IMAGES, "camera_256.png"), os.path.join(root, "train", "cat", "b_camera.JPEG"))
        colour_photo().save(os.path.join(root, "train", "cup", "a_colour.jpeg"), quality=92)
        colour_photo().convert("CMYK").save(os.path.join(root, "train", "cup", "b_cmyk.jpg"), quality=95)
        with open(os.path.join(root, "train", "cup", "notes.txt"), "w") as f:
            f.write("not an image")
        if corrupt:
            with open(os.path.join(root, "train", "cup", "c_broken.jpg"), "wb") as f:
                with open(os.path.join(root, "train", "cup", "a_colour.jpeg"), "rb") as whole:
                    f.write(whole.read()[:500])
        return root


class TestPackImageFolder(Base):
    def test_round_trip_matches_torchvision_eval_transform(self):
        root = self.build_tree()
        out = self.path("train64.h5")
        result = run("data", "pack", f"imagefolder:{root}", "--split", "train", "--size", "64", "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        self.assertIn("4 images of 64x64x3", result.stdout)
        with h5py.File(out) as f:
            images, labels = f["images"], f["labels"]
            self.assertEqual(images.shape, (4, 64, 64, 3))
            self.assertEqual(images.dtype, np.uint8)
            self.assertEqual(labels.dtype, np.int64)
            self.assertEqual(list(labels[:]), [0, 0, 1, 1])
            self.assertEqual([c.decode() for c in f["classes"][:]], ["cat", "cup"])
            self.assertEqual(f.attrs["split"], "train")
            pipeline = transforms.Compose([
                transforms.Resize(64, interpolation=InterpolationMode.BILINEAR), transforms.CenterCrop(64)])
            files = [("cat", "a_chelsea.jpg"), ("cat", "b_camera.JPEG"), ("cup", "a_colour.jpeg"),
                     ("cup", "b_cmyk.jpg")]
            for k, (cls, name) in enumerate(files):
                expected = np.asarray(pipeline(Image.open(os.path.join(root, "train", cls, name)).convert("RGB")))
                diff = np.abs(images[k].astype(int) - expected.astype(int)).max()
                # Same libjpeg-turbo and Pillow's resize arithmetic: equal, except CMYK,
                # which Pillow converts with its own rounding (1 level).
                self.assertLessEqual(diff, 1 if name == "b_cmyk.jpg" else 0, msg=name)

    def test_class_map_orders_labels(self):
        root = self.build_tree()
        with open(self.path("classes.txt"), "w") as f:
            f.write("cup\ncat\n")
        out = self.path("mapped.h5")
        result = run("data", "pack", f"imagenet:{root}", "--class-map", self.path("classes.txt"),
                     "--size", "32", "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(out) as f:
            self.assertEqual([c.decode() for c in f["classes"][:]], ["cup", "cat"])
            self.assertEqual(list(f["labels"][:]), [0, 0, 1, 1])

    def test_native_size_must_agree(self):
        root = self.build_tree()
        out = self.path("native.h5")
        self.assert_user_error(run("data", "pack", f"imagefolder:{root}", "--out", out),
                               "b_camera.JPEG", "--size", output=out)

    def test_corrupt_file_is_named(self):
        root = self.build_tree(corrupt=True)
        out = self.path("corrupt.h5")
        self.assert_user_error(run("data", "pack", f"imagefolder:{root}", "--size", "32", "--out", out),
                               "c_broken.jpg", output=out)

    def test_empty_class_folder_and_missing_class(self):
        root = self.build_tree()
        os.makedirs(os.path.join(root, "train", "empty"))
        out = self.path("x.h5")
        self.assert_user_error(run("data", "pack", f"imagefolder:{root}", "--size", "32", "--out", out),
                               os.path.join(root, "train", "empty"), output=out)
        with open(self.path("classes.txt"), "w") as f:
            f.write("cat\ndog\n")
        self.assert_user_error(run("data", "pack", f"imagefolder:{root}", "--class-map",
                                   self.path("classes.txt"), "--size", "32", "--out", out),
                               "'dog'", output=out)


class TestPackIdxAndH5(Base):
    def write_idx(self, folder, split, images, labels, gz):
        os.makedirs(folder, exist_ok=True)
        opener = gzip.open if gz else open
        suffix = ".gz" if gz else ""
        n, h, w = images.shape
        with opener(os.path.join(folder, f"{split}-images-idx3-ubyte{suffix}"), "wb") as f:
            f.write(np.array([0x803, n, h, w], ">u4").tobytes() + images.astype(np.uint8).tobytes())
        with opener(os.path.join(folder, f"{split}-labels-idx1-ubyte{suffix}"), "wb") as f:
            f.write(np.array([0x801, n], ">u4").tobytes() + labels.astype(np.uint8).tobytes())

    def test_idx_native_round_trip_and_repack_from_h5(self):
        images = np.arange(5 * 4 * 6).reshape(5, 4, 6) % 256
        labels = np.array([3, 1, 0, 3, 2])
        for gz in (False, True):
            folder = self.path(f"idx{int(gz)}")
            self.write_idx(folder, "t10k", images, labels, gz)
            out = self.path(f"t10k_{int(gz)}.h5")
            result = run("data", "pack", f"idx:{folder}", "--split", "t10k", "--out", out)
            self.assertEqual(result.returncode, 0, msg=result.stderr)
            with h5py.File(out) as f:
                self.assertEqual(f["images"].shape, (5, 4, 6, 1))
                np.testing.assert_array_equal(f["images"][:, :, :, 0], images)
                np.testing.assert_array_equal(f["labels"][:], labels)
                self.assertEqual([c.decode() for c in f["classes"][:]], ["0", "1", "2", "3"])
        # h5: in, h5 out (a folder holds <split>.h5).
        os.makedirs(self.path("packed"))
        shutil.copy(self.path("t10k_1.h5"), self.path("packed", "val.h5"))
        out = self.path("again.h5")
        result = run("data", "pack", "h5:" + self.path("packed"), "--split", "val", "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(out) as f:
            np.testing.assert_array_equal(f["images"][:, :, :, 0], images)

    def test_wrong_magic_names_file_and_magic(self):
        folder = self.path("bad")
        self.write_idx(folder, "train", np.zeros((2, 2, 2)), np.zeros(2), False)
        with open(os.path.join(folder, "train-images-idx3-ubyte"), "r+b") as f:
            f.write(np.array([0x802], ">u4").tobytes())
        out = self.path("bad.h5")
        self.assert_user_error(run("data", "pack", f"idx:{folder}", "--out", out),
                               "train-images-idx3-ubyte", "0x00000802", "0x00000803", output=out)

    def test_h5_with_bad_label(self):
        bad = self.path("bad_label.h5")
        with h5py.File(bad, "w") as f:
            f["images"] = np.zeros((3, 2, 2, 3), np.uint8)
            f["labels"] = np.array([0, 7, 1], np.int64)
            f["classes"] = np.array(["a", "b"], dtype=h5py.string_dtype())
        out = self.path("out.h5")
        self.assert_user_error(run("data", "pack", f"h5:{bad}", "--out", out),
                               "bad_label.h5", "labels[1] is 7", output=out)

    def test_argument_errors(self):
        out = self.path("x.h5")
        self.assert_user_error(run("data", "pack", "cifar:/x", "--out", out), "unknown kind 'cifar'", output=out)
        self.assert_user_error(run("data", "pack", f"idx:{self.dir}", "--out", out), "train-images-idx3-ubyte",
                               output=out)
        self.assert_user_error(run("data", "pack", f"idx:{FASHION}"), "--out")
        self.assert_user_error(run("data", "pack", "--out", out), "SPEC", output=out)
        self.assert_user_error(run("data", "pack", f"idx:{FASHION}", "--out", self.path("no", "x.h5")),
                               "does not exist")

    @unittest.skipUnless(os.path.exists(os.path.join(FASHION, "t10k-labels-idx1-ubyte.gz")),
                         "dataset-fashion-mnist is not installed")
    def test_fashion_mnist_t10k(self):
        out = self.path("fmnist_t10k.h5")
        result = run("data", "pack", f"idx:{FASHION}", "--split", "t10k", "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with gzip.open(os.path.join(FASHION, "t10k-labels-idx1-ubyte.gz")) as f:
            expected_labels = np.frombuffer(f.read()[8:], np.uint8)
        with gzip.open(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")) as f:
            expected_first = np.frombuffer(f.read()[16:16 + 784], np.uint8).reshape(28, 28)
        with h5py.File(out) as f:
            self.assertEqual(f["images"].shape, (10000, 28, 28, 1))
            self.assertEqual(int(f["labels"][0]), 9)
            np.testing.assert_array_equal(f["labels"][:], expected_labels)
            np.testing.assert_array_equal(f["images"][0, :, :, 0], expected_first)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
