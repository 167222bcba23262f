#!/usr/bin/env bash
# One setting of a yardstick arm's distillation (a distill.* key of `bin/distill run`, not of the
# evaluation: bench/temperature.sh varies the students' temperature) varied, chosen on validation (issue 8's rule: a default is chosen on
# the validation split, never on test). The yardstick's observer and student protocol (static labels,
# EPOCHS epochs, final epoch); each value distilled afresh for every data seed; no baselines — the
# values are compared with each other, paired by data seed.
#
#   ARM=graphcut+palette4 bench/ablation.sh graphcut.lambda "1 0.01 0.003"
#   ARM=rded IPC=1 DATA_SEEDS="[0,1,2,3,4]" bench/ablation.sh rded.min-scale "0.5 1.0"
#
# Resumable across sessions like the yardstick: each evaluated value is kept as
# bench/results/ablation-units/<arm>-ipc<IPC>-<key>-<value>.json and skipped next time, and within a
# value each finished student is kept under ablation-units/runs/ (same CPU type only; see
# bench/yardstick.sh). Writes bench/results/ablation-<arm>-ipc<IPC>-<key>.{json,md}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEY="${1:?usage: [ARM=arm] bench/ablation.sh distill-key \"value value ...\"}"
VALUES="${2:?usage: [ARM=arm] bench/ablation.sh distill-key \"value value ...\"}"
ARM="${ARM:-rded}"
IPC="${IPC:-10}"
EPOCHS="${EPOCHS:-300}"
DATA_SEEDS="${DATA_SEEDS:-[0,1,2]}"
OUT="${BENCH_OUT:-$ROOT/out/bench/ablation}"
UNITS="${UNITS:-$ROOT/bench/results/ablation-units}"
OBSERVER="${OBSERVER:-$ROOT/bench/results/yardstick-observer}"
source "$ROOT/bench/arms.sh"  # arm_args, eval_args
[[ -f "$OBSERVER/observer.json" ]] || { echo "no observer at $OBSERVER: bench/yardstick.sh trains and keeps it" >&2; exit 2; }
read -r -a args <<< "$(arm_args "$ARM")"
read -r -a protocol <<< "$(eval_args "$ARM")"
mkdir -p "$OUT" "$UNITS"

units=()
for value in $VALUES; do
  name="$ARM-ipc$IPC-${KEY//./-}-$value"
  unit="$UNITS/$name.json"
  units+=("$value=$unit")
  if [[ -f "$unit" ]]; then
    echo "ablation: $unit exists, skipped" >&2
    continue
  fi
  dir="$OUT/$name"
  "$ROOT/bin/distill" run --conf "$ROOT/conf/fashion-mnist.conf" -Ddistill.ipc="$IPC" "${args[@]}" \
    -Ddistill."$KEY"="$value" -Ddistill.observer.path="$OBSERVER" -Ddistill.output.path="$dir" \
    -Ddistill.output.overwrite=true
  "$ROOT/bin/distill" evaluate --data "$dir" "${protocol[@]}" -Ddistill.evaluate.epochs="$EPOCHS" \
    -Ddistill.evaluate.data-seeds="$DATA_SEEDS" -Ddistill.evaluate.label-modes='[static]' \
    -Ddistill.evaluate.baselines='[]' -Ddistill.evaluate.runs-path="$UNITS/runs/$name" \
    -Ddistill.evaluate.redistilled-path="$OUT/redistilled"
  cp "$dir/evaluation.json" "$unit.tmp" && mv "$unit.tmp" "$unit"
  rm -rf "$UNITS/runs/$name"  # the unit holds every run now
done

python3 "$ROOT/bench/ablation.py" "$ROOT/bench/results/ablation-$ARM-ipc$IPC-${KEY//./-}" \
  "ARM=$ARM IPC=$IPC EPOCHS=$EPOCHS DATA_SEEDS=$DATA_SEEDS bench/ablation.sh $KEY \"$VALUES\"" "$KEY" "${units[@]}"
