#!/usr/bin/env bash
# INFER's compensate stage given one core vs two: the same run (Fashion-MNIST, [sample, infer], the
# yardstick's observer) under local[1] with one libtorch thread and local[2] with two, and the
# stage's share of each run's time, from the manifests' stage timings.
#   bench/compensate.sh [IPC] [ITERATIONS]   → bench/results/compensate-<date>.json
# In local mode training steps take turns under one engine lock, so the second core helps through
# libtorch's intra-op threads; on a cluster the (slot, teacher) tasks spread over executors.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IPC="${1:-10}"
ITERATIONS="${2:-1000}"
OUT="$ROOT/out/bench/compensate"
RESULT="$ROOT/bench/results/compensate-$(date -u +%F).json"
for cores in 1 2; do
  DISTILL_SPARK_MASTER="local[$cores]" DISTILL_TORCH_THREADS="$cores" "$ROOT/bin/distill" run \
    --conf "$ROOT/conf/fashion-mnist.conf" -Ddistill.ipc="$IPC" "-Ddistill.methods=[sample, infer]" \
    -Ddistill.infer.iterations="$ITERATIONS" -Ddistill.observer.path="$ROOT/bench/results/yardstick-observer" \
    -Ddistill.output.path="$OUT/local$cores" -Ddistill.output.overwrite=true -Ddistill.output.resume=false
done
python3 - "$OUT" "$RESULT" "bench/compensate.sh $IPC $ITERATIONS" <<'PY'
import json, os, platform, subprocess, sys
out, result, command = sys.argv[1:4]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
runs = {}
for cores in (1, 2):
    m = json.load(open(f"{out}/local{cores}/manifest.json"))
    t = m["timings_ms"]
    total = sum(v for k, v in t.items() if "/" not in k)
    runs[f"local[{cores}]"] = {"compensate_ms": t["compensate"], "run_ms": total,
                               "compensate_share": round(t["compensate"] / total, 3),
                               "compensators": m["infer"]["teachers"] * m["budget"]["items_per_class"]}
speedup = runs["local[1]"]["compensate_ms"] / runs["local[2]"]["compensate_ms"]
json.dump({"benchmark": "INFER compensate stage, local[1] vs local[2]", "command": command,
           "machine": {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()},
           "date": subprocess.check_output(["date", "-u", "+%FT%TZ"], text=True).strip(),
           "runs": runs, "speedup_local2_over_local1": round(speedup, 3)}, open(result, "w"), indent=1)
print(f"compensate: local[1] {runs['local[1]']['compensate_ms']} ms, local[2] {runs['local[2]']['compensate_ms']} ms,"
      f" speed-up {speedup:.2f}; share of the run {runs['local[2]']['compensate_share']:.0%} → {result}")
PY
