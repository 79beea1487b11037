"""Integration tests: the real `ventral` binary on real files.

Run by CTest as: /usr/bin/python3 cli_test.py VENTRAL_BINARY SOURCE_DIR
Each error case must exit 2 with exactly one line on stderr and leave no output file.
"""
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

import h5py
import numpy as np
from PIL import Image

BINARY = sys.argv[1]
SOURCE = sys.argv[2]
IMAGES = os.path.join(SOURCE, "data", "hmax_reference", "images")
PATCHES = os.path.join(SOURCE, "data", "hmax_reference", "patches.h5")


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True)


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.started = time.monotonic()

    def tearDown(self):
        self.tmp.cleanup()
        print(f"  [{time.monotonic() - self.started:.1f} s]", file=sys.stderr)

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
            leftovers = [f for f in os.listdir(os.path.dirname(output)) if ".tmp." in f]
            self.assertEqual(leftovers, [])


class TestCommands(Base):
    def test_help_version_models(self):
        self.assertEqual(run("--help").returncode, 0)
        for cmd in ("models", "features", "imprint", "show"):
            result = run(cmd, "--help")
            self.assertEqual(result.returncode, 0, msg=cmd)
            self.assertIn("Usage", result.stdout)
        version = run("--version")
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"ventral \d+\.\d+\.\d+")
        models = run("models")
        self.assertEqual(models.returncode, 0)
        self.assertRegex(models.stdout, r"hmax-classic\s+classic HMAX")
        details = run("models", "--details")
        self.assertIn("c1/7", details.stdout)
        self.assertIn("parameters: 0", details.stdout)

    def test_features_layout(self):
        out = self.path("f.h5")
        result = run("features", "--patches", PATCHES, "--layers", "c1,c2,s1/3", "--out", out,
                     os.path.join(IMAGES, "camera_256.png"), os.path.join(IMAGES, "astronaut_256.png"))
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(out) as f:
            ids = [s.decode() for s in f["stimulus_id"][:]]
            self.assertEqual(ids, ["camera_256", "astronaut_256"])
            self.assertEqual(f["c2"].shape, (2, 100))
            self.assertEqual(f["c2"].dtype, np.float32)
            self.assertEqual(f["s1/3"].shape, (2, 4, 256, 256))
            sizes = [f[f"c1/{k}"].shape[2] for k in range(8)]
            self.assertEqual(sizes, [65, 52, 43, 37, 33, 29, 26, 24])
            # patches.h5 was imprinted from these photographs (by another implementation):
            # some prototype matches to float32 round-off.
            self.assertLess(float(f["c2"][:].min()), 1e-5)

    def test_images_dir_and_c2_across_sizes(self):
        out = self.path("c2.h5")
        result = run("features", "--patches", PATCHES, "--layers", "c2", "--images", IMAGES, "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(out) as f:
            self.assertEqual(f["c2"].shape, (8, 100))
            self.assertEqual(f["stimulus_id"][0].decode(), "astronaut_256")

    def test_features_from_a_dataset(self):
        # Fashion-MNIST (Debian's dataset-fashion-mnist) as stimuli: the first 12 test images.
        fashion = "/usr/share/datasets/fashion-mnist"
        out = self.path("fm.h5")
        result = run("features", "--patches", PATCHES, "--layers", "c2", "--data", f"idx:{fashion}",
                     "--count", "12", "--size", "64", "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(out) as f:
            ids = [s.decode() for s in f["stimulus_id"][:]]
            self.assertEqual(ids, [f"t10k-{i:02d}" for i in range(12)])
            self.assertEqual(f["c2"].shape, (12, 100))
            from_data = f["c2"][:]
        # The same first test image as a PNG file gives the same C2 (one decode and resize path).
        import gzip
        with gzip.open(os.path.join(fashion, "t10k-images-idx3-ubyte.gz")) as g:
            first = np.frombuffer(g.read(16 + 28 * 28), np.uint8, offset=16).reshape(28, 28)
        png = self.path("t10k-00.png")
        Image.fromarray(first, "L").save(png)
        from_png = self.path("png.h5")
        result = run("features", "--patches", PATCHES, "--layers", "c2", "--size", "64", "--out", from_png, png)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(from_png) as f:
            np.testing.assert_array_equal(f["c2"][0], from_data[0])
        self.assertGreater(float(np.ptp(from_data, axis=0).max()), 0)
        self.assert_user_error(run("features", "--patches", PATCHES, "--layers", "c2", "--data",
                                   f"idx:{fashion}", "--count", "10001", "--size", "64", "--out",
                                   self.path("bad.h5")),
                               "--count 10001", "10000 images", output=self.path("bad.h5"))
        self.assert_user_error(run("features", "--patches", PATCHES, "--layers", "c2", "--data", f"idx:{fashion}", "--out",
                                   self.path("bad.h5"), os.path.join(IMAGES, "camera_256.png")),
                               "not both", output=self.path("bad.h5"))

    def test_ctrl_c_leaves_no_temporary_file(self):
        # A long `data pathfinder` run, interrupted once its temporary output exists: the
        # process ends by SIGINT and the folder holds nothing (no partial file, no .tmp).
        out = self.path("interrupted.h5")
        proc = subprocess.Popen([BINARY, "data", "pathfinder", "--length", "14", "--size", "64", "--count",
                                 "500000", "--seed", "1", "--out", out],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not [f for f in os.listdir(self.dir) if ".tmp." in f] and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue([f for f in os.listdir(self.dir) if ".tmp." in f], "no temporary file appeared")
        time.sleep(0.5)  # well inside the generation
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=30), -signal.SIGINT)
        self.assertEqual(os.listdir(self.dir), [])

    def test_runs_are_reproducible(self):
        a, b, c = self.path("a.h5"), self.path("b.h5"), self.path("c.h5")
        image = os.path.join(IMAGES, "brick_224.png")
        for out, threads in ((a, "2"), (b, "2"), (c, "1")):
            result = run("features", "--threads", threads, "--layers", "c1", "--out", out, image)
            self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(a) as fa, h5py.File(b) as fb, h5py.File(c) as fc:
            for k in range(8):
                # Same threads: bit-identical. Other thread counts: oneDNN's blocking changes
                # the summation order of the small direct convolutions, so round-off only.
                np.testing.assert_array_equal(fa[f"c1/{k}"][:], fb[f"c1/{k}"][:])
                np.testing.assert_allclose(fa[f"c1/{k}"][:], fc[f"c1/{k}"][:], rtol=0, atol=1e-6)

    def test_imprint_is_deterministic(self):
        outs = [self.path(n) for n in ("p1.h5", "p2.h5", "p3.h5")]
        for out, seed in zip(outs, ("5", "5", "6")):
            result = run("imprint", "--images", IMAGES, "--sizes", "4,8", "--per-size", "7",
                         "--seed", seed, "--out", out)
            self.assertEqual(result.returncode, 0, msg=result.stderr)
        with h5py.File(outs[0]) as a, h5py.File(outs[1]) as b, h5py.File(outs[2]) as c:
            self.assertEqual(a["patches/4"].shape, (7, 4, 4, 4))
            self.assertEqual(a["patches/8"].shape, (7, 4, 8, 8))
            np.testing.assert_array_equal(a["patches/8"][:], b["patches/8"][:])
            self.assertFalse(np.array_equal(a["provenance/8"][:], c["provenance/8"][:]))
        # Imprinted prototypes match their source image exactly: C2 has a zero per prototype.
        feats = self.path("c2.h5")
        self.assertEqual(run("features", "--patches", outs[0], "--layers", "c2", "--images", IMAGES,
                             "--out", feats).returncode, 0)
        with h5py.File(feats) as f:
            self.assertTrue(np.all(f["c2"][:].min(axis=0) == 0.0))

    def test_show_writes_a_montage(self):
        out = self.path("c1.png")
        result = run("show", "--layer", "c1", os.path.join(IMAGES, "camera_256.png"), "--out", out)
        self.assertEqual(result.returncode, 0, msg=result.stderr)
        with Image.open(out) as image:
            self.assertEqual(image.size, (8 * 128 + 9 * 4, 4 * 128 + 5 * 4))
            self.assertEqual(image.mode, "RGB")
            pixels = np.asarray(image)
            self.assertGreater(len(np.unique(pixels.reshape(-1, 3), axis=0)), 50)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class TestBadInput(Base):
    def features(self, *args, out=None):
        out = out or self.path("out.h5")
        return run("features", "--layers", "c1", "--out", out, *args), out

    def test_missing_file(self):
        result, out = self.features(self.path("nope.png"))
        self.assert_user_error(result, "nope.png", "no such file", output=out)

    def test_not_an_image(self):
        bad = self.path("notes.png")
        with open(bad, "w") as f:
            f.write("not an image")
        result, out = self.features(bad)
        self.assert_user_error(result, bad, "not a PNG or JPEG", output=out)

    def test_truncated_png_and_jpeg(self):
        with open(os.path.join(IMAGES, "camera_256.png"), "rb") as f:
            data = f.read()
        cut = self.path("cut.png")
        with open(cut, "wb") as f:
            f.write(data[: len(data) // 2])
        result, out = self.features(cut)
        self.assert_user_error(result, cut, "corrupt PNG", output=out)
        jpeg = self.path("photo.jpg")
        Image.open(os.path.join(IMAGES, "camera_256.png")).save(jpeg, quality=90)
        with open(jpeg, "rb") as f:
            data = f.read()
        with open(jpeg, "wb") as f:
            f.write(data[: len(data) // 2])
        result, out = self.features(jpeg)
        self.assert_user_error(result, jpeg, "JPEG", output=out)

    def test_zero_size_image(self):
        zero = self.path("zero.png")
        ihdr = struct.pack(">IIBBBBB", 0, 16, 8, 0, 0, 0, 0)
        with open(zero, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IEND", b""))
        result, out = self.features(zero)
        self.assert_user_error(result, zero, output=out)
        empty = self.path("empty.jpg")
        open(empty, "wb").close()
        result, out = self.features(empty)
        self.assert_user_error(result, empty, "empty file", output=out)

    def test_image_smaller_than_largest_filter(self):
        small = self.path("small.png")
        Image.new("L", (36, 80), 128).save(small)
        result, out = self.features(small)
        self.assert_user_error(result, "smaller than the largest S1 filter (37 px)", output=out)

    def test_bad_patch_files(self):
        image = os.path.join(IMAGES, "brick_224.png")
        no_group = self.path("no_group.h5")
        with h5py.File(no_group, "w") as f:
            f["other"] = np.zeros(3, np.float32)
        out = self.path("out.h5")
        result = run("features", "--patches", no_group, "--layers", "c2", "--out", out, image)
        self.assert_user_error(result, no_group, "no 'patches' group", output=out)
        wrong = self.path("wrong.h5")
        with h5py.File(wrong, "w") as f:
            f["patches/8"] = np.zeros((2, 3, 8, 8), np.float32)
        result = run("features", "--patches", wrong, "--layers", "c2", "--out", out, image)
        self.assert_user_error(result, wrong, "expected (P, 4, 8, 8)", output=out)

    def test_unknown_model_and_layer(self):
        image = os.path.join(IMAGES, "brick_224.png")
        out = self.path("out.h5")
        result = run("features", "--model", "hmax-wdie", "--layers", "c1", "--out", out, image)
        self.assert_user_error(result, "unknown model 'hmax-wdie'", "hmax-classic", output=out)
        result = run("features", "--layers", "c3", "--out", out, image)
        self.assert_user_error(result, "unknown layer 'c3'", "c1/7", "s1/15", output=out)
        result = run("features", "--layers", "c2", "--out", out, image)
        self.assert_user_error(result, "needs S2 prototypes", output=out)

    def test_unequal_sizes_for_spatial_layers(self):
        result, out = self.features(os.path.join(IMAGES, "brick_224.png"), os.path.join(IMAGES, "rocket.png"))
        self.assert_user_error(result, "equal image sizes", "--size", output=out)
        out = self.path("resized.h5")
        result = run("features", "--layers", "c1", "--size", "128", "--out", out,
                     os.path.join(IMAGES, "brick_224.png"), os.path.join(IMAGES, "rocket.png"))
        self.assertEqual(result.returncode, 0, msg=result.stderr)

    def test_unwritable_output(self):
        image = os.path.join(IMAGES, "brick_224.png")
        result = run("features", "--layers", "c1", "--out", "/nonexistent-dir/out.h5", image)
        self.assert_user_error(result, "/nonexistent-dir/out.h5", "does not exist")
        locked = self.path("locked")
        os.mkdir(locked)
        os.chmod(locked, 0o500)
        try:
            if os.access(locked, os.W_OK):  # root ignores permissions; use a read-only mount instead
                result = run("features", "--layers", "c1", "--out", "/proc/out.h5", image)
                self.assert_user_error(result, "/proc/out.h5")
            else:
                out = os.path.join(locked, "out.h5")
                result = run("features", "--layers", "c1", "--out", out, image)
                self.assert_user_error(result, out, "not writable", output=out)
        finally:
            os.chmod(locked, 0o700)

    def test_output_never_replaces_an_input(self):
        # an output that is one of the inputs (by identity, also through a link), or a FIFO, is
        # refused before anything runs; the input stays byte-identical (issue 15)
        image = self.path("b.png")
        shutil.copy(os.path.join(IMAGES, "brick_224.png"), image)
        patches = self.path("p.h5")
        shutil.copy(PATCHES, patches)
        os.symlink(patches, self.path("link.h5"))
        before = {p: open(p, "rb").read() for p in (image, patches)}
        self.assert_user_error(run("show", "--layer", "c1", "--out", image, image), "is one of the inputs")
        self.assert_user_error(run("features", "--model", "hmax-classic", "--patches", patches, "--layers", "c2",
                                   "--out", self.path("link.h5"), image), "is one of the inputs")
        os.mkfifo(self.path("fifo"))
        self.assert_user_error(run("features", "--layers", "c1", "--out", self.path("fifo"), image),
                               "a device, FIFO or socket")
        for path, data in before.items():
            self.assertEqual(open(path, "rb").read(), data, msg=path)

    def test_non_finite_numbers_and_huge_thread_counts(self):
        out = self.path("run")
        self.assert_user_error(run("train", "--lr", "inf", "--output", out), "--lr", "finite")
        config = self.path("c.toml")
        with open(config, "w") as f:
            f.write("lr = 1e400\n")
        self.assert_user_error(run("train", "--config", config, "--output", out), "lr = 1e400", "finite")
        self.assert_user_error(run("train", "--config", self.dir, "--output", out), "a folder")
        with open(config, "wb") as f:  # a UTF-8 byte-order mark is not part of the first key
            f.write(b"\xef\xbb\xbflr = inf\n")
        self.assert_user_error(run("train", "--config", config, "--output", out), "lr = inf", "finite")
        self.assert_user_error(run("train", "--decay-milestones", "2,-1", "--output", out), "--decay-milestones")
        self.assert_user_error(run("features", "--threads", "100000", "--layers", "c1", "--out", self.path("f.h5"),
                                   os.path.join(IMAGES, "brick_224.png")), "--threads 100000", "at most")
        self.assertFalse(os.path.exists(out))

    def test_bad_flags(self):
        self.assert_user_error(run("features", "--bogus", "1"), "--bogus")
        self.assert_user_error(run("features", "--batch-size", "0", "--layers", "c1"), "--batch-size")
        self.assert_user_error(run("imprint", "--sizes", "5", "--out", self.path("p.h5"), IMAGES), "--sizes", "5")
        self.assert_user_error(run("nonsense"), "unknown command 'nonsense'", "features")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
