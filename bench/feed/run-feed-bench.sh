#!/usr/bin/env bash
# The issuer's cost of its resource servers: the sample (one Payara Micro, port 8383, 127.0.0.1 only, H2) with
# FeedLoad simulating SERVERS resource servers (default 100) that read its revocation feed every second, each on
# its own keep-alive connection, as a real one does (last cursor, If-None-Match). Four variants, alternated ROUNDS
# times (default 3) after a warm-up, so that the noise of a shared machine falls on all of them alike:
#   idle          no pollers, no revocations: the issuer's own background cost, to subtract
#   poll          the pollers, an idle feed (every answer 304)
#   revoke        REVOKE_RATE revocations per second (default 10), no pollers
#   poll+revoke   both: every poll after a revocation gets the new cuts (200)
# It prints, per run, polls/s, the share of 304s, bytes per second on the wire both ways, and the issuer's CPU time
# (user + system, from /proc) in ms per second; the medians are in docs/benchmarks.md.
# Usage: bench/feed/run-feed-bench.sh [seconds-per-run]      SERVERS=100 ROUNDS=3 REVOKE_RATE=10 PORT=8383
set -e
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-30}"
SERVERS="${SERVERS:-100}"
ROUNDS="${ROUNDS:-3}"
REVOKE_RATE="${REVOKE_RATE:-10}"
PORT="${PORT:-8383}"
BASE="http://localhost:$PORT"
OUT="bench/target/feed"
rm -rf "$OUT"
mkdir -p "$OUT/data"

mvn -B -q -Pbench -pl sample-war,bench -am package -DskipTests
LOAD="java -Xmx512m -cp bench/target/benchmarks.jar io.tokengate.bench.feed.FeedLoad $BASE"

PORT="$PORT" RESOURCE_PORT=none TOKENGATE_SAMPLE_DATA="$PWD/$OUT/data" TOKENGATE_REVOCATION_REGISTRY=memory \
  sample-war/start-sample.sh > "$OUT/payara.out" 2>&1 &
SCRIPT=$!
trap 'kill $SCRIPT 2>/dev/null || true; wait $SCRIPT 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$BASE/public" 2>/dev/null)" = 200 ] && break
  kill -0 "$SCRIPT" 2>/dev/null || { echo "the sample did not start; see $OUT/payara.out" >&2; exit 1; }
  sleep 1
done
PID=$(pgrep -f -- "tokengate-sample.war.*--port $PORT" | head -1)
[ -n "$PID" ] || { echo "no Payara Micro process for port $PORT" >&2; exit 1; }

echo "warming up (30 s of poll+revoke)"
$LOAD --pid "$PID" --servers "$SERVERS" --seconds 30 --revoke-rate "$REVOKE_RATE" --label warm-up > /dev/null
: > "$OUT/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for variant in idle poll revoke poll+revoke; do
    case "$variant" in
      idle) args="--servers 0 --revoke-rate 0" ;;
      poll) args="--servers $SERVERS --revoke-rate 0" ;;
      revoke) args="--servers 0 --revoke-rate $REVOKE_RATE" ;;
      poll+revoke) args="--servers $SERVERS --revoke-rate $REVOKE_RATE" ;;
    esac
    # shellcheck disable=SC2086
    $LOAD --pid "$PID" --seconds "$SECONDS_PER_RUN" $args --label "round $round $variant" | tee -a "$OUT/results.txt"
  done
done
echo
echo "revocation feed, $SERVERS resource servers, $(nproc) cores, $(java -version 2>&1 | head -1); results in $OUT/results.txt"
