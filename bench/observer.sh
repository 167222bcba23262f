#!/usr/bin/env bash
# Trains a ConvNet-3 observer on Fashion-MNIST (55,000 images; 5,000 held out for validation) with a
# recipe, and records its validation curve, test accuracy and training time:
#   EPOCHS=30 WEIGHT_DECAY=0.05 ERASING=0.5 bench/observer.sh NAME
# writes bench/results/observer-NAME.json and keeps the observer in bench/results/observer-NAME/
# (reusable with distill.observer.path, e.g. as the yardstick's KEPT_OBSERVER). The recipe is fixed
# before the run; the test split is measured once, after the last epoch, and chooses nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="${1:?usage: bench/observer.sh NAME}"
EPOCHS="${EPOCHS:-30}"
LR="${LR:-0.001}"
WEIGHT_DECAY="${WEIGHT_DECAY:-0}"
ERASING="${ERASING:-0}"
OUT="${OUT:-$ROOT/out/bench/observer-$NAME}"
RESULT="$ROOT/bench/results/observer-$NAME"
start=$SECONDS
"$ROOT/bin/distill" train-observer --conf "$ROOT/conf/fashion-mnist.conf" -Ddistill.output.path="$OUT" \
  -Ddistill.output.overwrite=true -Ddistill.observer.epochs="$EPOCHS" -Ddistill.observer.learning-rate="$LR" \
  -Ddistill.observer.weight-decay="$WEIGHT_DECAY" -Ddistill.observer.random-erasing="$ERASING"
mkdir -p "$RESULT"
cp "$OUT/observers/convnet3/"* "$RESULT/"
python3 - "$OUT/manifest.json" "$RESULT.json" "$((SECONDS - start))" <<PY
import datetime, json, os, subprocess, sys
manifest = json.load(open(sys.argv[1]))
trained = manifest["observer"]["trained"]["convnet3"]
cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "command": "EPOCHS=$EPOCHS LR=$LR WEIGHT_DECAY=$WEIGHT_DECAY ERASING=$ERASING bench/observer.sh $NAME",
    "commit": subprocess.run(["git", "-C", "$ROOT", "rev-parse", "--short=10", "HEAD"], capture_output=True, text=True).stdout.strip(),
    "cpu": cpu, "cores": os.cpu_count(),
    "architecture": "convnet3", "train_images": 55000, "validation_images": 5000,
    "recipe": {"epochs": $EPOCHS, "batch_size": 256, "optimizer": "AdamW" if $WEIGHT_DECAY > 0 else "Adam",
               "learning_rate": $LR, "schedule": "cosine to 1 %", "weight_decay": $WEIGHT_DECAY,
               "augmentation": "flip, +-2 px shift, random erasing p=$ERASING", "precision": "fp32"},
    "validation_accuracy_by_epoch": trained["validation_accuracy_by_epoch"],
    "test_accuracy_final_epoch": trained["test_accuracy"],
    "train_seconds": manifest["timings_ms"].get("observe", 0) / 1000,
    "run_seconds": int(sys.argv[3]),
}, open(sys.argv[2], "w"), indent=2)
print(open(sys.argv[2]).read())
PY
