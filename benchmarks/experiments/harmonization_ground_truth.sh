#!/usr/bin/env bash
# The ground-truth test of harmonization (issue 11 sec. 4). `ventral data cluttered` makes a
# set where what a person would look at is known exactly (the object; the human map is its
# blurred mask) and a shortcut cue away from the object names the class in 90% of training
# images. The same model is trained on the same mixed batches (ClickMe images with maps are
# a fifth of every batch) with --harmonize-weight 0 (control) and 1 (harmonized), for
# several seeds; then each is scored on held-out objects:
#   alignment   `ventral align` on test.h5 (Spearman with the object map / 0.6575)
#   top-1       test.h5 (cue as in training), test_nocue.h5 (no cue),
#               test_shuffled.h5 (the cue names a random class)
# Results: benchmarks/results/harmonization_ground_truth.{json,md} (mean and spread).
#
#   benchmarks/experiments/harmonization_ground_truth.sh [BUILD] [SEEDS] [EPOCHS] [COUNT] [SIDE]
set -euo pipefail
build=${1:-build}
seeds=${2:-"1 2 3"}
epochs=${3:-8}
count=${4:-6000}
side=${5:-48}
ventral="$build/apps/ventral"
work=${WORK:-$(mktemp -d)}
mkdir -p "$work" benchmarks/results
echo "work folder: $work"

"$ventral" data cluttered --out "$work/set" --count "$count" --size "$side" --seed 0 | tail -n 1
# configs/ground_truth.toml: hmax-wide (widths 24/48/96) at 48 px, SGD + Nesterov, lr 0.05 cosine,
# batch 64 of which a fifth are ClickMe rows; the side must match the config's img-size.
train_flags=(--config configs/ground_truth.toml --data "clickme:$work/set" --img-size "$side"
  --harmonize "clickme:$work/set/clickme.h5" --epochs "$epochs" --log-interval 1000)

rows="$work/rows.jsonl"
: > "$rows"
for seed in $seeds; do
  for weight in 0 1; do
    run="$work/run-w$weight-s$seed"
    rm -rf "$run"
    start=$(date +%s)
    "$ventral" train "${train_flags[@]}" --harmonize-weight "$weight" --seed "$seed" --output "$run" \
      | grep -E "done in|finished"
    seconds=$(( $(date +%s) - start ))
    for split in test test_nocue test_shuffled; do
      "$ventral" eval --checkpoint "$run/last.pt" --data "clickme:$work/set" --split "$split" \
        --out "$run/eval_$split.json" > /dev/null
    done
    "$ventral" align --checkpoint "$run/last.pt" --clickme "clickme:$work/set/test.h5" \
      --out "$run/align.json" > /dev/null
    /usr/bin/python3 - "$run" "$weight" "$seed" "$seconds" >> "$rows" <<'PY'
import json, sys
run, weight, seed, seconds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
top1 = {s: json.load(open(f"{run}/eval_{s}.json"))["top1"] for s in ["test", "test_nocue", "test_shuffled"]}
align = json.load(open(f"{run}/align.json"))
print(json.dumps({"weight": weight, "seed": seed, "train_seconds": seconds, "score": align["score"],
                  "spearman": align["spearman"], "dice": align["dice"], "iou": align["iou"], **top1}))
PY
    tail -n 1 "$rows"
  done
done

/usr/bin/python3 - "$rows" "$epochs" "$count" "$side" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
epochs, count, side = sys.argv[2:5]
keys = ["score", "spearman", "dice", "test", "test_nocue", "test_shuffled", "train_seconds"]
summary = {}
for weight in sorted({r["weight"] for r in rows}):
    rs = [r for r in rows if r["weight"] == weight]
    summary[str(weight)] = {k: {"mean": statistics.mean(r[k] for r in rs),
                                "sd": statistics.stdev(r[k] for r in rs) if len(rs) > 1 else 0.0,
                                "n": len(rs)} for k in keys}
json.dump({"rows": rows, "summary": summary, "epochs": int(epochs), "count": int(count), "side": int(side)},
          open("benchmarks/results/harmonization_ground_truth.json", "w"), indent=1)
fmt = lambda s, scale=1: f"{s['mean']*scale:.3f} ± {s['sd']*scale:.3f}" if scale == 1 else f"{s['mean']:.1f} ± {s['sd']:.1f}"
lines = [f"hmax-wide (widths 24/48/96), {side} px, {count} training images + {int(count)//3} with maps, "
         f"{epochs} epochs, seeds {sorted({r['seed'] for r in rows})}; mean ± sd over seeds",
         "",
         "| lambda_h | alignment score | Spearman | Dice top 10% | top-1 cue (%) | top-1 no cue (%) | top-1 shuffled cue (%) | train s |",
         "|---|---|---|---|---|---|---|---|"]
for weight, s in summary.items():
    lines.append(f"| {float(weight):g} | {fmt(s['score'])} | {fmt(s['spearman'])} | {fmt(s['dice'])} | "
                 f"{fmt(s['test'], 100)} | {fmt(s['test_nocue'], 100)} | {fmt(s['test_shuffled'], 100)} | "
                 f"{s['train_seconds']['mean']:.0f} |")
open("benchmarks/results/harmonization_ground_truth.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
