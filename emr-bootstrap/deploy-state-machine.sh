#!/usr/bin/env bash
# Deploys the Step Functions state machine that runs tripbeam on a cluster made for each run
# (state-machine.asl.json): the cluster is cluster-settings.sh's, as create-cluster.sh makes it; the step is
# submit.sh's Flink step with PIPELINE_ARGS. Validates the rendered definition with Step Functions' own validator,
# then creates the state machine (or updates it when STATE_MACHINE_ARN is set).
#   deploy-state-machine.sh [--dry-run]   --dry-run renders the definition and prints the exact aws calls, calls nothing
#   deploy-state-machine.sh --help        this text
# Settings (environment): SUBNET_IDS (required), STATE_MACHINE_ROLE_ARN (required: a role Step Functions assumes,
# allowed to run EMR clusters and pass the cluster's roles), PIPELINE_ARGS (the run's arguments, e.g.
# "--input=s3://raw/ --output=s3://lake/curated --incremental=true"), STATE_MACHINE_NAME (default tripbeam-run),
# STATE_MACHINE_ARN, and create-cluster.sh's settings.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args deploy-state-machine "$@"

# shellcheck source=cluster-settings.sh
source "$HERE/cluster-settings.sh"
cluster_settings_check deploy-state-machine
case "${STATE_MACHINE_ROLE_ARN:-}" in
  arn:aws*:iam::*:role/?*) ;;
  *) echo "deploy-state-machine: set STATE_MACHINE_ROLE_ARN to the role Step Functions runs as (got '${STATE_MACHINE_ROLE_ARN:-}')" >&2; exit 2 ;;
esac
STATE_MACHINE_NAME=${STATE_MACHINE_NAME:-tripbeam-run}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/tripbeam-state-machine.XXXXXX")
render_cluster_files "$OUT"

read -r -a pipeline_args <<< "${PIPELINE_ARGS:-}"
STEP=$(bash "$HERE/submit.sh" --print-step --runner flink -- "${pipeline_args[@]}")

# Fills the template: "@json:NAME@" (with its quotes) becomes NAME's JSON value, @NAME@ NAME's text.
definition=$(cat "$HERE/state-machine.asl.json")
shopt -u patsub_replacement 2> /dev/null || true
fill_json() { definition=${definition//\"@json:$1@\"/$2}; }
fill_text() { definition=${definition//@$1@/$2}; }
fill_json SUBNETS "$(subnets_json)"
fill_json INSTANCE_FLEETS "$(cat "$FLEETS_FILE")"
fill_json CONFIGURATIONS "$(cat "$CONFIGURATIONS_FILE")"
fill_json STEP "$STEP"
for n in MIN_UNITS MAX_UNITS ON_DEMAND_UNITS CORE_UNITS IDLE_SECONDS STEP_CONCURRENCY; do fill_json "$n" "${!n}"; done
for n in CLUSTER_NAME RELEASE_LABEL SECURITY_CONFIGURATION LAKE_BUCKET INSTANCE_PROFILE SERVICE_ROLE COST_CENTER PURPOSE TTL; do
  fill_text "$n" "${!n}"
done
if [[ "$definition" =~ @(json:)?[A-Z_]+@ ]]; then
  echo "deploy-state-machine: a placeholder is left in the definition: ${BASH_REMATCH[0]}" >&2
  exit 1
fi
DEFINITION=$OUT/state-machine.json
printf '%s\n' "$definition" > "$DEFINITION"

validate() {
  aws_call stepfunctions validate-state-machine-definition --region "$REGION" --type STANDARD \
    --definition "file://$DEFINITION" --output text "$@"
}
if $DRY_RUN; then
  validate --query result
elif [ "$(validate --query result)" != OK ]; then
  echo "deploy-state-machine: Step Functions refuses the definition ($DEFINITION):" >&2
  validate --query 'diagnostics[].[code, location, message]' >&2
  exit 1
fi
if [ -n "${STATE_MACHINE_ARN:-}" ]; then
  aws_call stepfunctions update-state-machine --region "$REGION" --state-machine-arn "$STATE_MACHINE_ARN" \
    --definition "file://$DEFINITION" --role-arn "$STATE_MACHINE_ROLE_ARN"
else
  aws_call stepfunctions create-state-machine --region "$REGION" --name "$STATE_MACHINE_NAME" --type STANDARD \
    --definition "file://$DEFINITION" --role-arn "$STATE_MACHINE_ROLE_ARN" \
    --tags "key=cost-center,value=$COST_CENTER" "key=purpose,value=$PURPOSE"
fi
