#!/usr/bin/env bash
# Creates the tripbeam EMR cluster: Flink and Spark, on-demand master and core fleets, a spot task fleet, managed
# scaling, idle auto-termination, logs on S3, cost tags. Settings come from the environment (defaults below).
#   create-cluster.sh [--dry-run]   --dry-run prints the exact aws CLI calls and calls nothing
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

DRY_RUN=false
[ "${1:-}" = "--dry-run" ] && DRY_RUN=true

# Pinned to the runner: beam-runners-flink-1.19 needs Flink 1.19 (emr-7.4.0 to emr-7.6.0 ship 1.19.1; emr-7.7.0 and
# later ship 1.20, which a 1.19 client cannot submit to). A test checks this label against the pom's runner.
RELEASE_LABEL=emr-7.5.0

REGION=${AWS_REGION:-us-east-1}
LAKE_BUCKET=${LAKE_BUCKET:-tripbeam-lake}
CLUSTER_NAME=${CLUSTER_NAME:-tripbeam}
SUBNET_IDS=${SUBNET_IDS:-subnet-00000000}
INSTANCE_PROFILE=${INSTANCE_PROFILE:-EMR_EC2_DefaultRole}
SERVICE_ROLE=${SERVICE_ROLE:-EMR_DefaultRole}
COST_CENTER=${COST_CENTER:-mobility-data}
PURPOSE=${PURPOSE:-tripbeam-batch}
TTL=${TTL:-7d}
IDLE_SECONDS=${IDLE_SECONDS:-3600}
MIN_UNITS=${MIN_UNITS:-3}
MAX_UNITS=${MAX_UNITS:-20}
ON_DEMAND_UNITS=${ON_DEMAND_UNITS:-3}
CORE_UNITS=${CORE_UNITS:-2}

FLINK_VERSION=$(awk -v l="$RELEASE_LABEL" '$1 == l { print $2 }' "$HERE/emr-flink-versions.tsv")
case "$FLINK_VERSION" in
  1.19.*) ;;
  *) echo "create-cluster: $RELEASE_LABEL ships Flink ${FLINK_VERSION:-unknown}; tripbeam's runner needs 1.19" >&2; exit 2 ;;
esac

CONFIGURATIONS=${TMPDIR:-/tmp}/tripbeam-emr-configurations.json
sed "s/LAKE_BUCKET/$LAKE_BUCKET/g" "$HERE/configurations.json" > "$CONFIGURATIONS"

FLEETS='[{"Name":"master","InstanceFleetType":"MASTER","TargetOnDemandCapacity":1,"InstanceTypeConfigs":[{"InstanceType":"m6i.xlarge"}]},'
FLEETS+="{\"Name\":\"core\",\"InstanceFleetType\":\"CORE\",\"TargetOnDemandCapacity\":$CORE_UNITS,\"InstanceTypeConfigs\":[{\"InstanceType\":\"m6i.2xlarge\"}]},"
FLEETS+='{"Name":"task-spot","InstanceFleetType":"TASK","TargetSpotCapacity":1,"InstanceTypeConfigs":['
FLEETS+='{"InstanceType":"m6i.2xlarge","WeightedCapacity":1},{"InstanceType":"m5.2xlarge","WeightedCapacity":1},{"InstanceType":"m6a.2xlarge","WeightedCapacity":1}],'
FLEETS+='"LaunchSpecifications":{"SpotSpecification":{"TimeoutDurationMinutes":20,"TimeoutAction":"SWITCH_TO_ON_DEMAND","AllocationStrategy":"capacity-optimized"}}}]'

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"

aws_call s3 cp "$HERE/bootstrap.sh" "s3://$LAKE_BUCKET/tripbeam/bootstrap.sh" --region "$REGION"
aws_call emr create-cluster \
  --region "$REGION" \
  --name "$CLUSTER_NAME" \
  --release-label "$RELEASE_LABEL" \
  --applications Name=Flink Name=Spark \
  --instance-fleets "$FLEETS" \
  --managed-scaling-policy "ComputeLimits={UnitType=InstanceFleetUnits,MinimumCapacityUnits=$MIN_UNITS,MaximumCapacityUnits=$MAX_UNITS,MaximumOnDemandCapacityUnits=$ON_DEMAND_UNITS,MaximumCoreCapacityUnits=$CORE_UNITS}" \
  --auto-termination-policy "IdleTimeout=$IDLE_SECONDS" \
  --log-uri "s3://$LAKE_BUCKET/emr-logs/" \
  --configurations "file://$CONFIGURATIONS" \
  --bootstrap-actions "Path=s3://$LAKE_BUCKET/tripbeam/bootstrap.sh,Name=tripbeam-bootstrap" \
  --ec2-attributes "SubnetIds=[$SUBNET_IDS],InstanceProfile=$INSTANCE_PROFILE" \
  --service-role "$SERVICE_ROLE" \
  --tags "cost-center=$COST_CENTER" "purpose=$PURPOSE" "ttl=$TTL"
