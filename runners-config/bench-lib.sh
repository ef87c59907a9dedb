# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): Java 17, GNU time, the JVM flags Beam's runners need, and the
# generated data sets under $BENCH_DIR. Callers set BENCH_DIR before calling generate; the generator runs from the
# tools module (not shaded into the job jars), built by `mvn install`.
# shellcheck source=java17.sh
source "$(dirname "${BASH_SOURCE[0]}")/java17.sh"
[ -x /usr/bin/time ] || { echo "benchmark: needs GNU time (apt-get install time)" >&2; exit 2; }
# shellcheck disable=SC2034 # OPENS, WALL, RSS and CPU are for the scripts that source this file
OPENS=(--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED)
DATA=tests/data/nyc_tlc
TEMPLATES="$DATA/yellow_tripdata_2021-01.head.csv,$DATA/green_tripdata_2023-12.parquet"

# tools_cp: the tools module's classpath (its classes first), once a Maven build has written it.
tools_cp() {
  echo "tools/target/classes:$(cat tools/target/runtime.classpath)"
}

# generate SIZE [DIR [GENERATOR OPTIONS...]]: app-format Parquet of SIZE trips (default: $BENCH_DIR/app-SIZE, raw files
# of about 500k trips as a lake's raw zone holds them, seed 42 from 2024-03-04 over 7 days); kept between runs.
generate() {
  local size=$1 dir=${2:-"$BENCH_DIR/app-$1"}
  shift $(( $# < 2 ? $# : 2 ))
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    java -Xmx4g -cp "$(tools_cp)" dev.tripbeam.tools.generate.GenerateTrips --trips="$size" \
      --users=$(( size / 2 > 0 ? size / 2 : 1 )) --files=$(( size / 500000 > 2 ? size / 500000 : 2 )) \
      --templates="$TEMPLATES" --output="$dir" "$@"
    touch "$dir/.complete"
  fi
}

# timed LOG COMMAND...: runs COMMAND under GNU time, output to LOG; sets WALL, RSS (KiB) and CPU (user + sys, s).
timed() {
  local log=$1
  shift
  SPARK_LOCAL_IP=127.0.0.1 /usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/time.txt" "$@" > "$log" 2>&1 \
    || { echo "benchmark: failed, see $log" >&2; tail -5 "$log" >&2; return 1; }
  local user sys
  # shellcheck disable=SC2034
  read -r WALL RSS user sys < <(tail -n 1 "$BENCH_DIR/time.txt")
  # shellcheck disable=SC2034
  CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}
