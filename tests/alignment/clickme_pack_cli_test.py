"""`ventral data pack clickme:SHARDS` against independently made ClickMe shards: tf.train.Example
payloads encoded here by hand (protobuf wire format, no TensorFlow or libprotobuf), JPEGs
written by Pillow, records framed by tfrecord_writer.py (bitwise CRC-32C). The decoded pixels
must equal `djpeg -dct fast` (libjpeg-turbo's JDCT_IFAST with fancy upsampling: what
tf.io.decode_jpeg returns by default), not the accurate IDCT. Also the ClickMe 1.0 raw-float
variant, shard order and ids, and one-line errors (CRC, missing feature, heatmap size,
undecodable JPEG) that leave no output and the inputs untouched.

Run by CTest as: /usr/bin/python3 clickme_pack_cli_test.py VENTRAL_BINARY
"""
import io
import json
import os
import struct
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_check import check, digest, run  # noqa: E402
from tfrecord_writer import masked  # noqa: E402

# --- protobuf wire format, by hand ---------------------------------------------------------
def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):  # length-delimited (wire type 2)
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def bytes_feature(value):
    return field(1, field(1, value))  # Feature.bytes_list = 1 { BytesList.value = 1 }


def int64_feature(value):
    return field(3, field(1, varint(value)))  # Feature.int64_list = 3 { packed Int64List.value = 1 }


def example(features):
    entries = b"".join(field(1, field(1, name.encode()) + field(2, value)) for name, value in features.items())
    return field(1, entries)  # Example.features = 1 { Features.feature = 1 (map entries) }


def write_shard(path, payloads):
    with open(path, "wb") as f:
        for payload in payloads:
            length = struct.pack("<Q", len(payload))
            f.write(length + struct.pack("<I", masked(length)) + payload + struct.pack("<I", masked(payload)))


def jpeg(array, quality=90):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality, subsampling=2)  # 4:2:0, as released
    return buffer.getvalue()


def djpeg_fast(data, tmp, gray):
    path = os.path.join(tmp, "probe.jpg")
    with open(path, "wb") as f:
        f.write(data)
    out = subprocess.run(["djpeg", "-dct", "fast", *(["-grayscale"] if gray else []), "-pnm", path],
                         capture_output=True, check=True).stdout
    return np.array(Image.open(io.BytesIO(out)))


def main():
    rng = np.random.RandomState(0)
    with tempfile.TemporaryDirectory(prefix="ventral-clickme-pack-") as tmp:
        shards = os.path.join(tmp, "shards")
        os.makedirs(shards)
        # smooth photographs (so that the fast and accurate IDCTs differ only slightly) and heatmaps
        yy, xx = np.mgrid[0:256, 0:256]
        records, expected = {"val-001.tfrecords": [], "val-000.tfrecords": []}, []
        for name in sorted(records):
            for k in range(3):
                photo = np.stack([(np.sin(xx / (9 + k)) + np.cos(yy / (13 + c))) * 60 + 128 + rng.randn(256, 256) * 20
                                  for c in range(3)], axis=2).clip(0, 255).astype(np.uint8)
                heat = (255 * np.exp(-((xx - 60 * k - 40) ** 2 + (yy - 128) ** 2) / 900.0)).astype(np.uint8)
                image_bytes, heat_bytes = jpeg(photo), jpeg(heat)
                label = 100 * k + len(expected)
                records[name].append(example({"image": bytes_feature(image_bytes), "heatmap": bytes_feature(heat_bytes),
                                              "label": int64_feature(label)}))
                expected.append((f"{name}#{k}", djpeg_fast(image_bytes, tmp, False), djpeg_fast(heat_bytes, tmp, True),
                                 label, photo))
        for name, payloads in records.items():
            write_shard(os.path.join(shards, name), payloads)
        before = {n: digest(os.path.join(shards, n)) for n in records}

        out = os.path.join(tmp, "clickme.h5")
        result = run("data", "pack", "clickme:" + shards, "--out", out)
        check(result.returncode == 0, result.stderr)
        check("6 ClickMe records of 256x256 from 2 shard(s)" in result.stdout, result.stdout)
        with h5py.File(out) as f:
            ids = [s.decode() for s in f["stimulus_id"][:]]
            check(ids == [e[0] for e in expected], f"ids in shard-name order: {ids}")
            for i, (sid, image, heat, label, photo) in enumerate(expected):
                check(np.array_equal(f["images"][i], image), f"{sid}: image differs from djpeg -dct fast")
                check(np.array_equal(f["maps"][i], heat.astype(np.float32)), f"{sid}: heatmap differs")
                check(f["labels"][i] == label, f"{sid}: label")
            # the fast IDCT is what is decoded: the accurate one gives other pixels
            accurate = np.array(Image.open(io.BytesIO(jpeg(expected[0][4]))))
            check(not np.array_equal(f["images"][0], accurate), "decoded with the accurate IDCT")
        for n in records:
            check(digest(os.path.join(shards, n)) == before[n], f"{n} changed")

        # the packed file is a ClickMe file: align reads it (its own maps score 1 x ceiling)
        maps = os.path.join(tmp, "self.h5")
        with h5py.File(out) as f, h5py.File(maps, "w") as g:
            g["maps"] = f["maps"][:]
        result = run("align", "--maps", maps, "--clickme", "clickme:" + out, "--out", os.path.join(tmp, "a.json"))
        check(result.returncode == 0, result.stderr)

        # ClickMe 1.0: raw float32 image and heatmap, click_count
        raw = os.path.join(tmp, "raw.tfrecords")
        image = rng.randint(0, 256, size=(8, 8, 3)).astype(np.float32)
        heat = rng.rand(8, 8).astype(np.float32) * 255
        write_shard(raw, [example({"image": bytes_feature(image.tobytes()), "heatmap": bytes_feature(heat.tobytes()),
                                   "label": int64_feature(7), "click_count": int64_feature(12)})])
        result = run("data", "pack", "clickme:" + raw, "--out", os.path.join(tmp, "raw.h5"))
        check(result.returncode == 0, result.stderr)
        with h5py.File(os.path.join(tmp, "raw.h5")) as f:
            check(np.array_equal(f["images"][0], image.astype(np.uint8)), "raw image")
            check(np.array_equal(f["maps"][0], heat), "raw heatmap")
            check([s.decode() for s in f["stimulus_id"][:]] == ["raw.tfrecords#0"], "raw id")

        # clickme: on the shards themselves reads what the packed file holds (features, train)
        features = {}
        for name, spec in [("shards", "clickme:" + shards), ("packed", "clickme:" + out)]:
            target = os.path.join(tmp, f"features_{name}.h5")
            result = run("features", "--model", "hmax-classic", "--layers", "c1", "--data", spec, "--split", "val",
                         "--count", "6", "--size", "64", "--out", target)
            check(result.returncode == 0, f"features --data {spec}: {result.stderr}")
            with h5py.File(target) as f:
                found = {}
                f.visititems(lambda k, v: found.__setitem__(k, v[:]) if isinstance(v, h5py.Dataset) and
                             k.startswith("c1") else None)
                features[name] = found
        check(len(features["shards"]) == 8, f"c1 bands: {sorted(features['shards'])}")
        check(features["shards"].keys() == features["packed"].keys() and
              all(np.array_equal(features["shards"][k], features["packed"][k]) for k in features["shards"]),
              "features of clickme:SHARDS differ from those of the packed file")
        run_dir = os.path.join(tmp, "run")
        result = run("train", "--data", "clickme:" + out, "--harmonize", "clickme:" + shards, "--img-size", "32",
                     "--batch-size", "5", "--harmonize-fraction", "0.4", "--epochs", "1", "--model-opt", "width=8",
                     "--model-opt", "s2_width=16", "--model-opt", "s3_width=32", "--output", run_dir)
        check(result.returncode == 0, f"train --harmonize clickme:SHARDS: {result.stderr}")
        check("train_harm" in open(os.path.join(run_dir, "summary.csv")).readline(), "train_harm column")

        # align and show read the shards in place: the same numbers as on the packed file, for
        # saliency maps made elsewhere and for a trained model
        def align_json(*args):
            target = os.path.join(tmp, "align.json")
            result = run("align", *args, "--out", target)
            check(result.returncode == 0, f"align {args}: {result.stderr}")
            with open(target) as f:
                report = json.load(f)
            return {k: report[k] for k in ("score", "spearman", "dice", "iou", "n", "per_image")}
        rng_maps = os.path.join(tmp, "random_maps.h5")
        with h5py.File(rng_maps, "w") as g:
            g["maps"] = rng.rand(6, 224, 224).astype(np.float32)
        checkpoint = os.path.join(run_dir, "best.pt")
        for args in (["--maps", rng_maps], ["--checkpoint", checkpoint]):
            packed, in_place = align_json(*args, "--clickme", "clickme:" + out), align_json(*args, "--clickme", "clickme:" + shards)
            check(in_place == packed, f"align {args[0]} on the shards differs from the packed file")
            check(packed["n"] == 6 and [r["stimulus_id"] for r in packed["per_image"]] == [e[0] for e in expected],
                  f"align {args[0]}: ids {packed['per_image']}")
        figure = os.path.join(tmp, "maps.png")
        result = run("show", "--saliency", "--checkpoint", checkpoint, "--clickme", "clickme:" + shards, "--index", "0,4",
                     "--out", figure)
        check(result.returncode == 0 and "val-001.tfrecords#1: rho" in result.stdout, result.stdout + result.stderr)
        check(open(figure, "rb").read(8) == b"\x89PNG\r\n\x1a\n", "show --saliency on shards wrote no PNG")
        # an output that would replace a shard is refused, the shard untouched
        for target in (os.path.join(shards, "val-000.tfrecords"),):
            result = run("align", "--maps", rng_maps, "--clickme", "clickme:" + shards, "--out", target)
            check(result.returncode == 2 and "val-000.tfrecords" in result.stderr, result.stderr)
            result = run("show", "--saliency", "--checkpoint", checkpoint, "--clickme", "clickme:" + shards,
                         "--index", "0", "--out", target)
            check(result.returncode == 2 and "val-000.tfrecords" in result.stderr, result.stderr)
        for n in records:
            check(digest(os.path.join(shards, n)) == before[n], f"{n} changed")

        # bad records: one line naming the shard and record, exit 2, no output, shard untouched
        good = [records["val-000.tfrecords"][0]]
        cases = {
            "no label": example({"image": bytes_feature(jpeg(expected[0][4])), "heatmap": bytes_feature(jpeg(expected[0][2]))}),
            "heatmap size": example({"image": bytes_feature(jpeg(expected[0][4])),
                                     "heatmap": bytes_feature(jpeg(np.zeros((64, 64), np.uint8))),
                                     "label": int64_feature(1)}),
            "not a JPEG": example({"image": bytes_feature(b"\xff\xd8\xff" + b"\x00" * 50),
                                   "heatmap": bytes_feature(jpeg(expected[0][2])), "label": int64_feature(1)}),
            "not an Example": b"\x0a\xff\xff\xff",
        }
        needles = {"no label": "'label'", "heatmap size": "64x64", "not a JPEG": "JPEG", "not an Example": "tf.train.Example"}
        for case, payload in cases.items():
            bad = os.path.join(tmp, "bad.tfrecords")
            write_shard(bad, good + [payload])
            before_bad = digest(bad)
            target = os.path.join(tmp, "bad.h5")
            result = run("data", "pack", "clickme:" + bad, "--out", target)
            lines = result.stderr.strip().splitlines()
            check(result.returncode == 2 and len(lines) == 1, f"{case}: {result.returncode} {result.stderr}")
            check("bad.tfrecords record 1" in lines[0] and needles[case] in lines[0], f"{case}: {lines[0]}")
            check(not os.path.exists(target), f"{case}: output written")
            check(digest(bad) == before_bad, f"{case}: input changed")
        # a damaged payload checksum names the file and record before anything is decoded
        bad = os.path.join(tmp, "crc.tfrecords")
        write_shard(bad, good + good)
        data = bytearray(open(bad, "rb").read())
        data[-10] ^= 0xFF
        with open(bad, "wb") as f:
            f.write(data)
        result = run("data", "pack", "clickme:" + bad, "--out", os.path.join(tmp, "crc.h5"))
        check(result.returncode == 2 and "record 1" in result.stderr and "crc.tfrecords" in result.stderr, result.stderr)
        check(not os.path.exists(os.path.join(tmp, "crc.h5")), "output after a CRC error")
    print("clickme_pack_cli_test: all checks passed")


if __name__ == "__main__":
    main()
