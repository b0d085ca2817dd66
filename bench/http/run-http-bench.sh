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
# The variants run in turn, ROUNDS times (default 3); each ratio is taken within a round, between runs seconds
# apart, and the medians are printed, so a slow minute of a shared machine does not land on one variant only.
# Usage: bench/http/run-http-bench.sh [duration-seconds] [connections]
# SERVER_JAVA_OPTS adds JVM flags to the server (e.g. a JFR recording).
set -e
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
ROUNDS="${ROUNDS:-3}"
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
  > "$OUT/pre-boot.asadmin" # loopback only, before the listener starts (set after boot, Payara restarts it mid-deployment)
echo "starting Payara Micro on $BASE"
java -Xmx1g $SERVER_JAVA_OPTS -Dtokengate.issuer="$BASE" -Dtokengate.keys.directory="$PWD/$OUT/data/keys" -Dhazelcast.phone.home.enabled=false \
  -jar sample-war/target/payara-micro.jar --deploy "$OUT/ROOT.war" --deploy "$OUT/filter.war" --deploy "$OUT/mpjwt.war" \
  --port "$PORT" --nocluster --nohazelcast --disablephonehome --prebootcommandfile "$OUT/pre-boot.asadmin" \
  --logtofile "$OUT/payara.log" > "$OUT/payara.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
ready=""
for _ in $(seq 1 120); do
  [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$BASE/public" 2>/dev/null)" = 200 ] && { ready=yes; break; }
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 1
done
[ -n "$ready" ] || { echo "Payara Micro did not start or does not serve $BASE/public; see $OUT/payara.out" >&2; exit 1; }

# the reused token comes from the token endpoint, as a client gets it; it lives 5 minutes, so each round gets its own
new_token() {
  curl -s -u demo-client:demo-secret -d grant_type=password -d username=alice -d password=alice-password "$BASE/oauth/token" \
    | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
TOKEN=$(new_token)
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
run() { # round name path [reused-token | fresh:tokens-file]
  round=$1
  shift
  case "$3" in
    "") wrk -t$WRK_THREADS -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE$2" > "$OUT/$1.txt" ;;
    fresh:*) TOKENS_FILE="${3#fresh:}" wrk -t$WRK_THREADS -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/fresh-tokens.lua \
               "$BASE$2" > "$OUT/$1.txt" ;;
    *) wrk -t$WRK_THREADS -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $3" "$BASE$2" > "$OUT/$1.txt" ;;
  esac
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$1.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "$OUT/$1.txt")
  # wrk prints latencies with units: make p99 milliseconds
  p99=$(echo "$p99" | awk '/us$/ {printf "%.2f", $1 / 1000; next} /ms$/ {printf "%.2f", $1 + 0; next} /s$/ {printf "%.2f", $1 * 1000}')
  echo "$round $1 $rps $p99 ${errors:-0}" >> "$OUT/results.txt"
}

echo "warming up"
for check in "/filter/public $TOKEN" "/public $TOKEN" "/secret $TOKEN" "/filter/secret $TOKEN" "/mpjwt/api/secret $MP_TOKEN"; do
  set -- $check
  wrk -t2 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $2" "$BASE$1" > /dev/null
done
TOKENS_FILE="$OUT/fresh-tokens.txt" wrk -t2 -c"$CONNECTIONS" -d10s -s bench/http/fresh-tokens.lua "$BASE/filter/secret" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS"
  TOKEN=$(new_token)
  # the pairs of the headline ratios run back to back: unprotected and filter, the mechanism's two pages
  run "$round" unprotected /filter/public "$TOKEN"
  run "$round" filter /filter/secret "$TOKEN"
  run "$round" unprotected-bare /filter/public
  run "$round" mech-public /public "$TOKEN"
  run "$round" mechanism /secret "$TOKEN"
  run "$round" mp-jwt /mpjwt/api/secret "$MP_TOKEN"
  run "$round" filter-fresh /filter/secret "fresh:$OUT/fresh-tokens.txt"
  run "$round" mechanism-fresh /secret "fresh:$OUT/fresh-tokens.txt"
  run "$round" mp-jwt-fresh /mpjwt/api/secret "fresh:$OUT/fresh-mp-tokens.txt"
done

echo
echo "$CONNECTIONS connections, $ROUNDS rounds of ${DURATION}s per variant ($(nproc) cores, $(java -version 2>&1 | head -1))"
echo "medians over the rounds; a ratio is taken within each round; x MP JWT compares the same token mode"
awk '
  function median(list,   n, a, i, j, t) { n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { rps[$1, $2] = $3; names[$2] = 1; order[++count] = $2; rounds[$1] = 1
    rpsList[$2] = rpsList[$2] " " $3; p99List[$2] = p99List[$2] " " $4; errs[$2] += $5 }
  END {
    printf "%-16s %12s %10s %10s %10s %8s\n", "variant", "requests/s", "p99 ms", "x unprot.", "x MP JWT", "non-2xx"
    for (k = 1; k <= count; k++) { v = order[k]; if (v in done) continue; done[v] = 1
      base = ""; mp = ""
      for (r in rounds) { base = base " " rps[r, v] / rps[r, "unprotected"]
        m = (v ~ /-fresh$/) ? "mp-jwt-fresh" : "mp-jwt"; mp = mp " " rps[r, v] / rps[r, m] }
      printf "%-16s %12.0f %10.2f %10.2f %10.2f %8d\n", v, median(rpsList[v]), median(p99List[v]), median(base), median(mp), errs[v] } }
' "$OUT/results.txt"
if awk '$5 > 0 { bad = 1 } END { exit !bad }' "$OUT/results.txt"; then
  echo "WARNING: some runs had non-2xx answers (see $OUT/results.txt): their figures do not count" >&2
fi
