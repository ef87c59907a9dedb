#!/usr/bin/env bash
# The incremental benchmark: what adding one day of new trips (a 20k-trip app file, seed 7, 2024-03-11) costs a lake
# that already holds N trips (the benchmark's data sets: seed 42, 2024-03-04 to 2024-03-10), on embedded Flink with
# --incremental=true. The raw zone the run lists holds the lake's files and the new one, as a daily job sees it.
# Settings (environment): SIZES (lake sizes; 0 is the empty lake), RUNS, ARM (the label of what is measured),
# CLASSPATH_FILE (the Flink runtime classpath of the build to measure; default this checkout's), MEASURED_COMMIT (the
# commit that build is of, recorded with the results; default this checkout's), BENCH_DIR, RESULTS
# (default docs/incremental-results.tsv). Each lake is built once per arm by a full run at the path the measured runs
# use and kept aside as a copy, put back before each measured run: an Iceberg table's metadata names its files by
# their full paths, so a lake is only itself at the path it was written at. Writes docs/incremental.md and
# docs/incremental.png from all results.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"0 1000000 5000000 30000000"}
RUNS=${RUNS:-2}
ARM=${ARM:-iceberg}
BENCH_DIR=${BENCH_DIR:-/tmp/tripbeam-bench}
CLASSPATH_FILE=${CLASSPATH_FILE:-runners-config/flink/target/runtime.classpath}
RESULTS=${RESULTS:-docs/incremental-results.tsv}
COMMAND="SIZES=\"$SIZES\" RUNS=$RUNS ARM=$ARM${MEASURED_COMMIT:+ MEASURED_COMMIT=$MEASURED_COMMIT} CLASSPATH_FILE=$CLASSPATH_FILE runners-config/incremental-benchmark.sh"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no -- . ':!docs/incremental-results.tsv' ':!docs/incremental.md' ':!docs/incremental.png' 2>/dev/null)" ] || COMMIT="$COMMIT+changes"
COMMIT=${MEASURED_COMMIT:-$COMMIT}
# shellcheck source=bench-lib.sh
source runners-config/bench-lib.sh

[ "$CLASSPATH_FILE" = runners-config/flink/target/runtime.classpath ] && mvn -q -B -DskipTests test-compile
FLINK_CP=$(cat "$CLASSPATH_FILE")
TEST_CP=tests/target/test-classes:$(cat tests/target/test.classpath)
mkdir -p "$BENCH_DIR"
[ -f "$RESULTS" ] || printf 'engine\ttrips\trun\twall_s\tpeak_rss_kb\tcpu_s\tdate\tcommit\tcommand\n' > "$RESULTS"

ADD="$BENCH_DIR/add-20k"
generate 20000 "$ADD" --users=10000 --files=1 --seed=7 --start=2024-03-11 --days=1

JOB=(java -Xmx6g "${OPENS[@]}" -cp "$FLINK_CP" dev.tripbeam.cli.TripCommand --runner=FlinkRunner --incremental=true)

work="$BENCH_DIR/lake-work"
for size in $SIZES; do
  base="$BENCH_DIR/lake-$ARM-$size"
  input="$ADD/*.parquet"
  if [ "$size" -gt 0 ]; then
    generate "$size"
    input="$BENCH_DIR/app-$size/*.parquet,$input"
    if [ ! -f "$base/.complete" ]; then
      rm -rf "$base" "$work"
      timed "$BENCH_DIR/build-$ARM-$size.log" "${JOB[@]}" --input="$BENCH_DIR/app-$size/*.parquet" --output="$work"
      echo "incremental benchmark: built the $ARM lake of $size trips in ${WALL}s"
      cp -a "$work" "$base"
      touch "$base/.complete"
    fi
  fi
  for run in $(seq 1 "$RUNS"); do
    rm -rf "$work"
    if [ "$size" -gt 0 ]; then cp -a "$base" "$work" && rm "$work/.complete"; fi
    timed "$BENCH_DIR/last-incremental.log" "${JOB[@]}" --input="$input" --output="$work"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ARM" "$size" "$run" "$WALL" "$RSS" "$CPU" \
      "$(date -u +%Y-%m-%d)" "$COMMIT" "$COMMAND" >> "$RESULTS"
    echo "incremental benchmark: $ARM, lake of $size trips, run $run: ${WALL}s, CPU ${CPU}s"
  done
done
rm -rf "$BENCH_DIR/lake-work"
java -cp "$TEST_CP" dev.tripbeam.bench.IncrementalReport "$RESULTS" docs/incremental.md docs/incremental.png
echo "incremental benchmark: wrote docs/incremental.md and docs/incremental.png"
