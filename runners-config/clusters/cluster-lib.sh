#!/usr/bin/env bash
# Shared by flink-cluster.sh and spark-cluster.sh (sourced): processes recorded by PID files in $PIDS, each with its
# output in $LOGS/<name>.out. Flink 1.19 and Spark 3.5 need Java 17: prefer it when the machine has another default.

# shellcheck source=../java17.sh
source "$HERE/../java17.sh"

# jars_classpath DIR: the jars of DIR joined with ':'.
jars_classpath() {
  local cp="" jar
  for jar in "$1"/*.jar; do cp+="${cp:+:}$jar"; done
  printf '%s' "$cp"
}

alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

# stop_all LABEL: stops every recorded process by its PID (TERM, then KILL after 5 s) and forgets it.
stop_all() {
  local f pid
  for f in "$PIDS"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    fi
    rm -f "$f"
  done
  echo "$1 cluster stopped"
}

# wait_up LABEL URL PATTERN COUNT PROCESS...: waits up to 60 s until URL shows PATTERN COUNT times; stops everything
# and exits 1 if a process dies or time runs out.
wait_up() {
  local label=$1 url=$2 pattern=$3 count=$4 p
  shift 4
  for _ in $(seq 1 120); do
    if [ "$(curl -sf "$url" 2>/dev/null | grep -o "$pattern" | wc -l)" -eq "$count" ]; then
      echo "$label cluster up (PIDs $(cat "$PIDS"/*.pid | tr '\n' ' '))"
      return 0
    fi
    for p in "$@"; do
      if ! alive "$p"; then
        echo "$label $p died, see $LOGS/$p.out" >&2
        tail -20 "$LOGS/$p.out" >&2
        stop_all "$label"
        exit 1
      fi
    done
    sleep 0.5
  done
  echo "$label cluster did not come up in 60 s" >&2
  stop_all "$label"
  exit 1
}
