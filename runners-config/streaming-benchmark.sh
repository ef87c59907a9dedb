#!/usr/bin/env bash
# The streaming benchmark (docs/benchmarks.md, "Streaming"): on the local Flink standalone cluster (JobManager and two
# TaskManagers, RocksDB state, checkpoints every 2 s), a local Kafka broker and a local PostgreSQL server, all started
# and stopped by PID: the sustained events/s over EVENTS generated app events already in the topic (default 300,000),
# and, with RATE live events/s for DURATION s (defaults 5000, 120; each sent when its trip ends, 3 % sent late, 1 %
# twice), the latency from an event's send to a visible processed-trip file and to its rider's user_daily row in
# PostgreSQL (p50, p95, p99), with the TaskManagers' CPU per event. OUT_OF_ORDER is the job's --maxOutOfOrderness
# (default 5m); JOB_ARGS adds job arguments (A/B runs); EVENTS=0 skips the throughput arm.
# Prints a TSV line per arm and appends it to RESULTS (default docs/streaming-results.tsv) with the date and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-300000}
RATE=${RATE:-5000}
DURATION=${DURATION:-120}
JOB_ARGS=${JOB_ARGS:-}
OUT_OF_ORDER=${OUT_OF_ORDER:-5m}
RESULTS=${RESULTS:-docs/streaming-results.tsv}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tripbeam-streaming-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=java17.sh
source runners-config/java17.sh
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no -- . ':!docs/streaming-results.tsv' 2>/dev/null)" ] || COMMIT="$COMMIT+changes"
mvn -q -B -DskipTests -Dcluster.tests install
(cd tests && mvn -q -B -DskipTests test-compile)
[ -f "$RESULTS" ] || printf 'arm\tevents\tseconds\tevents_per_s\tfile_p50_ms\tfile_p95_ms\tfile_p99_ms\tpg_p50_ms\tpg_p95_ms\tpg_p99_ms\ttm_cpu_us_per_event\tpane_s\tcheckpoint_s\tout_of_order\tjob_args\tdate\tcommit\n' > "$RESULTS"
read -r -a JOB_ARG_LIST <<< "$JOB_ARGS"
java -Xmx3g -Dtripbeam.repoRoot="$PWD" -cp "tests/target/test-classes:$(cat tests/target/test.classpath)" \
  dev.tripbeam.bench.StreamingBenchmark "$EVENTS" "$RATE" "$DURATION" "$WORK" "$OUT_OF_ORDER" "${JOB_ARG_LIST[@]}" | tee "$WORK/out.tsv"
tail -n +2 "$WORK/out.tsv" | while IFS= read -r line; do
  printf '%s\t%s\t%s\n' "$line" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" >> "$RESULTS"
done
