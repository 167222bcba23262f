#!/usr/bin/env bash
# Reproduces the Fashion-MNIST table from scratch: one ConvNet-3 observer trained on the full
# training set, RDED at IPC 10, 50 and 1 with that observer, and students (ConvNet-3, RDED's
# protocol: teacher labels, CutMix, 300 epochs, best of the last 20 %) trained on each output and
# on a random real subset of the same size labelled by the same observer, 3 seeds each.
#
#   apt-get install -y dataset-fashion-mnist
#   bench/fashion-mnist.sh                       # writes bench/results/fashion-mnist-<date>.{json,md}
#   IPCS="10" EPOCHS=100 bench/fashion-mnist.sh  # a shorter variant (say so when quoting it)
#   REUSE_OBSERVER=1 IPCS=50 ...                  # keep the observer of an earlier run in BENCH_OUT
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${BENCH_OUT:-$ROOT/out/bench/fashion-mnist}"
CONF="$ROOT/conf/fashion-mnist.conf"
IPCS="${IPCS:-10 50 1}"
EPOCHS="${EPOCHS:-300}"
SEEDS="${SEEDS:-[0,1,2]}"
DATE="$(date -u +%F)"
STAMP="$OUT/timings.tsv"
mkdir -p "$OUT" "$ROOT/bench/results"
touch "$STAMP"

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
  timed "distill-ipc$ipc" "$ROOT/bin/distill" run --conf "$CONF" -Ddistill.ipc="$ipc" \
    -Ddistill.observer.path="$OUT/observer/observers/convnet3" \
    -Ddistill.output.path="$OUT/ipc$ipc" -Ddistill.output.overwrite=true
  timed "evaluate-ipc$ipc" "$ROOT/bin/distill" evaluate --data "$OUT/ipc$ipc" \
    -Ddistill.evaluate.epochs="$EPOCHS" -Ddistill.evaluate.seeds="$SEEDS" \
    -Ddistill.evaluate.label-modes='[teacher]' -Ddistill.evaluate.baselines='[random]'
done
python3 "$ROOT/bench/summarize.py" "$OUT" "$ROOT/bench/results/fashion-mnist-$DATE" \
  "${BENCH_COMMAND:-bench/fashion-mnist.sh (IPCS='$IPCS' EPOCHS=$EPOCHS SEEDS=$SEEDS)}"
