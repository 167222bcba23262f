#!/usr/bin/env bash
# Submits the distill job to a cluster (YARN, Kubernetes, standalone) with the settings it needs:
#   deploy/spark-submit.sh [--gpu] --master yarn --deploy-mode cluster -- run --conf job.conf [-Dkey=value ...]
# Options before `--` go to spark-submit; the rest go to the job. Build the jar first:
#   mvn -DskipTests package
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${DISTILL_JAR:-$(ls "$ROOT"/job/target/distill-job-*-cluster.jar 2>/dev/null | head -1)}"
[[ -f "$JAR" ]] || { echo "no cluster jar: run 'mvn -DskipTests package' first" >&2; exit 1; }

SUBMIT=()
GPU=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  if [[ "$1" == "--gpu" ]]; then
    # One GPU per executor, one task per GPU; Spark hands each task its GPU address and the
    # job's inference picks it up (InferenceDevice). The discovery script ships with the job.
    GPU=(--conf spark.executor.resource.gpu.amount=1
         --conf spark.task.resource.gpu.amount=1
         --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh
         --files "$ROOT/deploy/gpu-discovery.sh")
  else
    SUBMIT+=("$1")
  fi
  shift
done
[[ "${1:-}" == "--" ]] && shift

CORES="${DISTILL_EXECUTOR_CORES:-4}"
# Native (libtorch) threads per task: the executor's cores divided by its concurrent tasks (one per
# core) is one, so intra-op threads follow spark.task.cpus instead. Training stages (observers,
# students) are the exception: they run with a stage-level resource profile that asks for all
# DISTILL_EXECUTOR_CORES of an executor per task (distill.training.task-cpus, 0 = spark.executor.cores),
# and each training task raises libtorch's threads to its cores while it runs.
TASK_CPUS="${DISTILL_TASK_CPUS:-1}"
OPTS="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$TASK_CPUS -Dai.djl.pytorch.num_interop_threads=1"

# jemalloc on the executors, if the nodes have it (≈2x faster libtorch on CPU, see PLATFORM.md):
#   DISTILL_JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 deploy/spark-submit.sh ...
MALLOC=()
if [[ -n "${DISTILL_JEMALLOC:-}" ]]; then
  MALLOC=(--conf "spark.executorEnv.LD_PRELOAD=$DISTILL_JEMALLOC"
          --conf "spark.executorEnv.MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1")
fi

exec spark-submit \
  --class dev.distill.job.cli.Main \
  --conf spark.executor.cores="$CORES" \
  --conf spark.task.cpus="$TASK_CPUS" \
  --conf spark.driver.extraJavaOptions="$OPTS" \
  --conf spark.executor.extraJavaOptions="$OPTS" \
  --conf spark.executorEnv.DJL_OFFLINE=true \
  --conf spark.executorEnv.OPT_OUT_TRACKING=true \
  --conf spark.executorEnv.DJL_CACHE_DIR=./djl-cache \
  --conf spark.yarn.appMasterEnv.DJL_OFFLINE=true \
  --conf spark.yarn.appMasterEnv.OPT_OUT_TRACKING=true \
  "${GPU[@]}" "${MALLOC[@]}" "${SUBMIT[@]}" "$JAR" "$@"
