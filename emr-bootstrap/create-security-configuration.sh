#!/usr/bin/env bash
# Creates the EMR security configuration tripbeam's clusters use: encryption at rest with the lake's KMS key (EMRFS
# SSE-KMS, local disks and EBS volumes) and TLS in transit (PEM certificates from S3), from security-configuration.json.
#   create-security-configuration.sh [--dry-run]   --dry-run prints the exact aws CLI call and calls nothing
#   create-security-configuration.sh --help        this text
# Settings (environment): LAKE_KEY_ARN (required: arn:aws:kms:…:key/…), LAKE_BUCKET (the certificates' zip at
# s3://LAKE_BUCKET/tripbeam/tls/certificates.zip), SECURITY_CONFIGURATION (default tripbeam), AWS_REGION.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args create-security-configuration "$@"
LAKE_BUCKET=${LAKE_BUCKET:-tripbeam-lake}
SECURITY_CONFIGURATION=${SECURITY_CONFIGURATION:-tripbeam}
case "${LAKE_KEY_ARN:-}" in
  arn:aws*:kms:*:key/?*) ;;
  *) echo "create-security-configuration: set LAKE_KEY_ARN to the lake's KMS key ARN (got '${LAKE_KEY_ARN:-}')" >&2; exit 2 ;;
esac
aws_region
RENDERED=${TMPDIR:-/tmp}/tripbeam-security-configuration.json
sed -e "s|LAKE_KEY_ARN|$LAKE_KEY_ARN|g" -e "s/LAKE_BUCKET/$LAKE_BUCKET/g" "$HERE/security-configuration.json" > "$RENDERED"

aws_call emr create-security-configuration --region "$REGION" --name "$SECURITY_CONFIGURATION" \
  --security-configuration "file://$RENDERED"
