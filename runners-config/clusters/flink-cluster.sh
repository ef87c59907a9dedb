#!/usr/bin/env bash
# A Flink 1.19 standalone session cluster on this machine, built only from Maven Central jars: one JobManager and
# two TaskManagers, every address 127.0.0.1, web UI and REST on 127.0.0.1:8081. Memory parameters come from Flink's
# BashJavaUtils, as Flink's own launch scripts do. Each process's PID is recorded under $FLINK_CLUSTER_DIR/pids and
# stopped by that PID only.
#   flink-cluster.sh install | start | stop | status | pids
#   flink-cluster.sh add-taskmanager NAME   starts one more TaskManager (a replacement, as YARN would allocate)
#   flink-cluster.sh run JOB_JAR ARGS...   submits with the Flink CLI (`flink run`), as an EMR step does
#   flink-cluster.sh application JOB_JAR ARGS...   a trial of application mode (the local equivalent of
#     `flink run-application -t yarn-application`): a JobManager that runs tripbeam's main itself, two TaskManagers;
#     waits for the JobManager to end and prints the application status it reported (needs the session cluster
#     stopped: same ports; the entry point class comes from flink-container 1.18.0, the newest Maven Central serves
#     near 1.19).
# Every process exposes its metrics through Flink's Prometheus reporter on the first free port of 9250-9260 (JobManager
# first); the job's Beam counters appear there as operator metrics.
# Environment: FLINK_CLUSTER_DIR (default target/flink-cluster), FLINK_VERSION (default 1.19.1: the Flink of the
# pinned EMR release, emr-7.5.0; the job jar's client is the runner's 1.19.0, as on EMR).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${FLINK_CLUSTER_DIR:-$ROOT/target/flink-cluster}
FLINK_VERSION=${FLINK_VERSION:-1.19.1}
HOME_DIR=$DIR/flink-home
PIDS=$DIR/pids
LOGS=$HOME_DIR/log
# shellcheck source=cluster-lib.sh
source "$HERE/cluster-lib.sh"
OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED)

install() {
  # The marker names the installation: a change to flink-home/pom.xml or to this script (its configuration) makes a
  # new one, so old installations refresh.
  local marker
  marker=$HOME_DIR/.installed-$FLINK_VERSION-$(cat "$HERE/flink-home/pom.xml" "$HERE/flink-cluster.sh" | cksum | cut -d' ' -f1)
  [ -f "$marker" ] && return 0
  # A lib/ of an earlier set (another Flink version) is replaced, never mixed with the new jars.
  rm -rf "${HOME_DIR:?}/lib"
  mkdir -p "$HOME_DIR/lib" "$HOME_DIR/conf" "$HOME_DIR/log"
  mvn -q -B -f "$HERE/flink-home/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -Dflink.version="$FLINK_VERSION" -DoutputDirectory="$HOME_DIR/lib"
  cat > "$HOME_DIR/conf/flink-conf.yaml" <<CONF
jobmanager.rpc.address: 127.0.0.1
jobmanager.bind-host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: 8081
blob.server.port: 6124-6134
taskmanager.rpc.port: 6135-6145
taskmanager.data.port: 0
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 2048m
taskmanager.memory.managed.size: 384m
taskmanager.numberOfTaskSlots: 1
parallelism.default: 2
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 5
restart-strategy.fixed-delay.delay: 2 s
jobmanager.execution.failover-strategy: region
heartbeat.timeout: 10000
heartbeat.interval: 2000
env.java.opts.all: ${OPENS[*]}
process.working-dir: $HOME_DIR/work
io.tmp.dirs: $HOME_DIR/tmp
taskmanager.memory.network.min: 256m
taskmanager.memory.network.max: 256m
taskmanager.network.sort-shuffle.min-buffers: 64
state.backend.incremental: true
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: 9250-9260
CONF
  cat > "$HOME_DIR/conf/log4j.properties" <<'CONF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
CONF
  touch "$marker"
}

# Flink's BashJavaUtils prints the JVM flags and dynamic options of a process from the configuration.
resource_params() {
  java -cp "$(jars_classpath "$HOME_DIR/lib")" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$HOME_DIR/conf" \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

launch() {
  local name=$1 main=$2 kind=$3 jvm dynamic params
  params=$(resource_params "$kind")
  jvm=$(sed -n 1p <<< "$params")
  dynamic=$(sed -n 2p <<< "$params")
  local -a jvm_args dynamic_args
  read -r -a jvm_args <<< "$jvm"
  read -r -a dynamic_args <<< "$dynamic"
  # A TaskManager is known by its name in the REST API and the exception history (taskmanager.resource-id).
  [ "$kind" = GET_TM_RESOURCE_PARAMS ] && dynamic_args+=(-D "taskmanager.resource-id=$name")
  nohup java "${jvm_args[@]}" "${OPENS[@]}" -Dlog.file="$HOME_DIR/log/$name.log" \
    -Dlog4j.configurationFile="file:$HOME_DIR/conf/log4j.properties" -cp "${USER_JAR:+$USER_JAR:}$(jars_classpath "$HOME_DIR/lib")" "$main" \
    --configDir "$HOME_DIR/conf" "${dynamic_args[@]}" > "$HOME_DIR/log/$name.out" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}

# The processes' working and temporary folders (blobs, RocksDB state, spill files) are this cluster's own, under its
# folder, and start empty: a killed TaskManager leaves gigabytes there, and /tmp is shared with other clusters.
fresh_work_dirs() {
  rm -rf "${HOME_DIR:?}/work" "${HOME_DIR:?}/tmp"
  mkdir -p "$HOME_DIR/work" "$HOME_DIR/tmp"
}

start() {
  install
  mkdir -p "$PIDS"
  alive jobmanager && { echo "flink cluster already running"; return 0; }
  fresh_work_dirs
  launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
  launch taskmanager-1 org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
  launch taskmanager-2 org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS

  wait_up flink http://127.0.0.1:8081/taskmanagers '"id"' 2 jobmanager taskmanager-1 taskmanager-2
}

stop() {
  stop_all flink
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status)
    for f in "$PIDS"/*.pid; do
      [ -f "$f" ] || continue
      p=$(basename "$f" .pid)
      if alive "$p"; then echo "$p $(cat "$f")"; else echo "$p down"; fi
    done
    ;;
  pids) cat "$PIDS"/*.pid 2>/dev/null ;;
  add-taskmanager)
    launch "$2" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    echo "started $2, PID $(cat "$PIDS/$2.pid")"
    ;;
  application)
    shift
    jar=$1
    shift
    install
    alive jobmanager && { echo "stop the session cluster first (same ports)" >&2; exit 2; }
    fresh_work_dirs
    mkdir -p "$PIDS" "$DIR/application"
    mvn -q -B dependency:copy -Dartifact=org.apache.flink:flink-container:1.18.0 -DoutputDirectory="$DIR/application"
    log=$HOME_DIR/log/application-jobmanager.log
    : > "$log"
    nohup java -Xmx1g "${OPENS[@]}" -Dlog.file="$log" -Dlog4j.configurationFile="file:$HOME_DIR/conf/log4j.properties" \
      -cp "$jar:$(jars_classpath "$DIR/application"):$(jars_classpath "$HOME_DIR/lib")" \
      org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint --configDir "$HOME_DIR/conf" \
      -D execution.attached=true --job-classname dev.tripbeam.cli.TripCommand --runner=FlinkRunner "$@" \
      > "$HOME_DIR/log/application-jobmanager.out" 2>&1 &
    echo $! > "$PIDS/application-jobmanager.pid"
    # The job jar on the TaskManagers too (YARN ships it with the application; standalone reads it from usrlib/).
    USER_JAR=$jar launch application-tm-1 org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    USER_JAR=$jar launch application-tm-2 org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    while alive application-jobmanager; do sleep 1; done
    stop_all flink
    echo "tripbeam's console (on the JobManager): $HOME_DIR/log/application-jobmanager.out"
    grep -o 'Shutting StandaloneApplicationClusterEntryPoint down with application status [A-Z]*.*' "$log" || echo "no application status in $log"
    ;;
  run)
    shift
    jar=$1
    shift
    FLINK_CONF_DIR=$HOME_DIR/conf java "${OPENS[@]}" -Dlog.file="$HOME_DIR/log/client.log" \
      -Dlog4j.configurationFile="file:$HOME_DIR/conf/log4j.properties" -cp "$(jars_classpath "$HOME_DIR/lib")" \
      org.apache.flink.client.cli.CliFrontend run -m 127.0.0.1:8081 -c dev.tripbeam.cli.TripCommand "$jar" \
      --runner=FlinkRunner "$@"
    ;;
  *) echo "usage: $0 install|start|stop|status|pids|add-taskmanager NAME|run JOB_JAR ARGS...|application JOB_JAR ARGS..." >&2; exit 2 ;;
esac
