#!/usr/bin/env bash
# How to spend the cores on students: one JVM with all libtorch threads against one JVM per core
# with one thread each, running at the same time (what two yardstick units side by side would do).
# Measures the static-label student loop's images/s (bench/StudentRate.java) on an idle machine:
#   bench/threads.sh [IMAGES] [EPOCHS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGES="${1:-1000}"
EPOCHS="${2:-10}"
CORES="$(nproc)"
rate() { DISTILL_MAIN="$ROOT/bench/StudentRate.java" "$ROOT/bin/distill" "$IMAGES" "$EPOCHS" 2>/dev/null | tail -1; }

one="$(DISTILL_TORCH_THREADS="$CORES" rate)"
tmp="$(mktemp -d)"
for i in $(seq "$CORES"); do DISTILL_TORCH_THREADS=1 rate > "$tmp/$i" & done
wait
ARGS="$IMAGES $EPOCHS" python3 - "$ROOT/bench/results/threads-$(date -u +%F).json" "$one" "$tmp"/* <<'PY'
import datetime, json, os, sys
out, one, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
each = [float(open(f).read()) for f in files]
cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
r = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "command": "bench/threads.sh " + os.environ["ARGS"],
     "cpu": cpu, "cores": os.cpu_count(), "student_images_per_s": {"one_jvm_all_threads": one,
     "one_thread_jvms_each": each, "one_thread_jvms_total": sum(each)}, "total_ratio": sum(each) / one}
open(out, "w").write(json.dumps(r, indent=2) + "\n")
print(json.dumps(r, indent=2))
PY
rm -r "$tmp"
