#!/usr/bin/env bash
# A local S3 server for trying the lake: S3Proxy on 127.0.0.1 (port $S3_PORT, default 9000), buckets stored on disk
# under target/local-s3/data/, bucket tripbeam-lake seeded with the bundled raw files under raw/.
#   runners-config/local-s3.sh start | stop | status
# Credentials for clients: AWS_ACCESS_KEY_ID=tripbeam-local AWS_SECRET_ACCESS_KEY=tripbeam-local-secret-7f3c
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${S3_PORT:-9000}
DIR=target/local-s3
PID_FILE=$DIR/s3proxy.pid
# shellcheck source=java17.sh
source runners-config/java17.sh

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running; then echo "local S3 already running (PID $(cat "$PID_FILE"))"; exit 0; fi
    mvn -q -B -DskipTests test-compile
    mkdir -p "$DIR"
    nohup java -cp "tests/target/test-classes:$(cat tests/target/test.classpath)" dev.tripbeam.fixtures.LocalS3 \
      "$PORT" "$DIR/data" tripbeam-lake tests/data/nyc_tlc > "$DIR/s3proxy.log" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 120); do
      grep -q "listening" "$DIR/s3proxy.log" 2>/dev/null && break
      running || { cat "$DIR/s3proxy.log"; echo "local S3 failed to start" >&2; exit 1; }
      sleep 0.5
    done
    grep -q "listening" "$DIR/s3proxy.log" || { echo "local S3 did not start in 60 s, see $DIR/s3proxy.log" >&2; exit 1; }
    cat "$DIR/s3proxy.log"
    echo "PID $(cat "$PID_FILE"); objects are files under $DIR/data/tripbeam-lake/"
    ;;
  stop)
    if running; then kill "$(cat "$PID_FILE")"; echo "stopped PID $(cat "$PID_FILE")"; fi
    rm -f "$PID_FILE"
    ;;
  status)
    if running; then echo "running, PID $(cat "$PID_FILE"), http://127.0.0.1:$PORT"; else echo "not running"; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
