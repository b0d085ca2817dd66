#!/bin/sh
# Builds TokenGate and runs the sample on Payara Micro at http://localhost:${PORT:-8080}, in the foreground
# (Ctrl-C stops it). Nothing needs installing beyond Java 17 and Maven.
#
#   PORT=9090 ./run-sample.sh                  another port
#   TOKENGATE_SAMPLE_DB=postgres ./run-sample.sh   PostgreSQL at 127.0.0.1:5432, database test, user postgres
#   TOKENGATE_SAMPLE_DATA=/srv/tokengate ./run-sample.sh   another data folder
#
# Data (kept across restarts, so issued tokens stay valid): $TOKENGATE_SAMPLE_DATA, default ~/.tokengate/sample
#   tokengate-sample.mv.db          the H2 database with the refresh tokens (hashed)
#   keys/tokengate-keys.jwks.json   the generated signing keys (a JWK Set with private keys, owner-only)
#   keys/tokengate-refresh-secret.txt  the refresh-token hashing secret (owner-only)
set -e
cd "$(dirname "$0")"
PORT="${PORT:-8080}"
DATA="${TOKENGATE_SAMPLE_DATA:-$HOME/.tokengate/sample}"
DB="${TOKENGATE_SAMPLE_DB:-h2}"

mvn -B -q -pl sample-war -am package -DskipTests
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

# The datasource the refresh tokens go to, created the way an administrator would, before the application starts.
COMMANDS="$DATA/payara-post-boot.asadmin"
LIBS=""
case "$DB" in
  h2)
    URL="jdbc\\:h2\\:$DATA/tokengate-sample"
    cat > "$COMMANDS" <<ASADMIN
create-jdbc-connection-pool --datasourceclassname org.h2.jdbcx.JdbcDataSource --restype javax.sql.DataSource --property url=$URL tokengate-pool
create-jdbc-resource --connectionpoolid tokengate-pool jdbc/tokengate
ASADMIN
    ;;
  postgres)
    LIBS="--addlibs sample-war/target/postgresql.jar"
    cat > "$COMMANDS" <<ASADMIN
create-jdbc-connection-pool --datasourceclassname org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource --property serverName=127.0.0.1:portNumber=5432:databaseName=test:user=postgres:password=unused tokengate-pool
create-jdbc-resource --connectionpoolid tokengate-pool jdbc/tokengate
ASADMIN
    ;;
  *) echo "TOKENGATE_SAMPLE_DB is h2 or postgres, not $DB" >&2; exit 2 ;;
esac

echo "TokenGate sample: http://localhost:$PORT/  (data in $DATA, refresh tokens in $DB; Ctrl-C stops)"
# shellcheck disable=SC2086
exec java -Dtokengate.issuer="http://localhost:$PORT" -Dtokengate.keys.directory="$DATA/keys" \
  -Dtokengate.datasource=jdbc/tokengate -Dhazelcast.phone.home.enabled=false \
  -jar sample-war/target/payara-micro.jar --deploy sample-war/target/tokengate-sample.war --contextroot / \
  --port "$PORT" --nocluster --nohazelcast --disablephonehome --postbootcommandfile "$COMMANDS" $LIBS
