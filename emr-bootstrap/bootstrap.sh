#!/usr/bin/env bash
# EMR bootstrap action for tripbeam. Runs as hadoop on every node before the applications start; idempotent (safe
# to run twice); downloads nothing: the job jar reaches the cluster at submit time (submit.sh), from S3.
#   bootstrap.sh [--dry-run]   --dry-run prints the changes instead of making them
set -euo pipefail

DRY_RUN=false
[ "${1:-}" = "--dry-run" ] && DRY_RUN=true

SCRATCH=/mnt/tripbeam
PROFILE=/etc/profile.d/tripbeam.sh
LIMITS=/etc/security/limits.d/90-tripbeam.conf

run() {
  if $DRY_RUN; then
    printf '%q ' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# Local scratch on the instance store for Flink's spill files and Spark's shuffle files.
run sudo mkdir -p "$SCRATCH/flink-tmp" "$SCRATCH/spark-local"
run sudo chown -R hadoop:hadoop "$SCRATCH"

# The sort-merge shuffles open many files at once.
if ! grep -qs 'tripbeam' "$LIMITS"; then
  run sudo tee "$LIMITS" <<'LIMITS_EOF' > /dev/null
# tripbeam: file handles for batch shuffles
hadoop soft nofile 65536
hadoop hard nofile 65536
LIMITS_EOF
fi

# Where the steps find the scratch folders.
if ! grep -qs 'TRIPBEAM_SCRATCH' "$PROFILE"; then
  run sudo tee "$PROFILE" <<'PROFILE_EOF' > /dev/null
export TRIPBEAM_SCRATCH=/mnt/tripbeam
PROFILE_EOF
fi
echo "tripbeam bootstrap done on $(hostname)"
