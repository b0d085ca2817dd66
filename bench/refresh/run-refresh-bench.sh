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
#        SUBJECTS=1 WRK=yes FAMILIES=10000 CLEANUP=no CLIENTS="8 32" RATES=600 bench/refresh/run-refresh-bench.sh 30
# MIX=yes: then GrantMix on the same server — plain refreshes, DPoP-bound refreshes and whole code + PKCE + DPoP
# sign-ins, alternated in MIX_ROUNDS rounds (default 3) at MIX_CLIENTS clients (default 8).
# SERVER_JAVA_OPTS adds JVM flags to the server (e.g. a JFR recording); SERVER_JAVA is its java (default: java on the PATH).
# SUBJECTS: how many users own the families (default 250000; 1: every family one user's). WRK=yes: after each closed-loop
# run of RefreshLoad, the same load with wrk (bench/refresh/rotate.lua: one live token per connection), alternating.
# Every line ends with the CPU per grant of the server, PostgreSQL and the load generator over the measured window.
# VARIANT=filter serves the token endpoint from a WAR with TokenGate's servlet filter only (no Jakarta Security
# mechanism: the container's JASPIC/Soteria round is not on the grant path) instead of the sample; same store, keys,
# clients and pool (settings in its web.xml; the filter schedules no cleanup: use it with CLEANUP=no). POOL: the JDBC
# pool's steady and maximum size (default 32, one connection per client at 32; "default": Payara's, steady 8, max 32).
set -e
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-20}"
CLIENTS="${CLIENTS:-1 8 32 64}"
RATES="${RATES:-250 500}"
FAMILIES="${FAMILIES:-10000 1000000}" # table sizes of the closed- and open-loop runs
CLEANUP="${CLEANUP:-yes}"             # no: skip the cleanup run
ALGORITHM="${ALGORITHM:-RS256}" # the signing algorithm of the generated keys: every grant signs one access token
SUBJECTS="${SUBJECTS:-}" # empty: RefreshData's default, 250000
VARIANT="${VARIANT:-sample}"
POOL="${POOL:-32}"
POOL_FLAGS="--steadypoolsize $POOL --maxpoolsize $POOL"
[ "$POOL" = default ] && POOL_FLAGS="" # Payara's defaults: steady 8, maximum 32
WRK="${WRK:-no}"
MIX="${MIX:-no}" # yes: after each table size's runs, GrantMix (plain and DPoP-bound refreshes, code sign-ins) alternated
PORT="${PORT:-8282}"
BASE="http://localhost:$PORT"
OUT="bench/target/refresh"
SCHEMA=tokengate_bench
JDBC="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
rm -rf "$OUT"
mkdir -p "$OUT"

(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
if [ "$WRK" = yes ] && ! command -v wrk >/dev/null; then
  echo "installing wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
mvn -B -q -Pbench -pl sample-war,bench -am package -DskipTests
BENCH="java -Xmx2g -cp bench/target/benchmarks.jar"
SECRET="bench:$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

cat > "$OUT/post-boot.asadmin" <<ASADMIN
create-jdbc-connection-pool $POOL_FLAGS --datasourceclassname org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource --property serverName=127.0.0.1:portNumber=5432:databaseName=test:user=postgres:password=unused:currentSchema=$SCHEMA tokengate-pool
create-jdbc-resource --connectionpoolid tokengate-pool jdbc/tokengate
ASADMIN
# the listener on loopback before it starts (set after boot, Payara restarts it while the application deploys)
echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
  > "$OUT/pre-boot.asadmin"

WAR=sample-war/target/tokengate-sample.war
if [ "$VARIANT" = filter ]; then
  # the same endpoints, store and clients through the servlet filter alone: no Jakarta Security mechanism
  LIB="sample-war/target/tokengate-sample/WEB-INF/lib"
  rm -rf "$OUT/filter" && mkdir -p "$OUT/filter/WEB-INF/lib"
  for j in "$LIB"/tokengate-core-*.jar "$LIB"/tokengate-servlet-filter-*.jar "$LIB"/jose4j-*.jar "$LIB"/slf4j-api-*.jar; do cp "$j" "$OUT/filter/WEB-INF/lib/"; done
  cp sample-war/src/main/webapp/WEB-INF/tokengate-clients.properties "$OUT/filter/WEB-INF/"
  cat > "$OUT/filter/WEB-INF/web.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <context-param><param-name>tokengate.clients</param-name><param-value>/WEB-INF/tokengate-clients.properties</param-value></context-param>
  <context-param><param-name>tokengate.endpoints</param-name><param-value>true</param-value></context-param>
  <context-param><param-name>tokengate.store</param-name><param-value>jpa</param-value></context-param>
  <context-param><param-name>tokengate.datasource</param-name><param-value>jdbc/tokengate</param-value></context-param>
  <context-param><param-name>tokengate.schema-generation</param-name><param-value>none</param-value></context-param>
  <context-param><param-name>tokengate.issuer</param-name><param-value>$BASE</param-value></context-param>
  <context-param><param-name>tokengate.keys.directory</param-name><param-value>$PWD/$OUT/keys</param-value></context-param>
  <context-param><param-name>tokengate.keys.algorithm</param-name><param-value>$ALGORITHM</param-value></context-param>
  <context-param><param-name>tokengate.refresh-token-secrets</param-name><param-value>$SECRET</param-value></context-param>
</web-app>
XML
  (cd "$OUT/filter" && jar cf ../filter.war .)
  WAR="$OUT/filter.war"
fi

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
    -jar sample-war/target/payara-micro.jar --deploy "$WAR" --contextroot / \
    --port "$PORT" --nocluster --nohazelcast --disablephonehome --prebootcommandfile "$OUT/pre-boot.asadmin" --postbootcommandfile "$OUT/post-boot.asadmin" \
    --addlibs sample-war/target/postgresql.jar --logtofile "$OUT/$1-payara.log" > "$OUT/$1-payara.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do
    [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$BASE/.well-known/oauth-authorization-server" 2>/dev/null)" = 200 ] && return 0
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 1
  done
  echo "Payara Micro did not start or does not serve $BASE/.well-known/oauth-authorization-server; see $OUT/$1-payara.out" >&2
  exit 1
}

# user + system CPU seconds of the given processes so far (USER_HZ 100)
cpu_seconds() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$(( t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}') ))
  done
  echo "$t" | awk '{printf "%.2f", $1 / 100}'
}
db_pids() { pgrep -x postgres | tr '\n' ' '; }

# wrk-tokens: the closed loop of wrk at $1 connections, its own tokens (each connection's first token dies with the run)
WRK_USED=0
wrk_run() { # families clients
  local c=$2 tokens="$OUT/wrk-run-tokens.txt" db before_s before_d
  tail -n +$(( WRK_USED + 1 )) "$OUT/wrk-tokens-$1.txt" | head -n "$c" > "$tokens"
  WRK_USED=$(( WRK_USED + c ))
  [ "$(wc -l < "$tokens")" -ge "$c" ] || { echo "too few tokens left for wrk" >&2; return 1; }
  db=$(db_pids)
  before_s=$(cpu_seconds "$SERVER"); before_d=$(cpu_seconds $db)
  TOKENS_FILE="$tokens" /usr/bin/time -f "%U %S" -o "$OUT/wrk-time.txt" \
    wrk -t"$c" -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s bench/refresh/rotate.lua "$BASE/oauth/token" > "$OUT/wrk.txt"
  local server_s db_s requests rate p99 non2xx
  server_s=$(awk -v a="$before_s" -v b="$(cpu_seconds "$SERVER")" 'BEGIN {print b - a}')
  db_s=$(awk -v a="$before_d" -v b="$(cpu_seconds $db)" 'BEGIN {print b - a}')
  requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
  rate=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /us$/) {sub(/us/, "", v); v = v / 1000} else {sub(/s/, "", v); v = v * 1000}; print v}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/wrk.txt")
  awk -v label=wrk -v c="$c" -v n="$requests" -v r="$rate" -v p="$p99" -v bad="${non2xx:-0}" -v s="$server_s" -v d="$db_s" \
    -v l="$(awk '{print $1 + $2}' "$OUT/wrk-time.txt")" 'BEGIN {
      printf "%-16s clients %3d  requests %7d  %8.1f req/s  p99 %7.2f ms  non-2xx %s  cpu ms per op: server %.3f, database %.3f, load generator %.3f, all %.3f\n",
        label, c, n, r, p, bad, s * 1000 / n, d * 1000 / n, l * 1000 / n, (s + d + l) * 1000 / n }'
}

rows() { # families: rows in the store's two tables
  psql -h 127.0.0.1 -U postgres -d test -tA -c "SELECT (SELECT count(*) FROM $SCHEMA.tg_family) || ' family rows, ' || (SELECT count(*) FROM $SCHEMA.tg_refresh_token) || ' token rows'" 2>/dev/null || echo "? rows"
}

warm_up() { # tokens-file: a minute of closed-loop refreshes, so the JIT has compiled the server's path
  echo "warming up (60 s)"
  $LOAD "$1" --clients 32 --seconds 60 --warmup 0 > /dev/null
}

: > "$OUT/results.txt"
LOAD="$BENCH io.tokengate.bench.refresh.RefreshLoad $BASE/oauth/token"
for families in $FAMILIES; do
  echo "loading $families families"
  $BENCH io.tokengate.bench.refresh.RefreshData "$JDBC" $SCHEMA "$SECRET" "$families" 0 "$OUT/tokens-$families.txt" 8192 "$BASE" $SUBJECTS
  # the last 2048 sampled tokens are wrk's (it does not hand its successors back), the rest RefreshLoad's
  tail -n 2048 "$OUT/tokens-$families.txt" > "$OUT/wrk-tokens-$families.txt"
  head -n -2048 "$OUT/tokens-$families.txt" > "$OUT/tokens.tmp" && mv "$OUT/tokens.tmp" "$OUT/tokens-$families.txt"
  WRK_USED=0
  echo "$families families of ${SUBJECTS:-250000} users: $(rows) before" | tee -a "$OUT/results.txt"
  start_server "families-$families" PT0S
  warm_up "$OUT/tokens-$families.txt"
  # every run goes on with the tokens the last one left live (RefreshLoad rewrites the file)
  for clients in $CLIENTS; do
    line=$($LOAD "$OUT/tokens-$families.txt" --clients "$clients" --seconds "$SECONDS_PER_RUN" --warmup 3 --label closed-loop \
      --cpu "server=$SERVER database=$(db_pids | tr ' ' ',')")
    echo "$families families: $line" | tee -a "$OUT/results.txt"
    if [ "$WRK" = yes ]; then
      echo "$families families: $(wrk_run "$families" "$clients")" | tee -a "$OUT/results.txt"
    fi
  done
  for rate in $RATES; do
    line=$($LOAD "$OUT/tokens-$families.txt" --clients 32 --seconds "$SECONDS_PER_RUN" --warmup 3 --rate "$rate" \
      --cpu "server=$SERVER database=$(db_pids | tr ' ' ',')")
    echo "$families families: $line" | tee -a "$OUT/results.txt"
  done
  if [ "$MIX" = yes ]; then
    $BENCH io.tokengate.bench.refresh.GrantMix "$BASE" --clients "${MIX_CLIENTS:-8}" --seconds "$SECONDS_PER_RUN" --rounds "${MIX_ROUNDS:-3}" \
      --cpu "server=$SERVER database=$(db_pids | tr ' ' ',')" | sed "s/^/$families families: /" | tee -a "$OUT/results.txt"
  fi
  echo "$families families: $(rows) after every run" | tee -a "$OUT/results.txt"
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
echo "refresh grants on PostgreSQL, $VARIANT, $ALGORITHM keys, pool $POOL, $(nproc) cores, server on $("${SERVER_JAVA:-java}" -version 2>&1 | head -1); results in $OUT/results.txt"
cat "$OUT/results.txt"
