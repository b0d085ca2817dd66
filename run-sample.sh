#!/bin/sh
# Builds TokenGate and runs the sample on Payara Micro at http://localhost:${PORT:-8080}, and the resource server that
# trusts it at http://localhost:8081 (PORT+1), in the foreground (Ctrl-C stops both). Nothing needs installing beyond Java 17 and Maven. Options (environment variables):
#
#   PORT=9090 ./run-sample.sh                       another port
#   TOKENGATE_SAMPLE_DB=postgres ./run-sample.sh    PostgreSQL at 127.0.0.1:5432, database test, user postgres (trust)
#   TOKENGATE_SAMPLE_DATA=/srv/tokengate ./run-sample.sh   another data folder (default ~/.tokengate/sample)
set -e
if [ -n "$TOKENGATE_SAMPLE_DATA" ]; then # relative to where the command was typed
  mkdir -p "$TOKENGATE_SAMPLE_DATA"
  TOKENGATE_SAMPLE_DATA="$(cd "$TOKENGATE_SAMPLE_DATA" && pwd)"
  export TOKENGATE_SAMPLE_DATA
fi
cd "$(dirname "$0")"
mvn -B -q -pl sample-war,sample-resource-server -am package -DskipTests
exec sample-war/start-sample.sh
