#!/usr/bin/env bash
# Submits one tripbeam run to the EMR cluster as a step through command-runner.jar.
#   submit.sh [--dry-run] [--transient] [--runner flink|spark|serve] CLUSTER_ID -- PIPELINE_ARGS...
#   submit.sh --print-step [--transient] [--runner flink|spark|serve] -- PIPELINE_ARGS...   the step's JSON only
#   submit.sh --help
# Flink: the step copies the job jar from S3 to the master and runs `flink run -m yarn-cluster` (a per-job YARN
# application whose client, tripbeam's main, waits on the master: the step ends with the run's exit code, and the
# lake is published from the master; docs/runbook.md says why not application mode), then publishes the run's
# metrics to CloudWatch (namespace tripbeam) whatever the outcome. Spark: `spark-submit --deploy-mode cluster` reads
# the jar from S3 itself. Serve: the serving database's reload (--serveOnly=true, no pipeline) with plain java on
# the master, the Flink job jar and Flink's lib/ (its logging) on the classpath.
# --dry-run prints the exact aws CLI call and calls nothing. --transient: the step's failure terminates the cluster
# (TERMINATE_CLUSTER, for a cluster made for this run); default CONTINUE (a shared cluster takes the next step).
# Environment: LAKE_BUCKET (jars under s3://$LAKE_BUCKET/tripbeam/jars/), AWS_REGION, JAR_VERSION.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
usage() { script_usage; }
DRY_RUN=false
PRINT_STEP=false
RUNNER=flink
ON_FAILURE=CONTINUE
CLUSTER_ID=
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true; shift ;;
    --transient) ON_FAILURE=TERMINATE_CLUSTER; shift ;;
    --print-step) PRINT_STEP=true; shift ;;
    --help|-h) usage; exit 0 ;;
    --runner)
      [ $# -ge 2 ] || { echo "submit: --runner needs flink, spark or serve" >&2; usage >&2; exit 2; }
      RUNNER=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "submit: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    *)
      [ -z "$CLUSTER_ID" ] || { echo "submit: one CLUSTER_ID, then -- and the pipeline's arguments (got '$1')" >&2; usage >&2; exit 2; }
      CLUSTER_ID=$1; shift ;;
  esac
done
$PRINT_STEP || [[ "$CLUSTER_ID" =~ ^j-[A-Z0-9]+$ ]] || { echo "submit: give the cluster id, j-… (got '${CLUSTER_ID}')" >&2; usage >&2; exit 2; }

if $PRINT_STEP; then aws_region_offline; else aws_region; fi
LAKE_BUCKET=${LAKE_BUCKET:-tripbeam-lake}
JAR_VERSION=${JAR_VERSION:-0.1.0-SNAPSHOT}
MAIN=dev.tripbeam.cli.TripCommand

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

json_array() {
  local out="[" first=true a
  for a in "$@"; do
    $first || out+=","
    first=false
    out+=$(json_string "$a")
  done
  printf '%s]' "$out"
}

FLINK_JAR=s3://$LAKE_BUCKET/tripbeam/jars/tripbeam-flink-$JAR_VERSION.jar
LOCAL_JAR=/tmp/tripbeam-flink-$JAR_VERSION.jar
METRICS=/tmp/tripbeam-cloudwatch-metrics.json

# The step as a script on the master: copy the Flink job jar there, run $1 followed by the pipeline arguments, then
# (with $2 = publish) send the run's metrics to CloudWatch and end with the run's exit code.
master_step() {
  local command="aws s3 cp $FLINK_JAR $LOCAL_JAR && rm -f $METRICS && $1" publish=$2 a
  shift 2
  for a in "$@"; do command+=" $(printf '%q' "$a")"; done
  if [ "$publish" = publish ]; then
    command+=" --cloudWatchMetricsFile=$METRICS; rc=\$?; if [ -s $METRICS ]; then aws cloudwatch put-metric-data"
    command+=" --region $REGION --namespace tripbeam --metric-data file://$METRICS || true; fi; exit \$rc"
  fi
  ARGS=(bash -c "$command")
}

case "$RUNNER" in
  flink) master_step "flink run -m yarn-cluster -ynm tripbeam -c $MAIN $LOCAL_JAR --runner=FlinkRunner" publish "$@" ;;
  serve) master_step "java -cp '$LOCAL_JAR:/usr/lib/flink/lib/*' $MAIN --serveOnly=true" none "$@" ;;
  spark)
    JAR=s3://$LAKE_BUCKET/tripbeam/jars/tripbeam-spark-$JAR_VERSION.jar
    ARGS=(spark-submit --deploy-mode cluster --master yarn --class "$MAIN" "$JAR" --runner=SparkRunner "$@")
    ;;
  *) echo "submit: --runner is flink, spark or serve, not $RUNNER" >&2; usage >&2; exit 2 ;;
esac

if $PRINT_STEP; then
  # The API's shape (HadoopJarStep), as Step Functions' addStep takes it.
  printf '{"Name":"tripbeam-%s","ActionOnFailure":"%s","HadoopJarStep":{"Jar":"command-runner.jar","Args":%s}}\n' \
    "$RUNNER" "$ON_FAILURE" "$(json_array "${ARGS[@]}")"
  exit 0
fi
STEP="[{\"Type\":\"CUSTOM_JAR\",\"Name\":\"tripbeam-$RUNNER\",\"ActionOnFailure\":\"$ON_FAILURE\",\"Jar\":\"command-runner.jar\",\"Args\":$(json_array "${ARGS[@]}")}]"

aws_call emr add-steps --region "$REGION" --cluster-id "$CLUSTER_ID" --steps "$STEP"
