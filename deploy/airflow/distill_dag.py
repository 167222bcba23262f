"""Airflow DAG: distill a dataset nightly with spark-submit (apache-airflow-providers-apache-spark).

Set the Airflow Variables distill_jar (the cluster jar on HDFS/S3) and distill_conf (the job's HOCON
file, shipped with --files). Output paths carry the logical date, so reruns of a date replace only
that date's output (distill.output.overwrite = true) and each run is atomic.
"""
from datetime import datetime

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

OPTS = "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"

with DAG(
    dag_id="distill_rded",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    tags=["distill"],
) as dag:
    SparkSubmitOperator(
        task_id="distill",
        application="{{ var.value.distill_jar }}",
        java_class="dev.distill.job.cli.Main",
        files="{{ var.value.distill_conf }}",
        application_args=[
            "run", "--conf", "job.conf",
            "-Ddistill.output.path=s3a://my-bucket/distilled/{{ ds }}",
            "-Ddistill.output.overwrite=true",
        ],
        conf={
            "spark.executor.extraJavaOptions": OPTS,
            "spark.driver.extraJavaOptions": OPTS,
            "spark.executorEnv.DJL_OFFLINE": "true",
            "spark.executorEnv.OPT_OUT_TRACKING": "true",
        },
    )
