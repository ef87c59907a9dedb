#!/usr/bin/env bash
# Creates the tripbeam EMR cluster: the pinned release with Flink and Spark; instance fleets of several instance types
# (Graviton included) over several subnets: on-demand master and core, a spot task fleet, resize specifications for
# managed scaling's resizes; application masters (the Flink JobManager, the Spark driver) on core nodes only; idle
# auto-termination; one step at a time; the security configuration; the nodes' own role; logs on S3; cost tags.
# The settings are cluster-settings.sh's, shared with the Step Functions state machine (deploy-state-machine.sh).
#   create-cluster.sh [--dry-run]   --dry-run prints the exact aws CLI calls and calls nothing
#   create-cluster.sh --help        this text
# Settings (environment): SUBNET_IDS (required: subnet-…,subnet-… in your VPC), LAKE_BUCKET, AWS_REGION, CLUSTER_NAME,
# INSTANCE_PROFILE (create-roles.sh's), SERVICE_ROLE, SECURITY_CONFIGURATION (create-security-configuration.sh's),
# IDLE_SECONDS, MIN_UNITS, MAX_UNITS, ON_DEMAND_UNITS, CORE_UNITS, COST_CENTER, PURPOSE, TTL.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args create-cluster "$@"

# shellcheck source=cluster-settings.sh
source "$HERE/cluster-settings.sh"
cluster_settings_check create-cluster
render_cluster_files "${TMPDIR:-/tmp}"


aws_call s3 cp "$HERE/bootstrap.sh" "s3://$LAKE_BUCKET/tripbeam/bootstrap.sh" --region "$REGION"
aws_call emr create-cluster \
  --region "$REGION" \
  --name "$CLUSTER_NAME" \
  --release-label "$RELEASE_LABEL" \
  --applications Name=Flink Name=Spark \
  --instance-fleets "file://$FLEETS_FILE" \
  --managed-scaling-policy "ComputeLimits={UnitType=InstanceFleetUnits,MinimumCapacityUnits=$MIN_UNITS,MaximumCapacityUnits=$MAX_UNITS,MaximumOnDemandCapacityUnits=$ON_DEMAND_UNITS,MaximumCoreCapacityUnits=$CORE_UNITS}" \
  --auto-termination-policy "IdleTimeout=$IDLE_SECONDS" \
  --step-concurrency-level "$STEP_CONCURRENCY" \
  --security-configuration "$SECURITY_CONFIGURATION" \
  --log-uri "s3://$LAKE_BUCKET/emr-logs/" \
  --configurations "file://$CONFIGURATIONS_FILE" \
  --bootstrap-actions "Path=s3://$LAKE_BUCKET/tripbeam/bootstrap.sh,Name=tripbeam-bootstrap" \
  --ec2-attributes "SubnetIds=[$SUBNET_IDS],InstanceProfile=$INSTANCE_PROFILE" \
  --service-role "$SERVICE_ROLE" \
  --tags "cost-center=$COST_CENTER" "purpose=$PURPOSE" "ttl=$TTL"
