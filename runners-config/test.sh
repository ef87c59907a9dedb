#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need beyond Java and Maven (shellcheck and Chromium,
# from Debian's packages; asl-validator 4.0.0, from the npm registry, under target/node), then every test including the
# real Flink and Spark cluster suite (-Dcluster.tests).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=java17.sh
source runners-config/java17.sh
missing=()
command -v shellcheck > /dev/null || missing+=(shellcheck)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -q "${missing[@]}" > /dev/null 2>&1 \
    || { $SUDO apt-get update -q > /dev/null && $SUDO apt-get install -y -q "${missing[@]}" > /dev/null; }
fi
if [ ! -x target/node/node_modules/.bin/asl-validator ]; then
  mkdir -p target/node
  npm install --no-audit --no-fund --loglevel=error --prefix target/node asl-validator@4.0.0 > /dev/null
fi
mvn -B -ntp verify -Dcluster.tests
