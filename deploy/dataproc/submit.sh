#!/usr/bin/env bash
# Dataproc: gcloud dataproc jobs submit spark, same settings as deploy/spark-submit.sh.
set -euo pipefail
CLUSTER="${1:?cluster name}"; REGION="${2:?region}"; BUCKET="${3:?gs://bucket}"
OPTS="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
gcloud dataproc jobs submit spark \
  --cluster="$CLUSTER" --region="$REGION" \
  --class=dev.distill.job.cli.Main \
  --jars="$BUCKET/distill/distill-job-0.1.0-SNAPSHOT-cluster.jar" \
  --files="$BUCKET/distill/job.conf" \
  --properties="^#^spark.executor.extraJavaOptions=$OPTS#spark.driver.extraJavaOptions=$OPTS#spark.executorEnv.DJL_OFFLINE=true#spark.executorEnv.OPT_OUT_TRACKING=true" \
  -- run --conf job.conf
