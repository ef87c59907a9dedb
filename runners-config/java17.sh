# shellcheck shell=bash
# Sourced by the scripts: Flink 1.19 and Spark 3.5 need Java 17; prefer it when the machine also has a newer JDK.
if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
  export PATH="$JAVA_HOME/bin:$PATH"
fi
