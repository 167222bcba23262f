#!/usr/bin/env bash
# Chooses the static-label temperature on the validation split: one distilled output evaluated at
# several temperatures (static labels, the equal-bytes random baseline, the same data seeds), the
# choice = the highest mean validation accuracy over both arms; test accuracy is recorded, not used.
#   bench/temperature.sh DISTILLED_DIR "1 4 20"     # DATA_SEEDS=[0,1] EPOCHS=300 by default
#   MIXING=mixup bench/temperature.sh out/bench/yardstick/sample+infer-ipc10-out "4 10 30"   # INFER's protocol
# Writes bench/results/temperature-<name of DISTILLED_DIR>.{json,md}; resumable per temperature.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DISTILLED="$(cd "$1" && pwd)"
TEMPERATURES="$2"
DATA_SEEDS="${DATA_SEEDS:-[0,1]}"
EPOCHS="${EPOCHS:-300}"
MIXING="${MIXING:-}"  # empty: the evaluation's default (CutMix); mixup: INFER's students
NAME="$(basename "$DISTILLED")"
WORK="${BENCH_OUT:-$ROOT/out/bench}/temperature-$NAME"
RESULT="$ROOT/bench/results/temperature-$NAME"
mkdir -p "$WORK"
for t in $TEMPERATURES; do
  unit="$WORK/t$t.json"
  [[ -f "$unit" ]] && continue
  rm -rf "$WORK/t$t" && cp -r "$DISTILLED" "$WORK/t$t" && rm -f "$WORK/t$t/evaluation.json"
  # One test pass (after the last epoch): the choice is made on validation, test is only recorded.
  "$ROOT/bin/distill" evaluate --data "$WORK/t$t" -Ddistill.evaluate.temperature="$t" ${MIXING:+-Ddistill.evaluate.mixing="$MIXING"} \
    -Ddistill.evaluate.epochs="$EPOCHS" -Ddistill.evaluate.data-seeds="$DATA_SEEDS" \
    -Ddistill.evaluate.label-modes='[static]' -Ddistill.evaluate.baselines='[random]' -Ddistill.evaluate.eval-from=1 \
    -Ddistill.evaluate.redistilled-path="$WORK/redistilled"
  cp "$WORK/t$t/evaluation.json" "$unit.tmp" && mv "$unit.tmp" "$unit"
done
python3 - "$RESULT" "$WORK" "$DISTILLED" "$DATA_SEEDS" "$EPOCHS" "$MIXING" $TEMPERATURES <<'PY'
import datetime, json, os, statistics, sys
result, work, distilled, seeds, epochs, mixing, temps = *sys.argv[1:7], sys.argv[7:]
rows = []
for t in temps:
    e = json.load(open(os.path.join(work, f"t{t}.json")))
    for arm in sorted({r["dataset"] for r in e["runs"]}):
        runs = [r for r in e["runs"] if r["dataset"] == arm]
        rows.append({"temperature": float(t), "arm": arm, "n": len(runs),
                     "validation": statistics.mean(r["validation"] for r in runs),
                     "test_final": statistics.mean(r["last"] for r in runs)})
by_t = {}
for r in rows:
    by_t.setdefault(r["temperature"], []).append(r["validation"])
chosen = max(by_t, key=lambda t: statistics.mean(by_t[t]))
per_arm = {arm: max((r for r in rows if r["arm"] == arm), key=lambda r: r["validation"])["temperature"]
           for arm in sorted({r["arm"] for r in rows})}
json.dump({"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "command": f"{'MIXING=' + mixing + ' ' if mixing else ''}DATA_SEEDS={seeds} EPOCHS={epochs} bench/temperature.sh {distilled} \"{' '.join(temps)}\"",
           "rule": "highest mean validation accuracy over the arms", "chosen_temperature": chosen,
           "best_per_arm_on_validation": per_arm, "rows": rows},
          open(result + ".json", "w"), indent=2)
lines = ["| temperature | arm | data seeds | validation % (chooses) | final-epoch test % |", "|---|---|---|---|---|"]
for r in rows:
    lines.append(f"| {r['temperature']:g} | {r['arm']} | {r['n']} | {100 * r['validation']:.2f} | {100 * r['test_final']:.2f} |")
chosen_line = f"Chosen on validation (mean over arms): T = {chosen:g}; each arm's own best: " + ", ".join(
    f"{arm} T = {t:g}" for arm, t in per_arm.items()) + "."
open(result + ".md", "w").write("\n".join(lines) + "\n\n" + chosen_line + "\n")
print("\n".join(lines) + "\n\n" + chosen_line)
PY
