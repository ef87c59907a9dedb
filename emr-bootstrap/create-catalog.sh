#!/usr/bin/env bash
# Creates the Glue database of the lake's tables. The tables themselves are made by the first run's commits
# (`--catalog=glue --catalogNamespace=DATABASE`: Iceberg tables, metadata in each zone's metadata/ folder), which
# Athena, EMR's Spark and Trino read by name; nothing here describes a zone.
#   create-catalog.sh [--dry-run]   --dry-run prints the exact aws CLI call and calls nothing
#   create-catalog.sh --help        this text
# Settings (environment): LAKE (required: the lake root tripbeam writes, s3://BUCKET/PREFIX), DATABASE (default
# tripbeam, the job's default --catalogNamespace), AWS_REGION (default: AWS_DEFAULT_REGION, the
# profile's region, us-east-1).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args create-catalog "$@"

LAKE=${LAKE:-}
case "$LAKE" in
  s3://?*) LAKE=${LAKE%/} ;;
  *) echo "create-catalog: set LAKE to the lake root, s3://BUCKET/PREFIX (got '${LAKE}')" >&2; exit 2 ;;
esac
DATABASE=${DATABASE:-tripbeam}
case "$DATABASE" in
  *[!A-Za-z0-9_]*|'') echo "create-catalog: DATABASE takes letters, digits and '_' (got '$DATABASE')" >&2; exit 2 ;;
esac
aws_region

if ! $DRY_RUN && aws glue get-database --region "$REGION" --name "$DATABASE" --output json > /dev/null 2>&1; then
  echo "create-catalog: the Glue database $DATABASE exists"
  exit 0
fi
aws_call glue create-database --region "$REGION" \
  --database-input "{\"Name\":\"$DATABASE\",\"Description\":\"tripbeam lake tables at $LAKE\",\"LocationUri\":\"$LAKE\"}"
$DRY_RUN || echo "create-catalog: the Glue database $DATABASE created"
