# shellcheck shell=bash
# shellcheck disable=SC2034  # the settings are read by the scripts that source this file
# The tripbeam cluster's settings, sourced by create-cluster.sh and deploy-state-machine.sh so that both create the
# same cluster (one source of truth): the pinned release, the instance fleets (instance-fleets.json), the
# classifications (configurations.json), managed scaling, idle auto-termination, the roles, the security
# configuration, one step at a time, the tags. Settings come from the environment; SUBNET_IDS has no default.
# Defines: RELEASE_LABEL and the settings below; cluster_settings_check PROGRAM checks them and sets FLINK_VERSION and
# REGION (aws-call.sh's aws_region); render_cluster_files DIR writes the rendered fleets and configurations into DIR
# and sets FLEETS_FILE and CONFIGURATIONS_FILE.

# Pinned to the runner: beam-runners-flink-1.19 needs Flink 1.19 (emr-7.4.0 and emr-7.5.0 ship 1.19.1; emr-7.6.0
# and later ship 1.20, which a 1.19 client cannot submit to). A test checks this label against the pom's runner.
RELEASE_LABEL=emr-7.5.0

# shellcheck source=aws-call.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/aws-call.sh"

LAKE_BUCKET=${LAKE_BUCKET:-tripbeam-lake}
CLUSTER_NAME=${CLUSTER_NAME:-tripbeam}
SUBNET_IDS=${SUBNET_IDS:-}
INSTANCE_PROFILE=${INSTANCE_PROFILE:-tripbeam-emr-nodes}
SERVICE_ROLE=${SERVICE_ROLE:-EMR_DefaultRole_V2}
SECURITY_CONFIGURATION=${SECURITY_CONFIGURATION:-tripbeam}
COST_CENTER=${COST_CENTER:-mobility-data}
PURPOSE=${PURPOSE:-tripbeam-batch}
TTL=${TTL:-7d}
IDLE_SECONDS=${IDLE_SECONDS:-3600}
MIN_UNITS=${MIN_UNITS:-3}
MAX_UNITS=${MAX_UNITS:-20}
ON_DEMAND_UNITS=${ON_DEMAND_UNITS:-3}
CORE_UNITS=${CORE_UNITS:-2}
STEP_CONCURRENCY=1

# cluster_settings_check PROGRAM: one line and exit 2 when the settings cannot make a cluster.
cluster_settings_check() {
  local program=$1 here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  FLINK_VERSION=$(awk -v l="$RELEASE_LABEL" '$1 == l { print $2 }' "$here/emr-flink-versions.tsv")
  case "$FLINK_VERSION" in
    1.19.*) ;;
    *) echo "$program: $RELEASE_LABEL ships Flink ${FLINK_VERSION:-unknown}; tripbeam's runner needs 1.19" >&2; exit 2 ;;
  esac
  if ! [[ "$SUBNET_IDS" =~ ^subnet-[0-9a-f]{8,17}(,subnet-[0-9a-f]{8,17})*$ ]] || [[ "$SUBNET_IDS" =~ subnet-0{8}(,|$) ]]; then
    echo "$program: set SUBNET_IDS to your VPC's subnets, comma-separated (several zones let the fleets find capacity; got '${SUBNET_IDS}')" >&2
    exit 2
  fi
  aws_region
}

# render_cluster_files DIR: the fleets and the classifications with this run's bucket, in DIR.
render_cluster_files() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  FLEETS_FILE=$1/tripbeam-emr-instance-fleets.json
  CONFIGURATIONS_FILE=$1/tripbeam-emr-configurations.json
  sed -e "s/CORE_UNITS/$CORE_UNITS/g" "$here/instance-fleets.json" > "$FLEETS_FILE"
  sed -e "s/LAKE_BUCKET/$LAKE_BUCKET/g" "$here/configurations.json" > "$CONFIGURATIONS_FILE"
}

# The subnets as a JSON array: ["subnet-a","subnet-b"].
subnets_json() {
  local out=""
  local -a ids
  IFS=, read -r -a ids <<< "$SUBNET_IDS"
  for id in "${ids[@]}"; do out+="${out:+,}\"$id\""; done
  printf '[%s]' "$out"
}
