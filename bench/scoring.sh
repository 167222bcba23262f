#!/usr/bin/env bash
# Scoring-stage performance: raw inference vs end-to-end scoring (local[1], local[2]), ingest rate,
# peak memory. Needs a trained observer (e.g. from bench/fashion-mnist.sh) and the IDX data:
#   bench/scoring.sh [OBSERVER_DIR] [IMAGES_IDX] [POOL_PER_CLASS] [BATCH]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OBSERVER="${1:-$ROOT/out/bench/fashion-mnist/observer/observers/convnet3}"
IMAGES="${2:-/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz}"
POOL="${3:-300}"
BATCH="${4:-256}"
RESULT="$ROOT/bench/results/scoring-$(date -u +%F).json"
"$ROOT/bin/distill" --help > /dev/null   # builds if needed
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ -z "${DISTILL_NO_JEMALLOC:-}" && -f "$JEMALLOC" ]]; then
  export LD_PRELOAD="$JEMALLOC" MALLOC_CONF="dirty_decay_ms:-1,muzzy_decay_ms:-1"
fi
export DJL_OFFLINE=true OPT_OUT_TRACKING=true SPARK_LOCAL_IP=127.0.0.1
exec java $(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' "$ROOT/pom.xml") -Xmx8g \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$(nproc)" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$ROOT/job/target/classes:$(cat "$ROOT/job/target/classpath.txt")" \
  "$ROOT/bench/ScoringBenchmark.java" "$OBSERVER" "$IMAGES" "$POOL" "$BATCH" "$RESULT"
