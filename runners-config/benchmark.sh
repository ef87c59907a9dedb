#!/usr/bin/env bash
# The runner benchmark: generated app-format Parquet through all outputs on embedded Flink and Spark local, the
# single-threaded plain-Java floor and DuckDB SQL (Direct at a small size only). Writes docs/benchmarks.md and
# docs/benchmarks.png. Settings (environment): SIZES, RUNS, ENGINES, DIRECT_SIZE (empty: skip Direct), BENCH_DIR,
# FLINK_ARGS and SPARK_ARGS (extra pipeline options), JOB_JVM (the Flink and Spark jobs' collector flags, default the
# launcher's -XX:+UseParallelGC), RESULTS (default docs/benchmark-results.tsv).
# Every run appends one line to $RESULTS (wall, peak RSS, user + sys CPU, date, commit and the command that ran it);
# the report covers all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 5000000 30000000"}
RUNS=${RUNS:-3}
ENGINES=${ENGINES:-"floor duckdb flink spark"}
DIRECT_SIZE=${DIRECT_SIZE-2000}
BENCH_DIR=${BENCH_DIR:-/tmp/tripbeam-bench}
JOB_JVM=${JOB_JVM--XX:+UseParallelGC}
COMMAND="SIZES=\"$SIZES\" RUNS=$RUNS ENGINES=\"$ENGINES\" DIRECT_SIZE=$DIRECT_SIZE${FLINK_ARGS:+ FLINK_ARGS=\"$FLINK_ARGS\"}${SPARK_ARGS:+ SPARK_ARGS=\"$SPARK_ARGS\"}${JOB_JVM:+ JOB_JVM=\"$JOB_JVM\"} runners-config/benchmark.sh"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no -- . ':!docs/benchmark-results.tsv' ':!docs/benchmarks.md' ':!docs/benchmarks.png' 2>/dev/null)" ] || COMMIT="$COMMIT+changes"
# shellcheck source=bench-lib.sh
source runners-config/bench-lib.sh

mvn -q -B -DskipTests test-compile
FLINK_CP=$(cat runners-config/flink/target/runtime.classpath)
SPARK_CP=$(cat runners-config/spark/target/runtime.classpath)
TEST_CP=tests/target/test-classes:$(cat tests/target/test.classpath)
# Extra pipeline options per engine, e.g. SPARK_ARGS="--storageLevel=DISK_ONLY".
read -r -a SPARK_EXTRA <<< "${SPARK_ARGS:-}"
read -r -a FLINK_EXTRA <<< "${FLINK_ARGS:-}"
read -r -a GC <<< "$JOB_JVM"
mkdir -p "$BENCH_DIR"
RESULTS=${RESULTS:-docs/benchmark-results.tsv}
[ -f "$RESULTS" ] || printf 'engine\ttrips\trun\twall_s\tpeak_rss_kb\tcpu_s\tdate\tcommit\tcommand\n' > "$RESULTS"

measure() {
  local engine=$1 size=$2 run=$3 in="$BENCH_DIR/app-$2" out="$BENCH_DIR/out-$1"
  rm -rf "$out"
  local cmd
  case $engine in
    flink)  cmd=(java -Xmx6g "${GC[@]}" "${OPENS[@]}" -cp "$FLINK_CP" dev.tripbeam.cli.TripCommand --runner=FlinkRunner --input="$in/*.parquet" --output="$out" "${FLINK_EXTRA[@]}") ;;
    spark)  cmd=(java -Xmx6g "${GC[@]}" "${OPENS[@]}" -cp "$SPARK_CP" dev.tripbeam.cli.TripCommand --runner=SparkRunner --sparkMaster="local[2]" --input="$in/*.parquet" --output="$out" "${SPARK_EXTRA[@]}") ;;
    direct) cmd=(java -Xmx4g -cp "$TEST_CP" dev.tripbeam.cli.TripCommand --runner=DirectRunner --input="$in/*.parquet" --output="$out") ;;
    floor)  cmd=(java -Xmx16g -cp "$(tools_cp)" dev.tripbeam.tools.bench.PlainJavaFloor --input="$in" --output="$out") ;;
    duckdb) cmd=(java -Xmx2g -cp "$TEST_CP" dev.tripbeam.bench.DuckDbBaseline --input="$in/*.parquet" --output="$out" --zones="$DATA/taxi_zone_lookup.csv") ;;
  esac
  timed "$BENCH_DIR/last-$engine.log" "${cmd[@]}" || { echo "benchmark: $engine at $size failed" >&2; return 1; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$size" "$run" "$WALL" "$RSS" "$CPU" \
    "$(date -u +%Y-%m-%d)" "$COMMIT" "$COMMAND" >> "$RESULTS"
  echo "benchmark: $engine $size run $run: ${WALL}s, peak RSS ${RSS} KiB, CPU ${CPU}s"
}

if [ -n "$DIRECT_SIZE" ]; then
  generate "$DIRECT_SIZE"
  measure direct "$DIRECT_SIZE" 1
fi
for size in $SIZES; do
  generate "$size"
  for run in $(seq 1 "$RUNS"); do
    for engine in $ENGINES; do
      [ "$engine" = direct ] && continue
      measure "$engine" "$size" "$run"
    done
  done
done
java -cp "$TEST_CP" dev.tripbeam.bench.BenchmarkReport "$RESULTS" docs/benchmarks.md docs/benchmarks.png \
  docs/benchmark-notes.md
echo "benchmark: wrote docs/benchmarks.md and docs/benchmarks.png"
