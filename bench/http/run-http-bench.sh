#!/bin/sh
# Requests per second and p99 latency of one protected resource on one Payara Micro (same JVM for all):
#   (i)   /filter/public     unprotected: no filter, no authentication mechanism in its application
#   (ii)  /filter/secret     behind TokenGate's servlet filter (web.xml only)
#   (iii) /secret            behind TokenGate's CDI authentication mechanism (the sample)
#   (iv)  /mpjwt/api/secret  behind Payara's MicroProfile JWT, reading TokenGate's JWKS
# each with one token reused by every request and with a new token on every request (20 000 tokens in turn, more
# than the verified-token cache holds). The unprotected page gets the same Authorization header, so the ratios show
# what the check costs, not what sending 700 more bytes costs (its bare figure is printed too). Traffic stays on
# 127.0.0.1. Needs wrk (installed from Debian's packages when missing).
# Usage: bench/http/run-http-bench.sh [duration-seconds] [connections]
# SERVER_JAVA_OPTS adds JVM flags to the server (e.g. a JFR recording).
set -e
cd "$(dirname "$0")/../.."
DURATION="${1:-20}"
CONNECTIONS="${2:-32}"
PORT="${PORT:-8181}"
BASE="http://localhost:$PORT"
OUT="bench/target/http"
rm -rf "$OUT"
mkdir -p "$OUT/data" "$OUT/classes"

if ! command -v wrk >/dev/null; then
  echo "installing wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi

mvn -B -q -pl sample-war -am package -DskipTests
mvn -B -q dependency:copy -Dartifact=jakarta.platform:jakarta.jakartaee-api:10.0.0 -DoutputDirectory="$OUT/lib" >/dev/null
mvn -B -q dependency:copy -Dartifact=org.eclipse.microprofile.jwt:microprofile-jwt-auth-api:2.1 -DoutputDirectory="$OUT/lib" >/dev/null
LIB="sample-war/target/tokengate-sample/WEB-INF/lib"

# (ii) the filter WAR: TokenGate's servlet-filter jars, the same issuer and keys as the sample
mkdir -p "$OUT/filter/WEB-INF/lib" "$OUT/filter/WEB-INF/classes"
javac -d "$OUT/filter/WEB-INF/classes" -cp "$OUT/lib/jakarta.jakartaee-api-10.0.0.jar" bench/http/filter/SecretServlet.java \
  bench/http/filter/PublicServlet.java
for j in "$LIB"/tokengate-core-*.jar "$LIB"/tokengate-servlet-filter-*.jar "$LIB"/jose4j-*.jar "$LIB"/slf4j-api-*.jar; do cp "$j" "$OUT/filter/WEB-INF/lib/"; done
cat > "$OUT/filter/WEB-INF/web.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <context-param><param-name>tokengate.issuer</param-name><param-value>$BASE</param-value></context-param>
  <context-param><param-name>tokengate.keys.directory</param-name><param-value>$PWD/$OUT/data/keys</param-value></context-param>
  <context-param><param-name>tokengate.store</param-name><param-value>memory</param-value></context-param>
  <filter><filter-name>tokengate</filter-name><filter-class>io.tokengate.servlet.BearerTokenFilter</filter-class></filter>
  <filter-mapping><filter-name>tokengate</filter-name><url-pattern>/secret</url-pattern></filter-mapping>
</web-app>
XML
(cd "$OUT/filter" && jar cf ../filter.war .)

# (iv) the MicroProfile JWT WAR
mkdir -p "$OUT/mpjwt/WEB-INF/classes/META-INF"
javac -d "$OUT/mpjwt/WEB-INF/classes" -cp "$OUT/lib/jakarta.jakartaee-api-10.0.0.jar:$OUT/lib/microprofile-jwt-auth-api-2.1.jar" \
  bench/http/mpjwt/MpJwtApplication.java bench/http/mpjwt/SecretResource.java
cat > "$OUT/mpjwt/WEB-INF/classes/META-INF/microprofile-config.properties" <<PROPS
mp.jwt.verify.publickey.location=$BASE/oauth/jwks
mp.jwt.verify.issuer=$BASE
PROPS
# Payara finds @LoginConfig through CDI: the archive must be a bean archive that sees the Application class
cat > "$OUT/mpjwt/WEB-INF/beans.xml" <<BEANS
<beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="all"/>
BEANS
(cd "$OUT/mpjwt" && jar cf ../mpjwt.war .)
cp sample-war/target/tokengate-sample.war "$OUT/ROOT.war"

echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
  > "$OUT/post-boot.asadmin" # listen on loopback only
echo "starting Payara Micro on $BASE"
java -Xmx1g $SERVER_JAVA_OPTS -Dtokengate.issuer="$BASE" -Dtokengate.keys.directory="$PWD/$OUT/data/keys" -Dhazelcast.phone.home.enabled=false \
  -jar sample-war/target/payara-micro.jar --deploy "$OUT/ROOT.war" --deploy "$OUT/filter.war" --deploy "$OUT/mpjwt.war" \
  --port "$PORT" --nocluster --nohazelcast --disablephonehome --postbootcommandfile "$OUT/post-boot.asadmin" \
  --logtofile "$OUT/payara.log" > "$OUT/payara.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/public" 2>/dev/null)" = 200 ] && break
  sleep 1
done

TOKEN=$(curl -s -u demo-client:demo-secret -d grant_type=password -d username=alice -d password=alice-password "$BASE/oauth/token" \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
# Payara's MicroProfile JWT refuses typ "at+jwt" (RFC 9068): it gets the same claims and key with typ "JWT"
CP="$(echo "$LIB"/tokengate-core-*.jar):$(echo "$LIB"/jose4j-*.jar):$(echo "$LIB"/slf4j-api-*.jar)"
KEYS="$OUT/data/keys/tokengate-keys.jwks.json"
java -cp "$CP" bench/http/MintTokens.java "$KEYS" "$BASE" 1 JWT "$OUT/mp-token.txt" 2>/dev/null
MP_TOKEN=$(cat "$OUT/mp-token.txt")
echo "minting 20000 tokens of each type for the fresh-token runs"
java -cp "$CP" bench/http/MintTokens.java "$KEYS" "$BASE" 20000 at+jwt "$OUT/fresh-tokens.txt" 2>/dev/null
java -cp "$CP" bench/http/MintTokens.java "$KEYS" "$BASE" 20000 JWT "$OUT/fresh-mp-tokens.txt" 2>/dev/null
for check in "/secret $TOKEN" "/filter/secret $TOKEN" "/mpjwt/api/secret $MP_TOKEN" "/secret $(head -1 "$OUT/fresh-tokens.txt")" \
    "/mpjwt/api/secret $(head -1 "$OUT/fresh-mp-tokens.txt")"; do
  set -- $check
  answer=$(curl -s -H "Authorization: Bearer $2" "$BASE$1")
  [ "$answer" = "Secret area" ] || { echo "$1 does not accept its token: $answer" >&2; exit 1; }
done

export WRK_THREADS=2
run() { # name path [reused-token | fresh:tokens-file]
  case "$3" in
    "") wrk -t$WRK_THREADS -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE$2" > "$OUT/$1.txt" ;;
    fresh:*) TOKENS_FILE="${3#fresh:}" wrk -t$WRK_THREADS -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/fresh-tokens.lua \
               "$BASE$2" > "$OUT/$1.txt" ;;
    *) wrk -t$WRK_THREADS -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $3" "$BASE$2" > "$OUT/$1.txt" ;;
  esac
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$1.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "$OUT/$1.txt")
  echo "$1 $rps $p99 ${errors:-0}" >> "$OUT/results.txt"
}

echo "warming up"
for check in "/filter/public $TOKEN" "/public $TOKEN" "/secret $TOKEN" "/filter/secret $TOKEN" "/mpjwt/api/secret $MP_TOKEN"; do
  set -- $check
  wrk -t2 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $2" "$BASE$1" > /dev/null
done
TOKENS_FILE="$OUT/fresh-tokens.txt" wrk -t2 -c"$CONNECTIONS" -d10s -s bench/http/fresh-tokens.lua "$BASE/filter/secret" > /dev/null
run unprotected-bare /filter/public
run unprotected /filter/public "$TOKEN"
run mech-public /public "$TOKEN"
run filter /filter/secret "$TOKEN"
run mechanism /secret "$TOKEN"
run mp-jwt /mpjwt/api/secret "$MP_TOKEN"
run filter-fresh /filter/secret "fresh:$OUT/fresh-tokens.txt"
run mechanism-fresh /secret "fresh:$OUT/fresh-tokens.txt"
run mp-jwt-fresh /mpjwt/api/secret "fresh:$OUT/fresh-mp-tokens.txt"

base_rps=$(awk '$1 == "unprotected" {print $2}' "$OUT/results.txt")
mp_rps=$(awk '$1 == "mp-jwt" {print $2}' "$OUT/results.txt")
mp_fresh_rps=$(awk '$1 == "mp-jwt-fresh" {print $2}' "$OUT/results.txt")
echo
echo "$CONNECTIONS connections, ${DURATION}s each ($(nproc) cores, $(java -version 2>&1 | head -1)); x MP JWT compares the same token mode"
awk -v base="$base_rps" -v mp="$mp_rps" -v mpf="$mp_fresh_rps" \
  'BEGIN { printf "%-16s %12s %10s %10s %10s %8s\n", "variant", "requests/s", "p99", "x unprot.", "x MP JWT", "non-2xx" }
  { m = ($1 ~ /-fresh$/) ? mpf : mp; printf "%-16s %12s %10s %10.2f %10.2f %8s\n", $1, $2, $3, $2 / base, $2 / m, $4 }' "$OUT/results.txt"
