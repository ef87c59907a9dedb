#!/usr/bin/env bash
# A Spark 3.5 standalone cluster on this machine, built only from Maven Central jars: one master and two workers,
# every address 127.0.0.1 (master spark://127.0.0.1:7077, UIs 8080/8082/8083). Each process's PID is recorded under
# $SPARK_CLUSTER_DIR/pids and stopped by that PID only.
#   spark-cluster.sh install | start | stop | status | pids
#   spark-cluster.sh submit JOB_JAR ARGS...   submits with spark-submit's SparkSubmit class, as an EMR step does
# Environment: SPARK_CLUSTER_DIR (default target/spark-cluster).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${SPARK_CLUSTER_DIR:-$ROOT/target/spark-cluster}
export SPARK_HOME=$DIR/spark-home
export SPARK_LOCAL_IP=127.0.0.1
# Without a build tree, Spark's launcher (which workers use to start executors) needs the Scala version told.
export SPARK_SCALA_VERSION=2.12
PIDS=$DIR/pids
LOGS=$SPARK_HOME/logs
# shellcheck source=cluster-lib.sh
source "$HERE/cluster-lib.sh"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED"
read -r -a OPENS_ARGS <<< "$OPENS"

install() {
  [ -f "$SPARK_HOME/RELEASE" ] && return 0
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/logs" "$SPARK_HOME/work"
  mvn -q -B -f "$HERE/spark-home/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$SPARK_HOME/jars"
  # Spark's launcher finds SPARK_HOME/jars only in an installation, which it recognises by this file.
  echo "Spark 3.5.0 (jars from Maven Central, assembled by tripbeam)" > "$SPARK_HOME/RELEASE"
}

launch() {
  local name=$1
  shift
  nohup java -Xmx512m "${OPENS_ARGS[@]}" -cp "$SPARK_HOME/jars/*" "$@" > "$SPARK_HOME/logs/$name.out" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}

start() {
  install
  mkdir -p "$PIDS"
  alive master && { echo "spark cluster already running"; return 0; }
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 8080
  local w
  for w in 1 2; do
    launch "worker-$w" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 2g \
      --webui-port $((8081 + w)) --work-dir "$SPARK_HOME/work/worker-$w" spark://127.0.0.1:7077
  done
  wait_up spark http://127.0.0.1:8080/json/ '"state" : "ALIVE"' 2 master worker-1 worker-2
}

stop() {
  stop_all spark
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status)
    for p in master worker-1 worker-2; do
      if alive "$p"; then echo "$p $(cat "$PIDS/$p.pid")"; else echo "$p down"; fi
    done
    ;;
  pids) cat "$PIDS"/*.pid 2>/dev/null ;;
  submit)
    shift
    jar=$1
    shift
    java "${OPENS_ARGS[@]}" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
      --master spark://127.0.0.1:7077 --deploy-mode client --class dev.tripbeam.cli.TripCommand \
      --conf "spark.driver.extraJavaOptions=$OPENS" --conf "spark.executor.extraJavaOptions=$OPENS" \
      --conf spark.executor.memory=1g "$jar" --runner=SparkRunner --sparkMaster=spark://127.0.0.1:7077 "$@"
    ;;
  *) echo "usage: $0 install|start|stop|status|pids|submit JOB_JAR ARGS..." >&2; exit 2 ;;
esac
