#!/usr/bin/env bash
# Pathfinder at 64 px (Long Range Arena's lra64 recipe), contour lengths 6, 9 and 14: a small
# hGRU network against a parameter-matched feed-forward CNN and a CNN with ten times the
# parameters. Every model sees the same generated images (train and held-out sets per length)
# and the same budget (epochs x images, optimiser, schedule, batch), and is scored on the
# held-out set. Writes benchmarks/results/pathfinder_models.{json,md}.
#
#   benchmarks/experiments/pathfinder_models.sh [BUILD_DIR]        (about 40 min on 2 cores with the defaults)
#
# Settings through the environment: PF_TRAIN (images per length, 30000), PF_VAL (1000),
# PF_EPOCHS (1), PF_LENGTHS ("6 9 14"), PF_WORK (scratch folder), PF_OUT (results prefix).
set -euo pipefail
build=${1:-build}
ventral="$build/apps/ventral"
train_count=${PF_TRAIN:-30000}
val_count=${PF_VAL:-1000}
epochs=${PF_EPOCHS:-1}
lengths=${PF_LENGTHS:-"6 9 14"}
work=${PF_WORK:-$(mktemp -d /tmp/ventral-pathfinder.XXXXXX)}
out=${PF_OUT:-benchmarks/results/pathfinder_models}
mkdir -p "$work" "$(dirname "$out")"

# name | model | options. All: a learned 7x7 stride-4 stem (16 x 16 maps), the same read-out.
models=(
  "hgru|pathfinder-hgru|channels=32 kernel=9 timesteps=6 stem_stride=4"
  "cnn|pathfinder-cnn|channels=30 layers=4 kernel=5 stem_stride=4"
  "cnn-10x|pathfinder-cnn|channels=94 layers=4 kernel=5 stem_stride=4"
)

rows="$work/rows.tsv"
: > "$rows"
for length in $lengths; do
  data="$work/length$length"
  if [[ ! -f "$data/train.h5" ]]; then
    mkdir -p "$data"
    "$ventral" data pathfinder --length "$length" --size 64 --count "$train_count" --seed 1 --out "$data/train.h5"
    "$ventral" data pathfinder --length "$length" --size 64 --count "$val_count" --seed 2 --out "$data/val.h5"
  fi
  for entry in "${models[@]}"; do
    IFS='|' read -r name model opts <<< "$entry"
    opt_flags=()
    for o in $opts; do opt_flags+=(--model-opt "$o"); done
    run="$work/$name-length$length"
    rm -rf "$run"
    start=$(date +%s)
    "$ventral" train -m "$model" "${opt_flags[@]}" --data "h5:$data" --epochs "$epochs" -b 32 \
      --opt adamw --lr 1e-3 --weight-decay 1e-4 --sched cosine --warmup-epochs 0.1 \
      --mean 0 --std 1 --hflip 0.5 --seed 1 --log-interval 100 --output "$run"
    seconds=$(( $(date +%s) - start ))
    params=$("$ventral" models --details "$model" "${opt_flags[@]}" | sed -n 's/.*parameters: \([0-9]*\).*/\1/p')
    top1=$(tail -n 1 "$run/summary.csv" | cut -d, -f4)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$model" "$opts" "$params" "$length" "$top1" "$seconds" >> "$rows"
  done
done

/usr/bin/python3 - "$rows" "$out" "$train_count" "$val_count" "$epochs" <<'PY'
import json, sys
rows_path, out, train_count, val_count, epochs = sys.argv[1:]
rows = [line.rstrip("\n").split("\t") for line in open(rows_path) if line.strip()]
records = [dict(name=r[0], model=r[1], options=r[2], parameters=int(r[3]), length=int(r[4]),
                top1=float(r[5]), train_eval_seconds=int(r[6])) for r in rows]
setup = dict(preset="lra64", train_images=int(train_count), val_images=int(val_count), epochs=int(epochs),
             batch=32, optimiser="adamw lr 1e-3 wd 1e-4, cosine, warm-up 0.1 epoch", chance=50.0)
json.dump(dict(benchmark="pathfinder models, 64 px", setup=setup, rows=records),
          open(out + ".json", "w"), indent=2)
lengths = sorted({r["length"] for r in records})
names = list(dict.fromkeys(r["name"] for r in records))
lines = ["# Pathfinder 64 px: held-out top-1 (%) per contour length", "",
         f"{setup['train_images']} training and {setup['val_images']} held-out images per length, "
         f"{setup['epochs']} epochs, batch 32, {setup['optimiser']}; chance 50%.", "",
         "| model | options | parameters | " + " | ".join(f"length {l}" for l in lengths) + " | seconds |",
         "|---|---|---:|" + "---:|" * len(lengths) + "---:|"]
for name in names:
    mine = {r["length"]: r for r in records if r["name"] == name}
    first = next(iter(mine.values()))
    lines.append(f"| {name} ({first['model']}) | {first['options']} | {first['parameters']:,} | "
                 + " | ".join(f"{mine[l]['top1']:.1f}" if l in mine else "" for l in lengths)
                 + f" | {sum(r['train_eval_seconds'] for r in mine.values())} |")
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
