"""`ventral ablate` end to end on a 2-variant grid of tiny runs (the local executor):

- each run folder is a normal run folder, its scores equal `ventral score` on its checkpoint,
  and training the run's variant.toml by hand with `ventral train` gives the same model;
- results.csv / report.md / the Pareto plot (PNG + SVG by gnuplot) are written;
- a rerun skips finished runs; an interrupted run resumes from its last.pt; --only K runs one
  run; --collect rebuilds the results from what finished;
- a failing variant is recorded with its error and the grid goes on (exit 1); a benchmark whose
  data is missing fails that benchmark for every run, not the grid;
- bad input (unknown benchmark or option, bad value, identical variants, another grid's
  folder): one line naming it, exit 2, nothing trained, the grid file byte-identical.

Run by CTest as: /usr/bin/python3 ablate_cli_test.py VENTRAL_BINARY
"""
import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

BINARY = os.path.abspath(sys.argv[1])


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAIL: {message}")


def run(*args, cwd=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, cwd=cwd)


def ok(*args, cwd=None, code=0):
    result = run(*args, cwd=cwd)
    check(result.returncode == code, f"{args}: exit {result.returncode}, expected {code}:\n{result.stdout}\n{result.stderr}")
    return result


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


TRAIN = """
[train]
model = "hmax-wide"
data = "clickme:gt"
img-size = 32
epochs = 2
batch-size = 32
limit-train-batches = 3
log-interval = 1000
"""

BENCHMARKS = """
[[benchmark]]
name = "recognition"
label = "top1"
data = "clickme:gt"
split = "test"

[[benchmark]]
name = "clickme-alignment"
clickme = "clickme:gt/test.h5"
"""

VARIANTS = """
[[variant]]
name = "plain"
model-opt = ["width=8", "s2_width=16", "s3_width=32", "batchnorm=false"]

[[variant]]
name = "bn"
model-opt = ["width=8", "s2_width=16", "s3_width=32", "batchnorm=true"]
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def refused(tmp, name, text, expected, *extra):
    """A bad grid: exit 2, one line naming the problem, nothing created, the file unchanged."""
    path = os.path.join(tmp, name + ".toml")
    write(path, text)
    before = digest(path)
    result = run("ablate", path, "--out", "bad_" + name, *extra, cwd=tmp)
    check(result.returncode == 2, f"{name}: exit {result.returncode}: {result.stderr}")
    lines = result.stderr.strip().splitlines()
    check(len(lines) == 1 and expected in lines[0], f"{name}: expected one line with {expected!r}: {result.stderr}")
    check(not os.path.exists(os.path.join(tmp, "bad_" + name)), f"{name}: output folder created")
    check(digest(path) == before, f"{name}: grid file changed")


def main():
    with tempfile.TemporaryDirectory(prefix="ventral-ablate-") as tmp:
        ok("data", "cluttered", "--out", "gt", "--count", "300", "--size", "32", cwd=tmp)
        grid = os.path.join(tmp, "grid.toml")
        write(grid, '[grid]\nname = "two"\nseeds = [1]\n' + TRAIN + VARIANTS + BENCHMARKS)
        grid_digest = digest(grid)

        # --- the grid, two runs at once ---------------------------------------------------
        result = ok("ablate", "grid.toml", "--out", "out", "--jobs", "2", cwd=tmp)
        check("[1/2] start plain_s1" in result.stdout and "[2/2] start bn_s1" in result.stdout, result.stdout)
        check("ETA" in result.stdout, f"progress lines carry an ETA: {result.stdout}")
        check("2 runs done, 0 failed" in result.stdout, result.stdout)
        out = os.path.join(tmp, "out")
        for name in ["grid.toml", "benchmarks.toml", "results.csv", "report.md", "pareto_alignment.png",
                     "pareto_alignment.svg", "pareto_alignment.gp", "pareto_alignment.dat"]:
            check(os.path.exists(os.path.join(out, name)), f"missing {name}")
        with open(os.path.join(out, "pareto_alignment.png"), "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "the plot is a PNG")
        check(digest(grid) == grid_digest, "the grid file is unchanged")
        table = rows(os.path.join(out, "results.csv"))
        check([r["run"] for r in table] == ["plain_s1", "bn_s1"], f"rows: {table}")
        check(all(r["status"] == "done" for r in table), f"status: {table}")
        check(table[0]["model-opt"].endswith("batchnorm=false"), f"the option that differs: {table[0]}")
        check(float(table[0]["parameters"]) > 0 and float(table[0]["training_flops"]) > 0, f"cost: {table[0]}")
        report = open(os.path.join(out, "report.md")).read()
        check("| plain |" in report and "| bn |" in report and "pareto_alignment.png" in report, report)

        # each run is a normal run folder; its scores are `ventral score`'s on its checkpoint
        run_dir = os.path.join(out, "bn_s1")
        for name in ["config.toml", "train.log", "summary.csv", "last.pt", "variant.toml", "scores.json"]:
            check(os.path.exists(os.path.join(run_dir, name)), f"run folder lacks {name}")
        ok("score", "--checkpoint", "out/bn_s1/last.pt", "--benchmarks", "out/benchmarks.toml", "--threads", "1",
           "--out", "check.json", cwd=tmp)
        mine = json.load(open(os.path.join(tmp, "check.json")))["benchmarks"]
        check(abs(mine[0]["raw"] - float(table[1]["top1_raw"])) < 1e-6, f"top-1 {mine[0]['raw']} vs {table[1]}")
        check(abs(mine[1]["ceiled"]["ratio"] - float(table[1]["clickme-alignment"])) < 1e-5, "alignment")
        # an output naming an input is refused, the input unchanged
        checkpoint_digest = digest(os.path.join(run_dir, "last.pt"))
        result = run("eval", "--checkpoint", "out/bn_s1/last.pt", "--data", "clickme:gt", "--split", "test",
                     "--out", "out/bn_s1/last.pt", cwd=tmp)
        check(result.returncode == 2 and "is one of the inputs" in result.stderr, result.stderr)
        check(digest(os.path.join(run_dir, "last.pt")) == checkpoint_digest, "eval --out replaced the checkpoint")
        # trained as `ventral train --config variant.toml` trains it (one thread each, as here)
        ok("train", "--config", "out/bn_s1/variant.toml", "--output", "by_hand", "--threads", "1", cwd=tmp)
        ok("eval", "--checkpoint", "by_hand/last.pt", "--data", "clickme:gt", "--split", "test", "--out", "e.json",
           cwd=tmp)
        top1 = json.load(open(os.path.join(tmp, "e.json")))["top1"] / 100
        check(abs(top1 - float(table[1]["top1_raw"])) < 1e-9, f"by hand {top1} vs grid {table[1]['top1_raw']}")

        # --- rerun: everything finished is skipped ---------------------------------------
        before = {name: digest(os.path.join(run_dir, name)) for name in ["last.pt", "scores.json"]}
        result = ok("ablate", "grid.toml", "--out", "out", cwd=tmp)
        check("0 to run (2 finished earlier, skipped)" in result.stdout, result.stdout)
        check(all(digest(os.path.join(run_dir, n)) == d for n, d in before.items()), "a finished run was redone")

        # --- an interrupted run resumes from its last.pt and ends where a straight run ends ---
        long_grid = os.path.join(tmp, "long.toml")
        write(long_grid, '[grid]\nname = "long"\n' + TRAIN.replace("epochs = 2", "epochs = 6") + VARIANTS + BENCHMARKS)
        ok("ablate", "long.toml", "--out", "straight", "--only", "bn_s1", cwd=tmp)
        child = subprocess.Popen([BINARY, "ablate", "long.toml", "--out", "cut", "--only", "bn_s1"], cwd=tmp,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        train_log = os.path.join(tmp, "cut", "bn_s1", "train.log")
        deadline = time.time() + 120
        while time.time() < deadline and child.poll() is None:
            if os.path.exists(train_log) and "epoch 2/6 done" in open(train_log).read():
                os.killpg(child.pid, signal.SIGKILL)  # as a crash or a lost node would
                break
            time.sleep(0.02)
        child.wait()
        check(json.load(open(os.path.join(tmp, "cut", "bn_s1", "ablate.json")))["stage"] == "training",
              "the run was stopped during training")
        result = ok("ablate", "long.toml", "--out", "cut", "--only", "bn_s1", cwd=tmp)
        check("resuming training from" in result.stdout, f"resume: {result.stdout}")
        straight = json.load(open(os.path.join(tmp, "straight", "bn_s1", "scores.json")))["benchmarks"]
        resumed = json.load(open(os.path.join(tmp, "cut", "bn_s1", "scores.json")))["benchmarks"]
        check([b["raw"] for b in straight] == [b["raw"] for b in resumed],
              f"resumed {[b['raw'] for b in resumed]} vs straight {[b['raw'] for b in straight]}")
        # a run whose training finished but whose scoring did not is scored, not retrained
        state_path = os.path.join(run_dir, "ablate.json")
        state = json.load(open(state_path))
        state["stage"] = "training"
        write(state_path, json.dumps(state))
        os.remove(os.path.join(run_dir, "scores.json"))
        ok("ablate", "grid.toml", "--out", "out", cwd=tmp)
        check(json.load(open(state_path))["stage"] == "done", "rescored")
        check(digest(os.path.join(run_dir, "last.pt")) == before["last.pt"], "a finished training was redone")

        # --- --only and --collect ---------------------------------------------------------
        result = ok("ablate", "grid.toml", "--out", "one", "--only", "1", cwd=tmp)
        check(os.path.exists(os.path.join(tmp, "one", "bn_s1", "scores.json")), "--only 1 ran bn_s1")
        check(not os.path.exists(os.path.join(tmp, "one", "plain_s1")), "--only 1 ran only bn_s1")
        ok("ablate", "grid.toml", "--out", "one", "--collect", cwd=tmp)
        table = rows(os.path.join(tmp, "one", "results.csv"))
        check([r["status"] for r in table] == ["not started", "done"], f"collect: {table}")
        ok("ablate", "grid.toml", "--out", "one", "--only", "7", cwd=tmp, code=2)

        # --- a failing variant and a benchmark whose data is missing ----------------------
        failing = os.path.join(tmp, "failing.toml")
        write(failing, '[grid]\nname = "failing"\n' + TRAIN + VARIANTS + """
[[variant]]
name = "broken"
model-opt = ["width=8", "no_such_option=1"]
""" + BENCHMARKS + """
[[benchmark]]
name = "clickme-alignment"
label = "missing"
clickme = "clickme:gt/not_there.h5"
""")
        result = ok("ablate", "failing.toml", "--out", "fail", "--jobs", "2", cwd=tmp, code=1)
        check("broken_s1 FAILED" in result.stdout and "no_such_option" in result.stdout, result.stdout)
        table = rows(os.path.join(tmp, "fail", "results.csv"))
        check([r["status"] for r in table] == ["done", "done", "failed"], f"statuses: {table}")
        check(all(r["top1"] for r in table[:2]), "the other benchmarks are scored")
        check(all(r["missing"] == "" and "not_there.h5" in r["error"] for r in table[:2]),
              f"the missing benchmark fails for every run: {table}")
        report = open(os.path.join(tmp, "fail", "report.md")).read()
        check("## Failures" in report and "broken_s1" in report, report)

        # --- bad input --------------------------------------------------------------------
        base = '[grid]\nname = "bad"\n' + TRAIN
        refused(tmp, "unknown_benchmark", base + VARIANTS + '[[benchmark]]\nname = "imagenet-top9"\n',
                "unknown benchmark 'imagenet-top9'")
        refused(tmp, "unknown_argument", base + VARIANTS + '[[benchmark]]\nname = "recognition"\ndata = "x"\nsplitt = "t"\n',
                "splitt")
        refused(tmp, "unknown_option", base + VARIANTS + '[[variant]]\nname = "c"\nlearning-rate = 0.1\n' + BENCHMARKS,
                "unknown option 'learning-rate'; the options of `ventral train` are:")
        refused(tmp, "bad_value", base + VARIANTS + '[[variant]]\nname = "c"\nlr = "fast"\n' + BENCHMARKS,
                "run 'c'")
        refused(tmp, "identical", base + '[[variant]]\nname = "a"\nlr = 0.1\n[[variant]]\nname = "b"\nlr = 0.1\n'
                + BENCHMARKS, "would train identically")
        # another grid's folder: refused unless --resume
        other = os.path.join(tmp, "other.toml")
        write(other, '[grid]\nname = "two"\nseeds = [1]\n' + TRAIN.replace("epochs = 2", "epochs = 3") + VARIANTS
              + BENCHMARKS)
        result = run("ablate", "other.toml", "--out", "out", cwd=tmp)
        check(result.returncode == 2 and "holds another grid's results" in result.stderr, result.stderr)
        check(open(os.path.join(out, "grid.toml")).read() == open(grid).read(), "grid.toml replaced")
        # with --resume the runs trained with other settings are named, not overwritten
        result = run("ablate", "other.toml", "--out", "out", "--resume", cwd=tmp)
        check(result.returncode == 1 and "trained with other settings" in result.stdout, result.stdout + result.stderr)
        check(all(digest(os.path.join(run_dir, n)) == d for n, d in [("last.pt", before["last.pt"])]),
              "a run of the earlier grid was overwritten")
        result = run("ablate", "grid.toml", "--out", "gt", cwd=tmp)
        check(result.returncode == 2 and "not a `ventral ablate` folder" in result.stderr, result.stderr)
    print("ablate CLI: grid, rerun, resume, --only, --collect, failures and bad input OK")


if __name__ == "__main__":
    main()
