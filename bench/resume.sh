#!/usr/bin/env bash
# What resume saves: the same Fashion-MNIST run three times, each its own process — uninterrupted;
# halted right after the observer commits (distill.fault.halt-after = observe, as a kill would);
# rerun on the same output, which reuses ingest and observe. Checks that the resumed output equals
# the uninterrupted one file by file, and writes bench/results/resume-<date>.json.
#   bench/resume.sh [EPOCHS]        (observer epochs; the preset's 3 make the saving ~3x larger)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EPOCHS="${1:-1}"
WORK="$ROOT/out/bench/resume"
rm -rf "$WORK" && mkdir -p "$WORK" "$ROOT/bench/results"
ARGS=(run --conf "$ROOT/conf/fashion-mnist.conf" "-Ddistill.observer.epochs=$EPOCHS")
now() { date +%s.%N; }
t0=$(now); "$ROOT/bin/distill" "${ARGS[@]}" "-Ddistill.output.path=$WORK/full" >"$WORK/full.log" 2>&1
t1=$(now); code=0
"$ROOT/bin/distill" "${ARGS[@]}" "-Ddistill.output.path=$WORK/out" -Ddistill.fault.halt-after=observe \
  >"$WORK/killed.log" 2>&1 || code=$?
[[ $code == 137 ]] || { echo "the halted run exited $code, expected 137" >&2; exit 1; }
t2=$(now); "$ROOT/bin/distill" "${ARGS[@]}" "-Ddistill.output.path=$WORK/out" >"$WORK/resumed.log" 2>&1
t3=$(now)
python3 - "$WORK" "$t0" "$t1" "$t2" "$t3" "$EPOCHS" "$ROOT/bench/results/resume-$(date -u +%F).json" <<'PY'
import hashlib, json, os, platform, subprocess, sys
work, t0, t1, t2, t3, epochs, result = sys.argv[1], *map(float, sys.argv[2:6]), int(sys.argv[6]), sys.argv[7]
def files(d):
    out = {}
    for root, _, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n); rel = os.path.relpath(p, d)
            if rel == "report.html":
                continue
            if rel == "manifest.json":
                m = json.load(open(p)); m.pop("timings_ms"); m.pop("reused_stages"); out[rel] = m
            else:
                out[rel] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out
full, resumed = files(f"{work}/full"), files(f"{work}/out")
stages = json.load(open(f"{work}/full/manifest.json"))["timings_ms"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
r = {
    "machine": {"cpu": cpu, "cores": os.cpu_count(), "python_platform": platform.platform()},
    "date": subprocess.check_output(["date", "-u", "+%FT%TZ"], text=True).strip(),
    "git_commit": subprocess.check_output(["git", "-C", os.path.dirname(result), "rev-parse", "HEAD"], text=True).strip(),
    "command": f"bench/resume.sh {epochs}",
    "observer_epochs": epochs,
    "wall_seconds": {"uninterrupted": round(t1 - t0, 1), "halted_after_observe": round(t2 - t1, 1),
                     "resumed": round(t3 - t2, 1)},
    "saved_seconds": round((t1 - t0) - (t3 - t2), 1),
    "uninterrupted_stage_ms": stages,
    "resumed_reused_stages": json.load(open(f"{work}/out/manifest.json"))["reused_stages"],
    "files_compared": len(full),
    "identical": full == resumed,
}
json.dump(r, open(result, "w"), indent=2)
print(json.dumps(r, indent=2))
sys.exit(0 if r["identical"] else 1)
PY
