#!/usr/bin/env bash
# Submits one tripbeam run to the EMR cluster as a step through command-runner.jar.
#   submit.sh [--dry-run] [--runner flink|spark|serve] CLUSTER_ID -- PIPELINE_ARGS...
# Flink: the step copies the job jar from S3 to the master and runs `flink run -m yarn-cluster` (a per-job YARN
# application; the Flink CLI takes local jars only). Spark: `spark-submit --deploy-mode cluster` reads the jar from
# S3 itself. Serve: the serving database's reload (--serveOnly=true, no pipeline) with plain java on the master, the
# Flink job jar and Flink's lib/ (its logging) on the classpath. --dry-run prints the exact aws CLI call and calls
# nothing.
# Environment: LAKE_BUCKET (jars under s3://$LAKE_BUCKET/tripbeam/jars/), AWS_REGION, JAR_VERSION.
set -euo pipefail

DRY_RUN=false
RUNNER=flink
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true; shift ;;
    --runner) RUNNER=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "submit: unknown option $1" >&2; exit 2 ;;
    *) CLUSTER_ID=$1; shift ;;
  esac
done
[ -n "${CLUSTER_ID:-}" ] || { echo "usage: submit.sh [--dry-run] [--runner flink|spark|serve] CLUSTER_ID -- PIPELINE_ARGS..." >&2; exit 2; }

REGION=${AWS_REGION:-us-east-1}
LAKE_BUCKET=${LAKE_BUCKET:-tripbeam-lake}
JAR_VERSION=${JAR_VERSION:-0.1.0-SNAPSHOT}
MAIN=dev.tripbeam.pipeline.TripPipeline

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

# The step as a script on the master: copy the Flink job jar there, then run $1 followed by the pipeline arguments.
master_step() {
  local command="aws s3 cp $FLINK_JAR $LOCAL_JAR && $1" a
  shift
  for a in "$@"; do command+=" $(printf '%q' "$a")"; done
  ARGS=(bash -c "$command")
}

case "$RUNNER" in
  flink) master_step "flink run -m yarn-cluster -ynm tripbeam -c $MAIN $LOCAL_JAR --runner=FlinkRunner" "$@" ;;
  serve) master_step "java -cp '$LOCAL_JAR:/usr/lib/flink/lib/*' $MAIN --serveOnly=true" "$@" ;;
  spark)
    JAR=s3://$LAKE_BUCKET/tripbeam/jars/tripbeam-spark-$JAR_VERSION.jar
    ARGS=(spark-submit --deploy-mode cluster --master yarn --class "$MAIN" "$JAR" --runner=SparkRunner "$@")
    ;;
  *) echo "submit: --runner is flink, spark or serve, not $RUNNER" >&2; exit 2 ;;
esac

STEP="[{\"Type\":\"CUSTOM_JAR\",\"Name\":\"tripbeam-$RUNNER\",\"ActionOnFailure\":\"CONTINUE\",\"Jar\":\"command-runner.jar\",\"Args\":$(json_array "${ARGS[@]}")}]"

if $DRY_RUN; then
  printf '%q ' aws emr add-steps --region "$REGION" --cluster-id "$CLUSTER_ID" --steps "$STEP"
  printf '\n'
else
  aws emr add-steps --region "$REGION" --cluster-id "$CLUSTER_ID" --steps "$STEP"
fi
