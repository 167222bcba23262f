#!/usr/bin/env bash
# Training-loop speed against the raw forward+backward+step rate of the same ConvNet-3, the
# observer's seconds per epoch and what the students' test passes cost, with bin/distill's JVM setup
# (flags, threads, jemalloc); run it on an otherwise idle machine (ratios compare within one run):
#   bench/training-speed.sh [OBSERVER_IMAGES] [STUDENT_EPOCHS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGES="${1:-12800}"
EPOCHS="${2:-300}"
DISTILL_MAIN="$ROOT/bench/TrainingSpeedBenchmark.java" exec "$ROOT/bin/distill" \
  "$ROOT/bench/results/training-speed-$(date -u +%F).json" "$IMAGES" "$EPOCHS"
