#!/usr/bin/env bash
# Creates (or updates: put-metric-alarm replaces an alarm of the same name) tripbeam's CloudWatch alarms from
# alarms/*.json: a failed run of the state machine, a run longer than MAX_RUN_SECONDS, a rejected share above
# REJECTED_PERCENT, and (with CLUSTER_ID, for a long-running cluster) a cluster idle for 30 minutes. The run's own
# metrics (RunSeconds, RejectedShare: namespace tripbeam, dimension Lake) are published by the EMR step (submit.sh).
#   deploy-alarms.sh [--dry-run]   --dry-run prints the exact aws CLI calls and calls nothing
#   deploy-alarms.sh --help        this text
# Settings (environment): ALARM_TOPIC_ARN (required: the SNS topic told), LAKE (required: the run's --output),
# STATE_MACHINE_ARN (required: deploy-state-machine.sh's), CLUSTER_ID, MAX_RUN_SECONDS (default 300),
# REJECTED_PERCENT (default 5), AWS_REGION.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args deploy-alarms "$@"
MAX_RUN_SECONDS=${MAX_RUN_SECONDS:-300}
REJECTED_PERCENT=${REJECTED_PERCENT:-5}
CLUSTER_ID=${CLUSTER_ID:-}
[[ "${ALARM_TOPIC_ARN:-}" =~ ^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$ ]] \
  || { echo "deploy-alarms: set ALARM_TOPIC_ARN to an SNS topic ARN (got '${ALARM_TOPIC_ARN:-}')" >&2; exit 2; }
[[ "${LAKE:-}" =~ ^s3://[a-z0-9.-]+(/.*)?$ ]] || { echo "deploy-alarms: set LAKE to the runs' --output, s3://… (got '${LAKE:-}')" >&2; exit 2; }
[[ "${STATE_MACHINE_ARN:-}" =~ ^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]+$ ]] \
  || { echo "deploy-alarms: set STATE_MACHINE_ARN to the tripbeam state machine (got '${STATE_MACHINE_ARN:-}')" >&2; exit 2; }
[[ "$MAX_RUN_SECONDS" =~ ^[0-9]+$ && "$REJECTED_PERCENT" =~ ^[0-9]+(\.[0-9]+)?$ ]] \
  || { echo "deploy-alarms: MAX_RUN_SECONDS and REJECTED_PERCENT are numbers" >&2; exit 2; }
[ -z "$CLUSTER_ID" ] || [[ "$CLUSTER_ID" =~ ^j-[A-Z0-9]+$ ]] || { echo "deploy-alarms: CLUSTER_ID is j-… (got '$CLUSTER_ID')" >&2; exit 2; }
aws_region

OUT=$(mktemp -d "${TMPDIR:-/tmp}/tripbeam-alarms.XXXXXX")
for alarm in "$HERE"/alarms/*.json; do
  name=$(basename "$alarm")
  if [ "$name" = cluster-idle.json ] && [ -z "$CLUSTER_ID" ]; then
    continue
  fi
  sed -e "s|ALARM_TOPIC_ARN|$ALARM_TOPIC_ARN|g" -e "s|STATE_MACHINE_ARN|$STATE_MACHINE_ARN|g" -e "s|CLUSTER_ID|$CLUSTER_ID|g" \
    -e "s|MAX_RUN_SECONDS|$MAX_RUN_SECONDS|g" -e "s|REJECTED_PERCENT|$REJECTED_PERCENT|g" -e "s|\"LAKE\"|\"${LAKE%/}\"|g" \
    "$alarm" > "$OUT/$name"
  aws_call cloudwatch put-metric-alarm --region "$REGION" --cli-input-json "file://$OUT/$name"
done
