#!/usr/bin/env bash
# The job's DJL loops on a GPU and on the CPU with the same work — scoring, a student with stored
# and with teacher labels, an INFER compensator, the palette network — and the full student
# protocol on the GPU alone (bench/GpuCheck.java). On a GPU node, after deploy/djl-jni.sh:
#   PYTORCH_LIBRARY_PATH=… PYTORCH_VERSION=… PYTORCH_FLAVOR=… bench/gpu-check.sh [RESULT_PREFIX]
# CHECK_CLASSPATH: the jars and GpuCheck's compiled class (default: the job's classpath, as
# bin/distill builds it, with GpuCheck run from source); FASHION_MNIST: the IDX folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${1:-$ROOT/bench/results/gpu-check-$(date -u +%F)}"
DATA="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
: "${PYTORCH_LIBRARY_PATH:?set it as deploy/djl-jni.sh prints}"
if [[ -n "${CHECK_CLASSPATH:-}" ]]; then
  MAIN=("$CHECK_CLASSPATH" GpuCheck)
else
  [[ -f "$ROOT/job/target/classpath.txt" ]] || { echo "gpu-check: build first (mvn -DskipTests package)" >&2; exit 2; }
  MAIN=("$ROOT/job/target/classes:$(cat "$ROOT/job/target/classpath.txt")" "$ROOT/bench/GpuCheck.java")
fi
JVM=(java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp)
ARGS=("$ROOT/bench/results/yardstick-observer" "$DATA/t10k-images-idx3-ubyte.gz" "$DATA/t10k-labels-idx1-ubyte.gz")
# Same work on both devices (ratios within one JVM), then the yardstick's 300-epoch student on the GPU.
# shellcheck disable=SC2086  # the settings are three numbers
"${JVM[@]}" "${MAIN[@]}" "${ARGS[@]}" "$PREFIX-same-work.json" ${SAME_WORK:-20 200 100} cpu gpu
# shellcheck disable=SC2086
"${JVM[@]}" "${MAIN[@]}" "${ARGS[@]}" "$PREFIX-full.json" ${FULL:-300 1000 300} gpu
