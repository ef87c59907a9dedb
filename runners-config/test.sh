#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need beyond Java and Maven (shellcheck, from Debian's
# packages), then every test including the real Flink and Spark cluster suite (-Dcluster.tests).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
  export PATH="$JAVA_HOME/bin:$PATH"
fi
if ! command -v shellcheck > /dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -q shellcheck > /dev/null 2>&1 \
    || { $SUDO apt-get update -q > /dev/null && $SUDO apt-get install -y -q shellcheck > /dev/null; }
fi
mvn -B -ntp verify -Dcluster.tests
