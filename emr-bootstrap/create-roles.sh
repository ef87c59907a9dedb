#!/usr/bin/env bash
# Creates the cluster nodes' own IAM role and instance profile (tripbeam-emr-nodes) instead of EMR_EC2_DefaultRole,
# whose managed policy grants s3:* on every bucket: the role gets iam-policy-nodes.json (bootstrap script, jars and
# TLS certificates, log writes, Flink checkpoints, the run's CloudWatch metrics) and iam-policy-lake.json (the raw
# and curated zones, the lake's KMS key, the serving login), placeholders filled from the environment. The EMR
# service role (SERVICE_ROLE, which must exist: EMR_DefaultRole_V2 with AmazonEMRServicePolicy_v2, whose iam:PassRole
# names only EMR's default roles) gets iam-policy-service-pass.json: iam:PassRole on this role, to EC2 only.
#   create-roles.sh [--dry-run]   --dry-run prints the exact aws CLI calls and calls nothing
#   create-roles.sh --help        this text
# Settings (environment): LAKE_BUCKET, RAW_BUCKET (default LAKE_BUCKET), ACCOUNT_ID, AWS_REGION, LAKE_KEY_ID,
# SECRETS_KEY_ID, SERVING_SECRET_NAME, GLUE_DATABASE (the lake tables' Glue database, the runs' --catalogNamespace;
# default tripbeam), ROLE_NAME (default tripbeam-emr-nodes), SERVICE_ROLE (default EMR_DefaultRole_V2).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args create-roles "$@"

LAKE_BUCKET=${LAKE_BUCKET:-tripbeam-lake}
RAW_BUCKET=${RAW_BUCKET:-$LAKE_BUCKET}
ROLE_NAME=${ROLE_NAME:-tripbeam-emr-nodes}
SERVICE_ROLE=${SERVICE_ROLE:-EMR_DefaultRole_V2}
for required in ACCOUNT_ID LAKE_KEY_ID; do
  [ -n "${!required:-}" ] || { echo "create-roles: set $required" >&2; exit 2; }
done
aws_region
SECRETS_KEY_ID=${SECRETS_KEY_ID:-$LAKE_KEY_ID}
SERVING_SECRET_NAME=${SERVING_SECRET_NAME:-tripbeam/serving}
GLUE_DATABASE=${GLUE_DATABASE:-tripbeam}

OUT=$(mktemp -d "${TMPDIR:-/tmp}/tripbeam-roles.XXXXXX")
fill() {
  sed -e "s/RAW_BUCKET/$RAW_BUCKET/g" -e "s/LAKE_BUCKET/$LAKE_BUCKET/g" -e "s/ACCOUNT_ID/$ACCOUNT_ID/g" \
    -e "s/REGION/$REGION/g" -e "s/LAKE_KEY_ID/$LAKE_KEY_ID/g" -e "s/SECRETS_KEY_ID/$SECRETS_KEY_ID/g" \
    -e "s|SERVING_SECRET_NAME|$SERVING_SECRET_NAME|g" -e "s/GLUE_DATABASE/$GLUE_DATABASE/g" \
    -e "s/ROLE_NAME/$ROLE_NAME/g" "$HERE/$1" > "$OUT/$1"
}
fill iam-policy-nodes.json
fill iam-policy-lake.json
fill iam-policy-service-pass.json


aws_call iam create-role --role-name "$ROLE_NAME" --assume-role-policy-document "file://$HERE/iam-role-trust.json" \
  --tags Key=purpose,Value=tripbeam
aws_call iam put-role-policy --role-name "$ROLE_NAME" --policy-name tripbeam-nodes --policy-document "file://$OUT/iam-policy-nodes.json"
aws_call iam put-role-policy --role-name "$ROLE_NAME" --policy-name tripbeam-lake --policy-document "file://$OUT/iam-policy-lake.json"
aws_call iam create-instance-profile --instance-profile-name "$ROLE_NAME"
aws_call iam add-role-to-instance-profile --instance-profile-name "$ROLE_NAME" --role-name "$ROLE_NAME"
aws_call iam put-role-policy --role-name "$SERVICE_ROLE" --policy-name tripbeam-pass-nodes-role \
  --policy-document "file://$OUT/iam-policy-service-pass.json"
