#!/usr/bin/env bash
# Reproduces the Fashion-MNIST table from scratch: one ConvNet-3 observer trained on the full
# training set, RDED at IPC 1, 10 and 50 with that observer, and students (ConvNet-3, RDED's
# protocol: teacher labels, CutMix, 300 epochs, best of the last 20 %) trained on each output and
# on a random real subset of the same size labelled by the same observer, 3 seeds each; once (with
# the IPC 1 evaluation) students on the full training set, the ceiling (FULL_EPOCHS, hard labels).
#
#   apt-get install -y dataset-fashion-mnist
#   bench/fashion-mnist.sh                       # writes bench/results/fashion-mnist-<date>.{json,md}
#   IPCS="10" EPOCHS=100 bench/fashion-mnist.sh  # a shorter variant (say so when quoting it)
#   REUSE_OBSERVER=1 IPCS=50 ...                  # keep the observer of an earlier run in BENCH_OUT
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${BENCH_OUT:-$ROOT/out/bench/fashion-mnist}"
CONF="$ROOT/conf/fashion-mnist.conf"
IPCS="${IPCS:-1 10 50}"
FULL_IPC="${FULL_IPC:-1}"       # the evaluation that also trains on the full set
FULL_EPOCHS="${FULL_EPOCHS:-2}"
EPOCHS="${EPOCHS:-300}"
SEEDS="${SEEDS:-[0,1,2]}"
DATE="$(date -u +%F)"
STAMP="$OUT/timings.tsv"
mkdir -p "$OUT" "$ROOT/bench/results"
# A from-scratch run starts a fresh timings file; REUSE_OBSERVER adds to the earlier one.
[[ -n "${REUSE_OBSERVER:-}" ]] && touch "$STAMP" || : > "$STAMP"
BEGIN=$SECONDS

timed() { # name command...
  local start=$SECONDS
  "${@:2}"
  printf '%s\t%s\n' "$1" "$((SECONDS - start))" >> "$STAMP"
}

if [[ -z "${REUSE_OBSERVER:-}" || ! -f "$OUT/observer/observers/convnet3/observer.json" ]]; then
  timed observer "$ROOT/bin/distill" train-observer --conf "$CONF" \
    -Ddistill.output.path="$OUT/observer" -Ddistill.output.overwrite=true
fi
for ipc in $IPCS; do
  baselines='[random]'
  [[ "$ipc" == "$FULL_IPC" ]] && baselines='[random,full]'
  timed "distill-ipc$ipc" "$ROOT/bin/distill" run --conf "$CONF" -Ddistill.ipc="$ipc" \
    -Ddistill.observer.path="$OUT/observer/observers/convnet3" \
    -Ddistill.output.path="$OUT/ipc$ipc" -Ddistill.output.overwrite=true
  timed "evaluate-ipc$ipc" "$ROOT/bin/distill" evaluate --data "$OUT/ipc$ipc" \
    -Ddistill.evaluate.epochs="$EPOCHS" -Ddistill.evaluate.seeds="$SEEDS" \
    -Ddistill.evaluate.label-modes='[teacher]' -Ddistill.evaluate.baselines="$baselines" \
    -Ddistill.evaluate.full-epochs="$FULL_EPOCHS"
done
printf 'total\t%s\n' "$((SECONDS - BEGIN))" >> "$STAMP"
python3 "$ROOT/bench/summarize.py" "$OUT" "$ROOT/bench/results/fashion-mnist-$DATE" \
  "${BENCH_COMMAND:-bench/fashion-mnist.sh (IPCS='$IPCS' EPOCHS=$EPOCHS SEEDS=$SEEDS FULL_EPOCHS=$FULL_EPOCHS)}"
