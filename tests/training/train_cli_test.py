"""Integration tests of `ventral train` and `ventral eval`: the real binary on real
Fashion-MNIST images (Debian's dataset-fashion-mnist), checkpoints opened by Debian's
python3-torch, exact resume, and every bad-input case of the trainer.

Run by CTest as: /usr/bin/python3 train_cli_test.py VENTRAL_BINARY SOURCE_DIR
"""
import csv
import gzip
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np
import torch
from PIL import Image

BINARY = sys.argv[1]
SOURCE = sys.argv[2]
FASHION = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
           "Ankle boot"]
# A small, fast hmax-wide: the tests pin behaviour, not accuracy records.
SMALL = ["--model-opt", "width=8", "--model-opt", "s2_width=16", "--model-opt", "s3_width=32"]
COMMON = ["--threads", "2", "--workers", "2", "--mean", "0.286", "--std", "0.353", "--batch-size", "50",
          "--log-interval", "10"]


def run(*args, limit_file_size=None):
    def limit():
        if limit_file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))
    return subprocess.run([BINARY, *args], capture_output=True, text=True, preexec_fn=limit)


def read_idx(split, kind):
    name = f"{split}-{'images-idx3' if kind == 'images' else 'labels-idx1'}-ubyte.gz"
    with gzip.open(os.path.join(FASHION, name)) as f:
        data = f.read()
    if kind == "images":
        n = int.from_bytes(data[4:8], "big")
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 28, 28)
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def write_h5(path, images, labels):
    with h5py.File(path, "w") as f:
        f["images"] = images[..., None]
        f["labels"] = labels
        f["classes"] = np.array(CLASSES, dtype=h5py.string_dtype())


class TrainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = os.path.join(cls.tmp.name, "fmnist")
        os.makedirs(cls.data)
        # Real images: the first 2000 training and 500 test images of Fashion-MNIST.
        write_h5(os.path.join(cls.data, "train.h5"), read_idx("train", "images")[:2000],
                 read_idx("train", "labels")[:2000])
        write_h5(os.path.join(cls.data, "val.h5"), read_idx("t10k", "images")[:500], read_idx("t10k", "labels")[:500])
        cls.spec = f"h5:{cls.data}"
        # One trained run shared by the read-only checks.
        cls.run_dir = os.path.join(cls.tmp.name, "run")
        cls.trained = run("train", "--data", cls.spec, "--epochs", "2", "--output", cls.run_dir, "--seed", "3",
                          "--lr", "0.05", *SMALL, *COMMON)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp.name)
        self.started = time.monotonic()

    def tearDown(self):
        print(f"  [{time.monotonic() - self.started:.1f} s]", file=sys.stderr)

    def path(self, name):
        return os.path.join(self.dir, name)

    def assert_user_error(self, result, *needles):
        self.assertEqual(result.returncode, 2, result.stderr + result.stdout)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for needle in needles:
            self.assertIn(needle, lines[0])

    # --- a real training run -------------------------------------------------------
    def test_training_beats_chance_and_writes_the_run_folder(self):
        self.assertEqual(self.trained.returncode, 0, self.trained.stderr)
        for name in ["config.toml", "summary.csv", "train.log", "last.pt", "best.pt"]:
            self.assertTrue(os.path.exists(os.path.join(self.run_dir, name)), name)
        with open(os.path.join(self.run_dir, "summary.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(list(rows[0].keys()), ["epoch", "train_loss", "eval_loss", "eval_top1", "eval_top5", "lr"])
        self.assertEqual([r["epoch"] for r in rows], ["1", "2"])
        # 10 classes: chance is 10%; 2000 images and 2 epochs must do far better.
        self.assertGreater(float(rows[-1]["eval_top1"]), 55.0, rows)
        self.assertLess(float(rows[-1]["train_loss"]), float(rows[0]["train_loss"]))
        with open(os.path.join(self.run_dir, "train.log")) as f:
            log = f.read()
        self.assertRegex(log, r"epoch 1/2 batch 10/40 loss \d+\.\d+ .* lr [0-9.e-]+ [0-9.]+ img/s ETA")
        with open(os.path.join(self.run_dir, "config.toml")) as f:
            config = f.read()
        self.assertIn('model = "hmax-wide"', config)
        self.assertIn("epochs = 2", config)

    def test_eval_reproduces_the_best_epoch(self):
        out = self.path("eval.json")
        result = run("eval", "--checkpoint", os.path.join(self.run_dir, "best.pt"), "--data", self.spec,
                     "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out) as f:
            scores = json.load(f)
        with open(os.path.join(self.run_dir, "summary.csv")) as f:
            best = max(float(r["eval_top1"]) for r in csv.DictReader(f))
        self.assertEqual(scores["n"], 500)
        self.assertAlmostEqual(scores["top1"], best, places=3)
        self.assertGreaterEqual(scores["top5"], scores["top1"])
        self.assertEqual(json.loads(result.stdout.strip().splitlines()[-1])["top1"], scores["top1"])

    def test_checkpoint_opens_in_pytorch_with_names_shapes_and_values(self):
        ckpt = torch.load(os.path.join(self.run_dir, "last.pt"))
        self.assertEqual(ckpt["arch"], "hmax-wide")
        self.assertEqual(ckpt["epoch"], 2)
        self.assertEqual(ckpt["model_options"]["width"], "8")
        self.assertEqual(ckpt["args"]["lr"], "0.05")
        self.assertEqual(ckpt["classes"], CLASSES)
        sd = ckpt["state_dict"]
        self.assertEqual(tuple(sd["s1.main.0.weight"].shape), (8, 1, 5, 5))
        self.assertEqual(tuple(sd["s2.main.0.weight"].shape), (16, 8, 3, 3))
        self.assertEqual(tuple(sd["head.weight"].shape), (10, 32))
        self.assertIn("s1.main.1.running_mean", sd)
        self.assertEqual(set(ckpt["optimizer"]["state"].keys()), set(range(len(ckpt["optimizer"]["state"]))))
        # Values: the read-out computed in PyTorch from the checkpoint's head equals the
        # logits ventral computes with the same checkpoint.
        images = self.path("images")
        os.makedirs(images)
        for i, img in enumerate(read_idx("t10k", "images")[:6]):
            Image.fromarray(img).save(os.path.join(images, f"img{i}.png"))
        feats = self.path("feats.h5")
        result = run("features", "--checkpoint", os.path.join(self.run_dir, "last.pt"), "--layers",
                     "pre_logits,logits", "--images", images, "--out", feats)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(feats) as f:
            pre = torch.from_numpy(f["pre_logits"][:])
            logits = torch.from_numpy(f["logits"][:])
        expected = pre @ sd["head.weight"].T + sd["head.bias"]
        torch.testing.assert_close(logits, expected, rtol=1e-5, atol=1e-5)

    def test_resume_equivalence_on_weights(self):
        args = ["--data", self.spec, "--limit-train-batches", "8", "--seed", "5", *SMALL, *COMMON,
                "--model-opt", "dropout=0.2", "--sched", "step", "--decay-epochs", "1", "--decay-rate", "0.5"]
        straight, resumed = self.path("straight"), self.path("resumed")
        self.assertEqual(run("train", *args, "--epochs", "2", "--output", straight).returncode, 0)
        one = run("train", *args, "--epochs", "1", "--output", resumed)
        self.assertEqual(one.returncode, 0, one.stderr)
        two = run("train", *args, "--epochs", "2", "--output", resumed, "--resume",
                  os.path.join(resumed, "last.pt"))
        self.assertEqual(two.returncode, 0, two.stderr)
        self.assertIn("resumed from", two.stdout)
        a = torch.load(os.path.join(straight, "last.pt"))
        b = torch.load(os.path.join(resumed, "last.pt"))
        self.assertEqual(a["epoch"], b["epoch"])
        self.assertEqual(a["updates"], b["updates"])
        self.assertEqual(a["state_dict"].keys(), b["state_dict"].keys())
        for name in a["state_dict"]:
            self.assertTrue(torch.equal(a["state_dict"][name], b["state_dict"][name]), name)
        for i, state in a["optimizer"]["state"].items():
            self.assertTrue(torch.equal(state["momentum_buffer"], b["optimizer"]["state"][i]["momentum_buffer"]))
        with open(os.path.join(straight, "summary.csv")) as f, open(os.path.join(resumed, "summary.csv")) as g:
            self.assertEqual(f.read(), g.read())

    # --- bad input -------------------------------------------------------------------
    def test_resume_from_another_model_or_options(self):
        last = os.path.join(self.run_dir, "last.pt")
        out = self.path("other")
        self.assert_user_error(
            run("train", "--data", self.spec, "--epochs", "3", "--output", out, "--resume", last, *COMMON,
                "--model-opt", "width=16", "--model-opt", "s2_width=16", "--model-opt", "s3_width=32"),
            "model options differ", "width=8 in the checkpoint, 16 here")
        self.assert_user_error(
            run("train", "--model", "hmax-bp", "--data", self.spec, "--epochs", "3", "--output", out,
                "--resume", last, *COMMON),
            "checkpoint is a hmax-wide model, this run trains hmax-bp")
        self.assert_user_error(
            run("train", "--data", self.spec, "--epochs", "3", "--output", out, "--resume", self.path("none.pt"),
                *SMALL, *COMMON), "none.pt", "cannot open")

    def test_existing_run_folder_is_not_overwritten(self):
        self.assert_user_error(run("train", "--data", self.spec, "--epochs", "1", "--output", self.run_dir,
                                   *SMALL, *COMMON), "already holds a run", "--resume")

    def test_non_finite_loss_stops_and_keeps_the_last_good_checkpoint(self):
        out = self.path("diverge")
        args = ["--data", self.spec, "--limit-train-batches", "4", *SMALL, *COMMON, "--model-opt", "batchnorm=false"]
        self.assertEqual(run("train", *args, "--epochs", "1", "--output", out).returncode, 0)
        before = torch.load(os.path.join(out, "last.pt"))
        result = run("train", *args, "--epochs", "2", "--output", out, "--resume", os.path.join(out, "last.pt"),
                     "--lr", "1e30")
        self.assert_user_error(result, "loss became", "epoch 2", "last.pt")
        after = torch.load(os.path.join(out, "last.pt"))
        self.assertEqual(after["epoch"], 1)
        for name in before["state_dict"]:
            self.assertTrue(torch.equal(before["state_dict"][name], after["state_dict"][name]))

    def test_full_disk_keeps_the_previous_checkpoint(self):
        out = self.path("disk")
        args = ["--data", self.spec, "--limit-train-batches", "2", *SMALL, *COMMON]
        self.assertEqual(run("train", *args, "--epochs", "1", "--output", out).returncode, 0)
        last = os.path.join(out, "last.pt")
        size = os.path.getsize(last)
        # Files may not grow past half a checkpoint: the next save fails like a full disk.
        result = run("train", *args, "--epochs", "2", "--output", out, "--resume", last,
                     limit_file_size=size // 2)
        self.assert_user_error(result, "last.pt", "previous checkpoint is unchanged")
        self.assertEqual(torch.load(last)["epoch"], 1)
        self.assertEqual([f for f in os.listdir(out) if ".tmp." in f], [])

    def test_corrupt_images_are_skipped_in_training_and_fatal_in_evaluation(self):
        root = self.path("folder")
        images, labels = read_idx("t10k", "images")[:60], read_idx("t10k", "labels")[:60]
        for split in ["train", "val"]:
            for c in range(3):
                os.makedirs(os.path.join(root, split, f"class{c}"))
        for i, (img, label) in enumerate(zip(images, labels)):
            split = "train" if i < 45 else "val"
            Image.fromarray(img).convert("RGB").save(os.path.join(root, split, f"class{label % 3}", f"{i}.jpg"))
        bad = os.path.join(root, "train", "class1", "broken.jpg")
        with open(bad, "wb") as f:
            f.write(b"\xff\xd8\xff\xe0 not really a jpeg")
        out = self.path("folder_run")
        result = run("train", "--data", f"imagefolder:{root}", "--img-size", "28", "--epochs", "1",
                     "--output", out, "--threads", "2", "--batch-size", "23", *SMALL)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("skipped 1 unreadable training images", result.stdout)
        self.assertIn(bad, result.stdout)
        bad_val = os.path.join(root, "val", "class0", "broken.jpg")
        with open(bad_val, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n truncated")
        self.assert_user_error(run("eval", "--checkpoint", os.path.join(out, "last.pt"), "--data",
                                   f"imagefolder:{root}"), bad_val)

    def test_data_errors(self):
        out = self.path("x")
        empty = self.path("empty")
        os.makedirs(os.path.join(empty, "train", "a"))
        os.makedirs(os.path.join(empty, "train", "b"))
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(os.path.join(empty, "train", "a", "0.png"))
        self.assert_user_error(run("train", "--data", f"imagefolder:{empty}", "--img-size", "8", "--output", out),
                               os.path.join(empty, "train", "b"))
        idx = self.path("idx")
        os.makedirs(idx)
        with open(os.path.join(idx, "train-images-idx3-ubyte"), "wb") as f:
            f.write(np.array([0x801, 1, 28, 28], ">u4").tobytes() + bytes(784))
        with open(os.path.join(idx, "train-labels-idx1-ubyte"), "wb") as f:
            f.write(np.array([0x801, 1], ">u4").tobytes() + bytes(1))
        self.assert_user_error(run("train", "--data", f"idx:{idx}", "--output", out), "train-images-idx3-ubyte",
                               "0x00000801")
        labels = self.path("labels")
        os.makedirs(labels)
        write_h5(os.path.join(labels, "train.h5"), np.zeros((4, 28, 28), np.uint8), np.array([0, 1, 12, 3]))
        write_h5(os.path.join(labels, "val.h5"), np.zeros((4, 28, 28), np.uint8), np.array([0, 1, 2, 3]))
        self.assert_user_error(run("train", "--data", f"h5:{labels}", "--output", out), "train.h5", "12")
        self.assertFalse(os.path.exists(os.path.join(out, "last.pt")))

    def test_option_errors(self):
        out = self.path("x")
        self.assert_user_error(run("train", "--data", self.spec, "--output", out, "--model-opt", "widht=3"),
                               "unknown model option 'widht'")
        self.assert_user_error(run("train", "--data", self.spec, "--output", out, "--model", "resnet"),
                               "unknown model 'resnet'")
        self.assert_user_error(run("train", "--data", self.spec), "--output")
        self.assert_user_error(run("train", "--data", self.spec, "--output", out, "--device", "cuda"), "cuda")
        config = self.path("bad.toml")
        with open(config, "w") as f:
            f.write('lr = 0.1\nlearning_rate = 3\n')
        self.assert_user_error(run("train", "--config", config, "--data", self.spec, "--output", out),
                               "bad.toml", "learning_rate")
        with open(config, "w") as f:
            f.write('epochs = -3\n')
        self.assert_user_error(run("train", "--config", config, "--data", self.spec, "--output", out),
                               "bad.toml", "epochs")

    def test_recurrent_model_trains_with_crbp_and_reads_out_every_step(self):
        out = self.path("hgru")
        result = run("train", "--model", "hmax-hgru", "--data", self.spec, "--epochs", "1", "--output", out,
                     "--limit-train-batches", "6", "--timesteps", "3", "--eval-timesteps", "5",
                     "--recurrent-grad", "crbp", *SMALL, *COMMON)
        self.assertEqual(result.returncode, 0, result.stderr)
        ckpt = torch.load(os.path.join(out, "last.pt"))
        self.assertEqual(ckpt["arch"], "hmax-hgru")
        self.assertEqual(ckpt["model_options"]["recurrent_grad"], "crbp")
        w = ckpt["state_dict"]["h1.w_inh"]
        # The horizontal kernel stays channel-symmetric through training.
        torch.testing.assert_close(w, w.transpose(0, 1), rtol=0, atol=1e-6)
        images = self.path("imgs")
        os.makedirs(images)
        Image.fromarray(read_idx("t10k", "images")[0]).save(os.path.join(images, "a.png"))
        feats = self.path("steps.h5")
        result = run("features", "--checkpoint", os.path.join(out, "last.pt"), "--layers", "c1@t1,c1@t5",
                     "--images", images, "--out", feats)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(feats) as f:
            self.assertIn("c1@t5/0", f)
            self.assertFalse(np.allclose(f["c1@t1/0"][:], f["c1@t5/0"][:]))
        self.assert_user_error(run("train", "--data", self.spec, "--output", self.path("ff"), "--timesteps", "4"),
                               "unknown model option 'timesteps'")
        self.assert_user_error(run("train", "--model", "hmax-hgru", "--data", self.spec, "--output",
                                   self.path("neg"), "--timesteps", "-2"), "timesteps")
        self.assert_user_error(run("train", "--model", "hmax-hgru", "--data", self.spec, "--output",
                                   self.path("even"), "--model-opt", "hgru_kernel=4"), "hgru_kernel=4", "odd")

    def test_hgru_learns_a_small_pathfinder_set(self):
        # 256 generated Pathfinder images (32 px, contour length 6) and a small hGRU: the
        # whole recurrent path (stem, 4 unrolled steps, read-out, BPTT, AdamW) must fit them
        # far above chance. Scored on the training images themselves: held-out Pathfinder
        # accuracy needs tens of thousands of images (benchmarks/results/pathfinder_models.md).
        out = self.path("pf")
        spec = "pathfinder:?length=6&size=32&count=256&seed=1"
        result = run("train", "--model", "pathfinder-hgru", "--data", spec, "--val-split", "train",
                     "--model-opt", "channels=16", "--model-opt", "kernel=5", "--timesteps", "4",
                     "--epochs", "12", "--batch-size", "32", "--opt", "adamw", "--lr", "3e-3", "--weight-decay", "0",
                     "--mean", "0", "--std", "1", "--hflip", "0", "--seed", "1", "--threads", "2",
                     "--output", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "summary.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertLess(float(rows[0]["eval_top1"]), 75.0)  # it starts near chance
        self.assertGreaterEqual(float(rows[-1]["eval_top1"]), 90.0)
        ckpt = torch.load(os.path.join(out, "best.pt"))
        self.assertEqual(ckpt["arch"], "pathfinder-hgru")
        w = ckpt["state_dict"]["cell.w_inh"]
        torch.testing.assert_close(w, w.transpose(0, 1), rtol=0, atol=1e-6)

    def test_pathfinder_and_cell_errors(self):
        out = self.path("x")
        self.assert_user_error(run("train", "--model", "pathfinder-hgru", "--data",
                                   "pathfinder:?length=6&size=32&count=64", "--output", out,
                                   "--model-opt", "cell=lstm"), "cell", "lstm", "hgru")
        self.assert_user_error(run("train", "--model", "pathfinder-hgru", "--data",
                                   "pathfinder:?length=6&size=32&count=64", "--output", out,
                                   "--model-opt", "kernel=8"), "kernel=8", "odd")
        self.assert_user_error(run("train", "--model", "pathfinder-cnn", "--data",
                                   "pathfinder:?length=60&size=32&count=64", "--output", out),
                               "60 paddles", "shorter length")
        self.assert_user_error(run("train", "--model", "pathfinder-hgru", "--data",
                                   "pathfinder:?length=6&size=32&count=64", "--output", out,
                                   "--model-opt", "timesteps=0"), "timesteps")
        self.assert_user_error(run("train", "--model", "pathfinder-hgru", "--data",
                                   "pathfinder:?length=6&size=32&count=64", "--output", out,
                                   "--timesteps", "0"), "--timesteps")
        self.assert_user_error(run("train", "--model", "pathfinder-hgru", "--data",
                                   "pathfinder:?length=6&size=32&count=64", "--output", out,
                                   "--eval-timesteps", "0"), "--eval-timesteps")
        self.assertFalse(os.path.exists(out))

    def test_config_file_sets_options_and_the_command_line_wins(self):
        config = self.path("run.toml")
        with open(config, "w") as f:
            f.write(f'data = "{self.spec}"\nepochs = 1\nlimit-train-batches = 2\nlr = 0.02\n'
                    'model-opt = ["width=8", "s2_width=16", "s3_width=32"]\nmean = [0.286]\nstd = [0.353]\n')
        out = self.path("cfg")
        result = run("train", "--config", config, "--output", out, "--lr", "0.03", "--batch-size", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        ckpt = torch.load(os.path.join(out, "last.pt"))
        self.assertEqual(ckpt["args"]["lr"], "0.03")
        self.assertEqual(ckpt["args"]["limit-train-batches"], "2")
        self.assertEqual(ckpt["model_options"]["width"], "8")
        self.assertEqual(ckpt["updates"], 2)
        # A run folder's config.toml is itself a valid config.
        again = run("train", "--config", os.path.join(out, "config.toml"), "--output", self.path("cfg2"))
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(torch.load(os.path.join(self.path("cfg2"), "last.pt"))["args"]["lr"], "0.03")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
