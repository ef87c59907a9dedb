#!/usr/bin/env bash
# A Kafka broker in KRaft mode (broker and controller in one process) on this machine, built only from Maven Central
# jars: every listener on 127.0.0.1, clients on 127.0.0.1:$KAFKA_PORT (default 9092). Its PID is recorded under
# $KAFKA_DIR/pids and stopped by that PID only; its log and data stay under $KAFKA_DIR.
#   kafka-broker.sh install | start | stop | status | pids
#   kafka-broker.sh topic NAME [PARTITIONS]   creates a topic (default 2 partitions)
#   kafka-broker.sh produce TOPIC < FILE       sends each line of standard input as one record
# Environment: KAFKA_DIR (default target/kafka), KAFKA_PORT (default 9092; the controller listens on the next port),
# KAFKA_HOME_DIR (the broker's jars; default $KAFKA_DIR/kafka-home: brokers may share one).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${KAFKA_DIR:-$ROOT/target/kafka}
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=$((PORT + 1))
HOME_DIR=${KAFKA_HOME_DIR:-$DIR/kafka-home}
PIDS=$DIR/pids
LOGS=$DIR/log
# shellcheck source=cluster-lib.sh
source "$HERE/cluster-lib.sh"

install() {
  [ -f "$HOME_DIR/.installed-tools" ] && return 0
  mkdir -p "$HOME_DIR/lib"
  mvn -q -B -f "$HERE/kafka-home/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$HOME_DIR/lib"
  touch "$HOME_DIR/.installed-tools"
}

configure() {
  mkdir -p "$DIR/data" "$LOGS"
  cat > "$DIR/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DIR/data
num.partitions=2
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
CONF
  if [ ! -f "$DIR/data/meta.properties" ]; then
    local id
    id=$(java -cp "$(jars_classpath "$HOME_DIR/lib")" kafka.tools.StorageTool random-uuid)
    java -cp "$(jars_classpath "$HOME_DIR/lib")" kafka.tools.StorageTool format -t "$id" -c "$DIR/server.properties" > "$LOGS/format.out"
  fi
}

start() {
  install
  mkdir -p "$PIDS"
  alive broker && { echo "kafka broker already running"; return 0; }
  configure
  nohup java -Xmx512m -cp "$(jars_classpath "$HOME_DIR/lib")" kafka.Kafka "$DIR/server.properties" > "$LOGS/broker.out" 2>&1 &
  echo $! > "$PIDS/broker.pid"
  for _ in $(seq 1 120); do
    if grep -q "Kafka Server started" "$LOGS/broker.out" 2>/dev/null; then
      echo "kafka broker up on 127.0.0.1:$PORT (PID $(cat "$PIDS/broker.pid"))"
      return 0
    fi
    if ! alive broker; then
      echo "kafka broker died, see $LOGS/broker.out" >&2
      tail -20 "$LOGS/broker.out" >&2
      stop_all kafka
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka broker did not come up in 60 s" >&2
  stop_all kafka
  exit 1
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_all kafka ;;
  status) if alive broker; then echo "broker $(cat "$PIDS/broker.pid")"; else echo "broker down"; fi ;;
  pids) cat "$PIDS"/*.pid 2>/dev/null ;;
  topic)
    [ -n "${2:-}" ] || { echo "usage: $0 topic NAME [PARTITIONS]" >&2; exit 2; }
    java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(jars_classpath "$HOME_DIR/lib")" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$PORT" --create \
      --if-not-exists --topic "$2" --partitions "${3:-2}" --replication-factor 1
    ;;
  produce)
    [ -n "${2:-}" ] || { echo "usage: $0 produce TOPIC < FILE" >&2; exit 2; }
    java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(jars_classpath "$HOME_DIR/lib")" org.apache.kafka.tools.ConsoleProducer --bootstrap-server "127.0.0.1:$PORT" --topic "$2"
    ;;
  *) echo "usage: $0 install|start|stop|status|pids|topic NAME [PARTITIONS]|produce TOPIC" >&2; exit 2 ;;
esac
