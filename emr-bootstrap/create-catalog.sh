#!/usr/bin/env bash
# Creates the Glue Data Catalog tables of the lake's zones through Athena: the database, then one CREATE EXTERNAL TABLE
# per zone from catalog/*.sql (generated from the writers' schemas by dev.tripbeam.tools.catalog.AthenaDdl; partitioned
# zones use partition projection, so a new pickup date is queryable as soon as it is published).
#   create-catalog.sh [--dry-run]   --dry-run prints the exact aws CLI calls and calls nothing
#   create-catalog.sh --help        this text
# Settings (environment): LAKE (required: the lake root tripbeam writes, s3://BUCKET/PREFIX), DATABASE (default
# tripbeam), WORKGROUP (default primary), ATHENA_RESULTS (default LAKE's bucket, athena-results/), AWS_REGION (default
# us-east-1).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=aws-call.sh
source "$HERE/aws-call.sh"
dry_run_args create-catalog 9 "$@"

LAKE=${LAKE:-}
case "$LAKE" in
  s3://?*) LAKE=${LAKE%/} ;;
  *) echo "create-catalog: set LAKE to the lake root, s3://BUCKET/PREFIX (got '${LAKE}')" >&2; exit 2 ;;
esac
BUCKET=${LAKE#s3://}
BUCKET=${BUCKET%%/*}
DATABASE=${DATABASE:-tripbeam}
WORKGROUP=${WORKGROUP:-primary}
ATHENA_RESULTS=${ATHENA_RESULTS:-s3://$BUCKET/athena-results/}
REGION=${AWS_REGION:-us-east-1}


if $DRY_RUN || ! aws glue get-database --region "$REGION" --name "$DATABASE" > /dev/null 2>&1; then
  aws_call glue create-database --region "$REGION" \
    --database-input "{\"Name\":\"$DATABASE\",\"Description\":\"tripbeam lake zones at $LAKE\"}"
fi

for ddl in "$HERE"/catalog/*.sql; do
  query=$(grep -v '^--' "$ddl" | sed "s|\${LAKE}|$LAKE|g")
  id=$(aws_call athena start-query-execution --region "$REGION" --work-group "$WORKGROUP" \
    --query-execution-context "Database=$DATABASE" --result-configuration "OutputLocation=$ATHENA_RESULTS" \
    --query-string "$query")
  if $DRY_RUN; then
    echo "$id"
    continue
  fi
  id=$(printf '%s' "$id" | sed -n 's/.*"QueryExecutionId": *"\([^"]*\)".*/\1/p')
  while :; do
    state=$(aws athena get-query-execution --region "$REGION" --query-execution-id "$id" \
      --query 'QueryExecution.Status.State' --output text)
    case "$state" in
      SUCCEEDED) echo "create-catalog: $(basename "$ddl" .sql) created"; break ;;
      FAILED|CANCELLED) echo "create-catalog: $(basename "$ddl" .sql): Athena says $state" >&2; exit 1 ;;
      *) sleep 2 ;;
    esac
  done
done
