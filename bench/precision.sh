#!/usr/bin/env bash
# ConvNet-3's convolutions, forward + backward at batch 256, in fp32, fp16 and bf16, each in its own
# JVM (bf16 ends the process under DJL 0.35.1; the exit status and message are recorded):
#   bench/precision.sh   → bench/results/precision-<date>.json
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULT="$ROOT/bench/results/precision-$(date -u +%F).json"
runs=()
for precision in fp32 fp16 bf16; do
  log="$(mktemp)"
  status=0
  DISTILL_MAIN="$ROOT/bench/PrecisionProbe.java" "$ROOT/bin/distill" "$precision" > "$log" 2>&1 || status=$?
  runs+=("$precision" "$status" "$log")
done
python3 - "$RESULT" "${runs[@]}" <<'PY'
import datetime, json, sys
args = sys.argv[2:]
cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
flags = next(l for l in open("/proc/cpuinfo") if l.startswith("flags")).split()
result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
          "command": "bench/precision.sh", "cpu": cpu,
          "cpu_flags": [f for f in flags if f in ("avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile")],
          "probe": "ConvNet-3 convolutions + ReLU + average pools, forward + backward, batch 256 (bench/PrecisionProbe.java)",
          "runs": {}}
for precision, status, log in zip(args[0::3], args[1::3], args[2::3]):
    lines = [l for l in open(log) if l.strip() and "SLF4J" not in l and "Warning" not in l]
    measured = [json.loads(l) for l in lines if l.startswith("{")]
    result["runs"][precision] = measured[0] if measured and status == "0" else {
        "exit_status": int(status), "output": "".join(lines[-3:]).strip()}
json.dump(result, open(sys.argv[1], "w"), indent=2)
print(json.dumps(result, indent=2))
PY
