#!/usr/bin/env bash
# Refresh grants on PostgreSQL, over HTTP against the sample on one Payara Micro (TokenGate as the application's
# Jakarta Security mechanism, RS256 keys, the jpa store on a jdbc/tokengate pool):
#   1. with 10 thousand and with 1 million families in the table: grants per second in a closed loop at several
#      numbers of concurrent clients (each sends its next refresh as soon as the last one answered), and latency in
#      an open loop (32 clients starting a fixed number of refreshes per second together);
#   2. the scheduled cleanup deleting 1 million expired families while 32 clients keep refreshing.
# Every request presents the successor its client got last (a rotation per request). Traffic stays on 127.0.0.1;
# PostgreSQL is the local one (127.0.0.1:5432, database test, user postgres, trust); the data goes into a schema of
# its own (tokengate_bench), dropped and refilled with COPY.
# Usage: bench/refresh/run-refresh-bench.sh [seconds-per-run]
#        CLIENTS="1 8 32 64" RATES="250 500" ALGORITHM=RS256 bench/refresh/run-refresh-bench.sh 20
#        FAMILIES=10000 CLEANUP=no CLIENTS=32 RATES=250 bench/refresh/run-refresh-bench.sh 30   (one table size, no cleanup run)
# SERVER_JAVA_OPTS adds JVM flags to the server (e.g. a JFR recording); SERVER_JAVA is its java (default: java on the PATH).
set -e
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-20}"
CLIENTS="${CLIENTS:-1 8 32 64}"
RATES="${RATES:-250 500}"
FAMILIES="${FAMILIES:-10000 1000000}" # table sizes of the closed- and open-loop runs
CLEANUP="${CLEANUP:-yes}"             # no: skip the cleanup run
ALGORITHM="${ALGORITHM:-RS256}" # the signing algorithm of the generated keys: every grant signs one access token
PORT="${PORT:-8282}"
BASE="http://localhost:$PORT"
OUT="bench/target/refresh"
SCHEMA=tokengate_bench
JDBC="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
rm -rf "$OUT"
mkdir -p "$OUT"

(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
mvn -B -q -Pbench -pl sample-war,bench -am package -DskipTests
BENCH="java -Xmx2g -cp bench/target/benchmarks.jar"
SECRET="bench:$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

cat > "$OUT/post-boot.asadmin" <<ASADMIN
create-jdbc-connection-pool --datasourceclassname org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource --property serverName=127.0.0.1:portNumber=5432:databaseName=test:user=postgres:password=unused:currentSchema=$SCHEMA tokengate-pool
create-jdbc-resource --connectionpoolid tokengate-pool jdbc/tokengate
ASADMIN
# the listener on loopback before it starts (set after boot, Payara restarts it while the application deploys)
echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
  > "$OUT/pre-boot.asadmin"

SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
  fi
}
trap stop_server EXIT

start_server() { # name cleanup-interval
  "${SERVER_JAVA:-java}" -Xmx1g $SERVER_JAVA_OPTS -Dtokengate.issuer="$BASE" -Dtokengate.keys.directory="$PWD/$OUT/keys" -Dtokengate.datasource=jdbc/tokengate \
    -Dtokengate.refresh-token-secrets="$SECRET" -Dtokengate.schema-generation=none -Dtokengate.cleanup-interval="$2" -Dtokengate.keys.algorithm="$ALGORITHM" \
    -Dhazelcast.phone.home.enabled=false \
    -jar sample-war/target/payara-micro.jar --deploy sample-war/target/tokengate-sample.war --contextroot / \
    --port "$PORT" --nocluster --nohazelcast --disablephonehome --prebootcommandfile "$OUT/pre-boot.asadmin" --postbootcommandfile "$OUT/post-boot.asadmin" \
    --addlibs sample-war/target/postgresql.jar --logtofile "$OUT/$1-payara.log" > "$OUT/$1-payara.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do
    [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$BASE/public" 2>/dev/null)" = 200 ] && return 0
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 1
  done
  echo "Payara Micro did not start or does not serve $BASE/public; see $OUT/$1-payara.out" >&2
  exit 1
}

warm_up() { # tokens-file: a minute of closed-loop refreshes, so the JIT has compiled the server's path
  echo "warming up (60 s)"
  $LOAD "$1" --clients 32 --seconds 60 --warmup 0 > /dev/null
}

: > "$OUT/results.txt"
LOAD="$BENCH io.tokengate.bench.refresh.RefreshLoad $BASE/oauth/token"
for families in $FAMILIES; do
  echo "loading $families families"
  $BENCH io.tokengate.bench.refresh.RefreshData "$JDBC" $SCHEMA "$SECRET" "$families" 0 "$OUT/tokens-$families.txt" 8192 "$BASE"
  start_server "families-$families" PT0S
  warm_up "$OUT/tokens-$families.txt"
  # every run goes on with the tokens the last one left live (RefreshLoad rewrites the file)
  for clients in $CLIENTS; do
    line=$($LOAD "$OUT/tokens-$families.txt" --clients "$clients" --seconds "$SECONDS_PER_RUN" --warmup 3 --label closed-loop)
    echo "$families families: $line" | tee -a "$OUT/results.txt"
  done
  for rate in $RATES; do
    line=$($LOAD "$OUT/tokens-$families.txt" --clients 32 --seconds "$SECONDS_PER_RUN" --warmup 3 --rate "$rate")
    echo "$families families: $line" | tee -a "$OUT/results.txt"
  done
  stop_server
done

if [ "$CLEANUP" = yes ]; then
  echo "loading 10000 active and 1000000 expired families for the cleanup run"
  $BENCH io.tokengate.bench.refresh.RefreshData "$JDBC" $SCHEMA "$SECRET" 10000 1000000 "$OUT/tokens-cleanup.txt" 8192 "$BASE"
  start_server cleanup PT100S # the first cleanup run starts 100 s after the deployment, once the server is warm
  warm_up "$OUT/tokens-cleanup.txt"
  rate="${RATES%% *}"
  $LOAD "$OUT/tokens-cleanup.txt" --clients 32 --seconds $(( SECONDS_PER_RUN * 3 + 90 )) --warmup 3 --rate "$rate" \
    --timeline "$OUT/cleanup-timeline.csv" --server-log "$OUT/cleanup-payara.out" | sed 's/^/cleanup: /' | tee -a "$OUT/results.txt"
  left=$(psql -h 127.0.0.1 -U postgres -d test -tA -c "SELECT count(*) FROM $SCHEMA.tg_family WHERE idle_expires_at < extract(epoch from now()) * 1000" 2>/dev/null || echo "?")
  echo "cleanup: expired families left afterwards: $left" | tee -a "$OUT/results.txt"
  stop_server
fi

echo
echo "refresh grants on PostgreSQL, $ALGORITHM keys, $(nproc) cores, $(java -version 2>&1 | head -1); results in $OUT/results.txt"
cat "$OUT/results.txt"
