#!/usr/bin/env bash
# Speed of `ventral align --human-ceiling` against its Python peer (benchmarks/speed/human_ceiling_peer.py:
# the reference's torch conv2d click maps and scipy's spearmanr) on the same generated click log
# (IMAGES images x 10 participants x 5-30 clicks around a random centre; ClickMe 2 logs cannot be
# downloaded here), the same number of split halves, 2 threads each. Each side runs RUNS times;
# the medians and their ratio are written (ventral: the whole command's wall time; the peer:
# reading the log and computing, after its imports).
#
#   benchmarks/speed/human_ceiling_speed.sh [BUILD] [IMAGES] [ITERATIONS] [RUNS]
#                                                writes benchmarks/speed/results/human_ceiling_speed.json
set -euo pipefail
build=${1:-build}
images=${2:-40}
iterations=${3:-20}
runs=${4:-3}
ventral="$build/apps/ventral"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/clicks.csv" "$images" <<'PY'
import csv, sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
rng = np.random.RandomState(1)
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file_pointer", "user_id", "clickmap_x", "clickmap_y"])
    for i in range(n):
        cx, cy = rng.randint(60, 200, 2)
        for u in range(10):
            k = rng.randint(5, 30)
            xs = np.round(cx + rng.randn(k) * 30).astype(int).tolist()
            ys = np.round(cy + rng.randn(k) * 30).astype(int).tolist()
            w.writerow([f"/stimuli/n{i % 10}/img{i}.JPEG", f"user{u}", str(xs), str(ys)])
PY
for run in $(seq "$runs"); do
  start=$(date +%s%N)  # the whole command, reading the log included
  "$ventral" align --human-ceiling "$work/clicks.csv" --iterations "$iterations" --threads 2 \
    --out "$work/ventral_$run.json" > /dev/null 2>&1
  echo $(( $(date +%s%N) - start )) > "$work/ventral_wall_$run"  # ns
  /usr/bin/python3 benchmarks/speed/human_ceiling_peer.py "$work/clicks.csv" "$iterations" 2 > "$work/peer_$run.json"
done
mkdir -p benchmarks/speed/results
/usr/bin/python3 - "$work" "$runs" "$images" "$iterations" <<'PY' > benchmarks/speed/results/human_ceiling_speed.json
import json, statistics, sys
work, runs, images, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ours = [json.load(open(f"{work}/ventral_{r}.json")) for r in range(1, runs + 1)]
peer = [json.load(open(f"{work}/peer_{r}.json")) for r in range(1, runs + 1)]
walls = [int(open(f"{work}/ventral_wall_{r}").read()) / 1e9 for r in range(1, runs + 1)]
ventral_s = statistics.median(walls)
peer_s = statistics.median(r["seconds"] for r in peer)
print(json.dumps({"images": images, "participants": 10, "iterations": iterations, "threads": 2, "runs": runs,
                  "ventral_seconds": walls, "peer_seconds": [r["seconds"] for r in peer],
                  "ventral_median_s": ventral_s, "peer_median_s": peer_s, "speedup": peer_s / ventral_s,
                  "ventral_ceiling": ours[0]["ceiling"], "peer_ceiling": peer[0]["ceiling"],
                  "ventral_floor": ours[0]["floor"], "peer_floor": peer[0]["floor"]}))
PY
cat benchmarks/speed/results/human_ceiling_speed.json
