#!/usr/bin/env bash
# One RDED setting varied on Fashion-MNIST, everything else as in bench/fashion-mnist.sh: the same
# observer (from that benchmark's BENCH_OUT), IPC, students, protocol and seeds; RDED outputs only
# (the random baseline does not depend on RDED's settings: compare with the main benchmark's).
#
#   bench/ablation.sh rded.min-scale "0.08 0.5 1.0"        # IPC=10 EPOCHS=300 SEEDS=[0,1,2] by default
#   LABELS='[static]' bench/ablation.sh rded.min-scale "1.0"
# Writes bench/results/fashion-mnist-ablation-<key>-<date>.{json,md}. A value whose output was already
# evaluated (it has wall_seconds) is not run again, so an interrupted ablation resumes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEY="$1"
VALUES="$2"
OUT="${BENCH_OUT:-$ROOT/out/bench/fashion-mnist}"
OBSERVER="$OUT/observer/observers/convnet3"
IPC="${IPC:-10}"
EPOCHS="${EPOCHS:-300}"
SEEDS="${SEEDS:-[0,1,2]}"
LABELS="${LABELS:-[teacher]}"
RESULT="$ROOT/bench/results/fashion-mnist-ablation-${KEY//./-}-$(date -u +%F)"
[[ -f "$OBSERVER/observer.json" ]] || { echo "no observer at $OBSERVER: run bench/fashion-mnist.sh first" >&2; exit 2; }

dirs=()
for value in $VALUES; do
  dir="$OUT/ablation/${KEY//./-}-$value-ipc$IPC"
  dirs+=("$dir")
  [[ -f "$dir/wall_seconds" ]] && continue
  start=$SECONDS
  "$ROOT/bin/distill" run --conf "$ROOT/conf/fashion-mnist.conf" -Ddistill.ipc="$IPC" -Ddistill."$KEY"="$value" \
    -Ddistill.observer.path="$OBSERVER" -Ddistill.output.path="$dir" -Ddistill.output.overwrite=true
  "$ROOT/bin/distill" evaluate --data "$dir" -Ddistill.evaluate.epochs="$EPOCHS" \
    -Ddistill.evaluate.seeds="$SEEDS" -Ddistill.evaluate.label-modes="$LABELS" -Ddistill.evaluate.baselines='[]'
  echo "$((SECONDS - start))" > "$dir/wall_seconds"
done

python3 - "$KEY" "$RESULT" "$IPC" "${dirs[@]}" <<'PY'
import json, os, sys
key, result, ipc, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rows = []
for d in dirs:
    m = json.load(open(os.path.join(d, "manifest.json")))
    e = json.load(open(os.path.join(d, "evaluation.json")))
    value = os.path.basename(d).rsplit("-ipc", 1)[0].split("-")[-1]
    for s in e["summary"]:
        rows.append({"value": value, "labels": s["labels"], "best": s["best"], "last": s["last"],
                     "bytes": m["bytes"]["total"], "epochs": e["protocol"]["epochs"],
                     "wall_seconds": int(open(os.path.join(d, "wall_seconds")).read())})
json.dump({"key": key, "ipc": int(ipc), "command": " ".join(["bench/ablation.sh", key]), "rows": rows},
          open(result + ".json", "w"), indent=2)
lines = [f"| distill.{key} | labels | bytes | epochs | RDED best of last 20 % | final |", "|---|---|---|---|---|---|"]
for r in rows:
    f = lambda b: f"{100 * b['mean']:.1f} ± {100 * b['std']:.1f}"
    lines.append(f"| {r['value']} | {r['labels']} | {r['bytes']:,} | {r['epochs']} | {f(r['best'])} | {f(r['last'])} |")
open(result + ".md", "w").write("\n".join(lines) + f"\n\nIPC {ipc}, ConvNet-3 students, mean ± std over seeds.\n")
print("\n".join(lines))
PY
