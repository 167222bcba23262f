#!/usr/bin/env bash
# Scoring-stage performance: raw inference vs end-to-end scoring (local[1], local[2]), ingest rate,
# peak memory, with bin/distill's JVM setup (flags, threads, jemalloc). Needs a trained observer
# (e.g. from bench/fashion-mnist.sh) and the IDX data:
#   bench/scoring.sh [OBSERVER_DIR] [IMAGES_IDX] [POOL_PER_CLASS] [BATCH]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OBSERVER="${1:-$ROOT/out/bench/fashion-mnist/observer/observers/convnet3}"
IMAGES="${2:-/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz}"
POOL="${3:-300}"
BATCH="${4:-256}"
mkdir -p "$ROOT/bench/results"
DISTILL_MAIN="$ROOT/bench/ScoringBenchmark.java" exec "$ROOT/bin/distill" \
  "$OBSERVER" "$IMAGES" "$POOL" "$BATCH" "$ROOT/bench/results/scoring-$(date -u +%F).json"
