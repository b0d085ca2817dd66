#!/bin/sh
# Starts the built sample (target/tokengate-sample.war) on the Payara Micro beside it, in the foreground, listening
# on 127.0.0.1 only, and beside it the resource server (../sample-resource-server) on a second Payara Micro at
# port PORT+1 (RESOURCE_PORT=9091 for another, RESOURCE_PORT=none for none); Ctrl-C stops both. run-sample.sh
# builds first and then runs this; see it for the options.
#
# Data, kept across restarts so issued tokens stay valid: $TOKENGATE_SAMPLE_DATA (default ~/.tokengate/sample)
#   tokengate-sample.mv.db             the H2 database with the refresh tokens (keyed hashes only)
#   keys/tokengate-keys.jwks.json      the generated signing keys (a JWK Set with private keys, owner-only)
#   keys/tokengate-refresh-secret.txt  the refresh-token hashing secret (owner-only)
#   payara-pre-boot.asadmin            the commands that put the HTTP listener on loopback, off until the application
#                                      is deployed, and bound the wait for a request body (read timeout)
#   payara-post-boot.asadmin           the commands that create the datasource
#   payara-post-deploy.asadmin         the command that turns the HTTP listener on
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
PORT="${PORT:-8080}"
# the resource server beside the sample (a second Payara Micro); RESOURCE_PORT=none starts the sample alone
RESOURCE_PORT="${RESOURCE_PORT:-$((PORT + 1))}"
DATA="${TOKENGATE_SAMPLE_DATA:-$HOME/.tokengate/sample}"
DB="${TOKENGATE_SAMPLE_DB:-h2}"
JAVA="${JAVA:-java}"

case "$DATA" in
  *" "* | *:*) echo "TOKENGATE_SAMPLE_DATA must not contain spaces or colons (it becomes part of a JDBC URL): $DATA" >&2; exit 2 ;;
esac
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

# What an administrator would do before the application starts:
# - the HTTP listener on loopback only (the sample has well-known passwords), set before the listener starts (set
#   after boot, Payara restarts the listener while the application deploys and can be left without one);
# - the listener off until the application is deployed: while it deploys, Payara answers every path with its own
#   HTML 404, 503 and empty 500 pages; a client that cannot connect yet knows to wait;
# - a worker thread waits at most 10 s for a request body (Payara's default is 30 s): a client that sends less
#   than its Content-Length, or a chunked body without its last chunk, gets TokenGate's 400 invalid_request then;
# - a GET or DELETE with a body reaches the application (which answers it in JSON) instead of an empty 400 from
#   Payara's HTTP layer;
# - the datasource of the refresh tokens.
LISTENER=configs.config.server-config.network-config.network-listeners.network-listener.http-listener
PRE_BOOT="$DATA/payara-pre-boot.asadmin"
cat > "$PRE_BOOT" <<ASADMIN
set $LISTENER.address=127.0.0.1
set $LISTENER.enabled=false
set configs.config.server-config.network-config.transports.transport.tcp.read-timeout-millis=10000
set configs.config.server-config.network-config.protocols.protocol.http-listener.http.allow-payload-for-undefined-http-methods=true
ASADMIN
POST_DEPLOY="$DATA/payara-post-deploy.asadmin"
echo "set $LISTENER.enabled=true" > "$POST_DEPLOY"
COMMANDS="$DATA/payara-post-boot.asadmin"
LIBS=""
case "$DB" in
  h2)
    cat > "$COMMANDS" <<ASADMIN
create-jdbc-connection-pool --steadypoolsize 32 --maxpoolsize 32 --datasourceclassname org.h2.jdbcx.JdbcDataSource --restype javax.sql.DataSource --property url=jdbc\\:h2\\:$DATA/tokengate-sample tokengate-pool
create-jdbc-resource --connectionpoolid tokengate-pool jdbc/tokengate
ASADMIN
    ;;
  postgres)
    LIBS="--addlibs $HERE/target/postgresql.jar"
    cat > "$COMMANDS" <<ASADMIN
create-jdbc-connection-pool --steadypoolsize 32 --maxpoolsize 32 --datasourceclassname org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource --property serverName=127.0.0.1:portNumber=5432:databaseName=test:user=postgres:password=unused tokengate-pool
create-jdbc-resource --connectionpoolid tokengate-pool jdbc/tokengate
ASADMIN
    ;;
  *) echo "TOKENGATE_SAMPLE_DB is h2 or postgres, not $DB" >&2; exit 2 ;;
esac

PIDS=""
stop_all() {
  # shellcheck disable=SC2086
  [ -n "$PIDS" ] && kill $PIDS 2>/dev/null
  wait
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

if [ "$RESOURCE_PORT" != none ]; then
  # the resource server: its own Payara Micro, on loopback, trusting the sample as its issuer (no keys, no database)
  RS_PRE_BOOT="$DATA/payara-pre-boot-resource-server.asadmin"
  grep -v allow-payload "$PRE_BOOT" > "$RS_PRE_BOOT"
  echo "Resource server: http://localhost:$RESOURCE_PORT/secret (trusts http://localhost:$PORT)"
  TOKENGATE_SAMPLE_ISSUER="http://localhost:$PORT" "$JAVA" -Dhazelcast.phone.home.enabled=false \
    -jar "$HERE/target/payara-micro.jar" --deploy "$HERE/../sample-resource-server/target/tokengate-sample-resource-server.war" \
    --contextroot / --port "$RESOURCE_PORT" --nocluster --nohazelcast --disablephonehome --prebootcommandfile "$RS_PRE_BOOT" \
    --postdeploycommandfile "$POST_DEPLOY" &
  PIDS="$!"
fi

echo "TokenGate sample: http://localhost:$PORT/  (data in $DATA, refresh tokens in $DB; Ctrl-C stops)"
# shellcheck disable=SC2086
"$JAVA" -Dtokengate.issuer="http://localhost:$PORT" -Dtokengate.keys.directory="$DATA/keys" \
  -Dtokengate.datasource=jdbc/tokengate -Dhazelcast.phone.home.enabled=false \
  -jar "$HERE/target/payara-micro.jar" --deploy "$HERE/target/tokengate-sample.war" --contextroot / \
  --port "$PORT" --nocluster --nohazelcast --disablephonehome --prebootcommandfile "$PRE_BOOT" --postbootcommandfile "$COMMANDS" --postdeploycommandfile "$POST_DEPLOY" $LIBS &
SAMPLE_PID=$!
PIDS="$PIDS $SAMPLE_PID"
STATUS=0
wait "$SAMPLE_PID" || STATUS=$?
stop_all
exit "$STATUS"
