package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.basic;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.tokengate.core.client.ClientSecrets;
import io.tokengate.ee.EeHost;
import io.tokengate.ee.it.mech.EventLog;
import io.tokengate.ee.it.mech.EventsServlet;
import io.tokengate.ee.it.mech.RoleBean;
import io.tokengate.ee.it.mech.WhoServlet;
import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * Two Payara Micro processes with one WAR, sharing PostgreSQL and clustered through Hazelcast on loopback. The
 * WAR activates TokenGate by MicroProfile Config alone (no annotation, no web.xml context-param for it). A third
 * process is a resource server of that issuer (its own WAR, TokenGate's mechanism with
 * {@code tokengate.keys.source=issuer}, no database, no keys): it reads B's JWKS and revocation feed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    static final String CONTEXT = "/cluster";
    static DatabaseProxy proxy;
    static PayaraProcess a;
    static PayaraProcess b;
    static PayaraProcess orders;

    @BeforeAll
    static void startTwoServers() throws Exception {
        proxy = DatabaseProxy.postgres();
        Path work = Wars.freshWork("cluster");
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token",
                "client.orders-api.secret-sha256=" + ClientSecrets.digest("orders-secret"),
                "client.orders-api.grants=client_credentials",
                "client.orders-api.revocation-feed=true", ""));
        String config = String.join("\n",
                "tokengate.mechanism=true",
                "tokengate.issuer=http://localhost:8080/cluster",
                // one key set for both servers, in the database, its private keys under this key-encryption key
                "tokengate.keys.source=database",
                "tokengate.keys.encryption-key=kek-it:" + randomKey(),
                "tokengate.refresh-token-secrets=rt-it:" + randomKey(),
                "tokengate.clients=" + clients,
                "tokengate.endpoints=true",
                "tokengate.datasource=java:app/jdbc/tokengate",
                "tokengate.revocation-registry=jcache", "");
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", "http://context-param.example/cluster") // MP Config wins
                + "  <data-source>\n"
                + "    <name>java:app/jdbc/tokengate</name>\n"
                + "    <class-name>org.postgresql.ds.PGSimpleDataSource</class-name>\n"
                + "    <url>" + proxy.freshSchema("tg_it_cluster") + "</url>\n"
                + "    <user>postgres</user>\n"
                + "    <password>trust-auth-ignores-it</password>\n"
                + "  </data-source>\n");
        WebArchive war = Wars.war("cluster", webXml).addAsLibraries(Wars.jarOf(EeHost.class, "tokengate-ee-extension.jar"),
                        Wars.jarOf(org.postgresql.Driver.class, "postgresql.jar"))
                .addClasses(WhoServlet.class, RoleBean.class, EventLog.class, EventsServlet.class, TestIdentityStore.class)
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        Path file = work.resolve("cluster.war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);

        String cluster = "tokengate-it-" + ProcessHandle.current().pid();
        a = new PayaraProcess("server-a", file, PayaraProcess.freePort(), cluster, work).start(CONTEXT + "/who");
        b = new PayaraProcess("server-b", file, PayaraProcess.freePort(), cluster, work).start(CONTEXT + "/who"); // keys exist now
        long deadline = System.currentTimeMillis() + 60_000;
        while (!b.log().contains("DG Size: 2")) { // Payara's data-grid status line once B has joined A
            assertTrue(System.currentTimeMillis() < deadline, "the two servers should form one Hazelcast cluster; see server-a.log");
            Thread.sleep(250);
        }
        orders = new PayaraProcess("orders", resourceServerWar(work, b.port()), PayaraProcess.freePort(), work, "--nocluster")
                .start("/orders/who");
    }

    /**
     * The resource server: another application, trusting the cluster's issuer through the JWKS and feed URLs of B
     * (given explicitly: the issuer's URL names no server of this test), its feed read as {@code orders-api}.
     */
    static Path resourceServerWar(Path work, int issuerPort) throws Exception {
        String at = "http://127.0.0.1:" + issuerPort + CONTEXT;
        String config = String.join("\n",
                "tokengate.mechanism=true",
                "tokengate.issuer=http://localhost:8080/cluster",
                "tokengate.keys.source=issuer",
                "tokengate.jwks-uri=" + at + "/oauth/jwks",
                "tokengate.revocation-feed-uri=" + at + "/oauth/revocation-feed",
                "tokengate.revocation-feed-client=orders-api",
                "tokengate.revocation-feed-secret=orders-secret",
                "tokengate.revocation-max-staleness=PT3S",
                // a key the admin API rotates to without publishing it first (no next key staged) is fetched for its
                // first token at most this often: the default 30 s would refuse such tokens for up to 30 s
                "tokengate.jwks-min-refresh=PT2S", "");
        WebArchive war = Wars.war("orders", Wars.webXml()).addAsLibraries(Wars.jarOf(EeHost.class, "tokengate-ee-extension.jar"))
                .addClasses(WhoServlet.class, RoleBean.class)
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        Path file = work.resolve("orders.war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {orders, a, b, proxy}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Http on(PayaraProcess server) {
        return new Http(server.port(), CONTEXT);
    }

    @Test
    @Order(1)
    void configurationFromMicroProfileConfigAloneMakesTokenGateTheMechanismWithAClusterWideRegistry() throws Exception {
        for (PayaraProcess server : List.of(a, b)) {
            String log = server.log();
            assertTrue(log.contains("TG-0400 TokenGate is the authentication mechanism of /cluster"), "activated by tokengate.mechanism");
            assertTrue(log.contains("TG-0401 revocations of /cluster are shared by the cluster through JCache"), "JCache registry");
            assertTrue(log.contains("; used DPoP proofs too, through JCache cache tokengate-dpop-"), "and the DPoP proof cache");
            assertFalse(log.contains("TG-0305"), "PostgreSQL is a lasting database: no temporary-datasource warning");
        }
    }

    @Test
    @Order(2)
    void aTokenIssuedByOneServerRefreshesOnTheOther() throws Exception {
        Map<String, Object> tokens = on(a).password("demo-client", "demo-secret", "alice", "alice-password");
        assertEquals("http://localhost:8080/cluster", Http.claims((String) tokens.get("access_token")).get("iss"),
                "MicroProfile Config is read before the web.xml context-param");
        HttpResponse<String> refreshed = on(b).refresh("demo-client", "demo-secret", (String) tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        String access = (String) json(refreshed).get("access_token");
        assertEquals(200, on(a).get("/who", "Authorization", bearer(access)).statusCode(), "B's token validates on A");
        assertEquals(200, on(b).get("/who", "Authorization", bearer((String) tokens.get("access_token"))).statusCode());
    }

    @Test
    @Order(3)
    void parallelRefreshesSplitAcrossBothServersGiveOneSuccessor() throws Exception {
        String refresh = (String) on(a).password("demo-client", "demo-secret", "alice", "alice-password").get("refresh_token");
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PayaraProcess server = i % 2 == 0 ? a : b;
            Callable<HttpResponse<String>> call = () -> {
                start.await();
                return on(server).refresh("demo-client", "demo-secret", refresh);
            };
            results.add(pool.submit(call));
        }
        start.countDown();
        Set<String> successors = new HashSet<>();
        for (Future<HttpResponse<String>> f : results) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            successors.add((String) json(r).get("refresh_token"));
        }
        pool.shutdown();
        assertEquals(1, successors.size(), "exactly one successor across both servers: " + successors);
        assertNotEquals(refresh, successors.iterator().next());
    }

    @Test
    @Order(4)
    void aRevocationOnOneServerIsEnforcedByTheOtherWithinTwoSeconds() throws Exception {
        Map<String, Object> tokens = on(a).password("demo-client", "demo-secret", "alice", "alice-password");
        String access = (String) tokens.get("access_token");
        assertEquals(200, on(b).get("/who", "Authorization", bearer(access)).statusCode());
        long revokedAt = System.nanoTime();
        HttpResponse<String> revoke = on(a).post("/oauth/revoke", "token=" + tokens.get("refresh_token"), "Authorization",
                basic("demo-client", "demo-secret"));
        assertEquals(200, revoke.statusCode(), revoke.body());
        long millis;
        while (true) {
            int status = on(b).get("/who", "Authorization", bearer(access)).statusCode();
            millis = (System.nanoTime() - revokedAt) / 1_000_000;
            if (status == 401) {
                break;
            }
            assertTrue(millis < 5_000, "server B still accepts the access token of a family revoked on A after " + millis + " ms");
            Thread.sleep(20);
        }
        System.out.println("ClusterIT: revocation on A enforced by B after " + millis + " ms");
        assertTrue(millis <= 2_000, "enforced within 2 s, took " + millis + " ms");

        Map<String, Object> other = on(b).password("demo-client", "demo-secret", "alice", "alice-password");
        String admin = (String) on(b).password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        assertEquals(200, on(b).post("/tokengate/admin/revoke-subject", "subject=alice", "Authorization", bearer(admin)).statusCode());
        long deadline = System.currentTimeMillis() + 2_000;
        while (on(a).get("/who", "Authorization", bearer((String) other.get("access_token"))).statusCode() != 401) {
            assertTrue(System.currentTimeMillis() < deadline, "sign-out-everywhere on B is enforced by A within 2 s");
            Thread.sleep(20);
        }
    }

    /**
     * A request to one server through the cluster's public name (the issuer's host, as a load balancer forwards it), so
     * a DPoP proof's {@code htu} is the same URL on either server; answers the status line's code and the body.
     */
    private static String[] throughBalancer(PayaraProcess server, String method, String path, String body, String... headers)
            throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + CONTEXT + path + " HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new String[] {response.substring(9, 12), response.substring(response.indexOf("\r\n\r\n") + 4)};
        }
    }

    @Test
    @Order(5)
    void aDpopProofUsedOnOneServerIsRefusedOnTheOther() throws Exception {
        io.tokengate.core.support.DPoPKey key = new io.tokengate.core.support.DPoPKey();
        String token = "http://localhost:8080" + CONTEXT + "/oauth/token";
        String proof = key.proof("POST", token, null, java.time.Instant.now());
        String form = "grant_type=password&username=alice&password=alice-password";
        String[] issued = throughBalancer(a, "POST", "/oauth/token", form, "Authorization", basic("demo-client", "demo-secret"), "DPoP", proof);
        assertEquals("200", issued[0], issued[1]);
        assertTrue(issued[1].contains("\"token_type\":\"DPoP\""), issued[1]);
        String[] replayed = throughBalancer(b, "POST", "/oauth/token", form, "Authorization", basic("demo-client", "demo-secret"), "DPoP", proof);
        assertEquals("400", replayed[0], "the token endpoint proof replayed to server B: " + replayed[1]);
        assertTrue(replayed[1].contains("The DPoP proof was already used"), replayed[1]);
        assertEquals("200", throughBalancer(b, "POST", "/oauth/token", form, "Authorization", basic("demo-client", "demo-secret"), "DPoP",
                key.proof("POST", token, null, java.time.Instant.now()))[0], "a fresh proof is fine on server B");

        String access = (String) org.jose4j.json.JsonUtil.parseJson(issued[1]).get("access_token");
        String who = key.proof("GET", "http://localhost:8080" + CONTEXT + "/who", access, java.time.Instant.now());
        assertEquals("200", throughBalancer(b, "GET", "/who", null, "Authorization", "DPoP " + access, "DPoP", who)[0]);
        String[] replayedAtA = throughBalancer(a, "GET", "/who", null, "Authorization", "DPoP " + access, "DPoP", who);
        assertEquals("401", replayedAtA[0], "a resource proof replayed to server A: " + replayedAtA[1]);
        assertTrue(replayedAtA[1].contains("The DPoP proof was already used"), replayedAtA[1]);
    }

    @Test
    @Order(5)
    void anAccessTokenRevokedByItsJtiOnOneServerIsRefusedByTheOther() throws Exception {
        String access = (String) on(b).password("demo-client", "demo-secret", "alice", "alice-password").get("access_token");
        assertEquals(200, on(a).get("/who", "Authorization", bearer(access)).statusCode());
        long revokedAt = System.nanoTime();
        assertEquals(200, on(b).post("/oauth/revoke", "token=" + access + "&token_type_hint=access_token", "Authorization",
                basic("demo-client", "demo-secret")).statusCode());
        while (on(a).get("/who", "Authorization", bearer(access)).statusCode() != 401) {
            assertTrue((System.nanoTime() - revokedAt) / 1_000_000 < 2_000, "the jti denylist reaches server A within 2 s");
            Thread.sleep(20);
        }
    }

    @Test
    @Order(6)
    void aRestartedServerKeepsItsKeysAndTheRefreshTokens() throws Exception {
        Map<String, Object> tokens = on(a).password("demo-client", "demo-secret", "alice", "alice-password");
        a.stop();
        a.start(CONTEXT + "/who");
        assertEquals(200, on(a).get("/who", "Authorization", bearer((String) tokens.get("access_token"))).statusCode(),
                "the signing key survived the restart");
        HttpResponse<String> refreshed = on(a).refresh("demo-client", "demo-secret", (String) tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), "the refresh token survived the restart: " + refreshed.body());
        assertRfcError(on(a).post("/oauth/token", "grant_type=refresh_token&refresh_token=nonsense", "Authorization",
                basic("demo-client", "demo-secret")), 400, "invalid_grant");
    }

    private static String randomKey() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Polls {@code server} until {@code check} holds, at most {@code withinMillis}; the milliseconds it took. */
    private static long until(java.util.concurrent.Callable<Boolean> check, long withinMillis, String what) throws Exception {
        long from = System.nanoTime();
        while (!check.call()) {
            long millis = (System.nanoTime() - from) / 1_000_000;
            assertTrue(millis < withinMillis, what + ": not after " + millis + " ms");
            Thread.sleep(50);
        }
        return (System.nanoTime() - from) / 1_000_000;
    }

    private static String kidOf(String token) throws Exception {
        return (String) Http.header(token).get("kid");
    }

    @Test
    @Order(7)
    void aKeyRotatedOnOneServerSignsOnBothAndOneRetiredOnOneIsRefusedByTheOtherAndTheResourceServerWithinThreeSeconds() throws Exception {
        String old = (String) on(b).password("demo-client", "demo-secret", "alice", "alice-password").get("access_token");
        assertEquals(kidOf(old), kidOf((String) on(a).password("demo-client", "demo-secret", "alice", "alice-password").get("access_token")),
                "both servers sign with the one key of the database");
        assertEquals(on(a).get("/oauth/jwks").body(), on(b).get("/oauth/jwks").body(), "and publish one JWKS");
        assertEquals(200, orders().get("/who", "Authorization", bearer(old)).statusCode());

        String admin = (String) on(a).password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        HttpResponse<String> rotated = on(a).post("/tokengate/admin/keys/rotate", "", "Authorization", bearer(admin));
        assertEquals(200, rotated.statusCode(), rotated.body());
        String fresh = (String) on(a).password("demo-client", "demo-secret", "alice", "alice-password").get("access_token");
        assertEquals(200, on(b).get("/who", "Authorization", bearer(fresh)).statusCode(), "the new key's token on the other server at once");
        long took = until(() -> kidOf((String) on(b).password("demo-client", "demo-secret", "alice", "alice-password").get("access_token"))
                .equals(kidOf(fresh)), 3_000, "B signs with the key rotated on A");
        System.out.println("ClusterIT: a rotation on A had B sign with the new key after " + took + " ms");
        assertEquals(on(a).get("/oauth/jwks").body(), on(b).get("/oauth/jwks").body(), "one JWKS again");
        assertEquals(200, on(b).get("/who", "Authorization", bearer(old)).statusCode(), "the previous key still verifies");

        String admin2 = (String) on(a).password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        HttpResponse<String> retired = on(a).post("/tokengate/admin/keys/retire", "kid=" + kidOf(old), "Authorization", bearer(admin2));
        assertEquals(200, retired.statusCode(), retired.body());
        assertEquals(401, on(a).get("/who", "Authorization", bearer(old)).statusCode());
        took = until(() -> on(b).get("/who", "Authorization", bearer(old)).statusCode() == 401, 3_000, "B refuses the key retired on A");
        System.out.println("ClusterIT: a key retired on A was refused by B after " + took + " ms");
        took = untilStatus(old, 401, 3_000, "the resource server (reading B's feed) refuses the key retired on A");
        System.out.println("ClusterIT: a key retired on A was refused by the resource server after " + took + " ms");
        took = untilStatus(fresh, 200, 3_000, "the resource server accepts the new key's tokens");
        System.out.println("ClusterIT: the resource server accepted the key rotated to on A after " + took + " ms");
        assertTrue(a.log().contains("TG-0209") && b.log().contains("TG-0209"), "both log the key set's versions");
    }

    // ------------------------------------------------------------ a resource server of the cluster's issuer

    /** Polls the resource server until {@code token} gets {@code status}; the milliseconds it took. */
    private static long untilStatus(String token, int status, long withinMillis, String what) throws Exception {
        long from = System.nanoTime();
        while (true) {
            int now = orders().get("/who", "Authorization", bearer(token)).statusCode();
            long millis = (System.nanoTime() - from) / 1_000_000;
            if (now == status) {
                return millis;
            }
            assertTrue(millis < withinMillis, what + ": still " + now + " after " + millis + " ms");
            Thread.sleep(50);
        }
    }

    private static Http orders() {
        return new Http(orders.port(), "/orders");
    }

    @Test
    @Order(8)
    void theResourceServerAcceptsTheIssuersTokensAndRefusesWhatEitherIssuerServerRevokedWithinThreeSeconds() throws Exception {
        assertTrue(orders.log().contains("TG-0207 resource server started: trusting issuer http://localhost:8080/cluster"), "started as one");
        Map<String, Object> tokens = on(a).password("demo-client", "demo-secret", "alice", "alice-password");
        String access = (String) tokens.get("access_token");
        HttpResponse<String> who = orders().get("/who", "Authorization", bearer(access));
        assertEquals(200, who.statusCode(), who.body());
        assertEquals("alice", json(who).get("caller"));
        assertEquals(false, json(who).get("ejbMayAdminister"), "@RolesAllowed on an EJB of the resource server: " + who.body());
        HttpResponse<String> anonymous = orders().get("/who");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        // revoked on A by its jti; the feed is read from B: the cut crosses the cluster, then the feed
        assertEquals(200, on(a).post("/oauth/revoke", "token=" + access + "&token_type_hint=access_token", "Authorization",
                basic("demo-client", "demo-secret")).statusCode());
        long millis = untilStatus(access, 401, 3_000, "an access token revoked at the issuer");
        System.out.println("ClusterIT: access-token revocation on A refused by the resource server after " + millis + " ms");

        // sign-out-everywhere on B
        String other = (String) on(b).password("demo-client", "demo-secret", "alice", "alice-password").get("access_token");
        String admin = (String) on(b).password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        assertEquals(200, orders().get("/who", "Authorization", bearer(other)).statusCode());
        assertEquals(200, on(b).post("/tokengate/admin/revoke-subject", "subject=alice", "Authorization", bearer(admin)).statusCode());
        millis = untilStatus(other, 401, 3_000, "sign-out-everywhere");
        System.out.println("ClusterIT: sign-out-everywhere on B refused by the resource server after " + millis + " ms");
        HttpResponse<String> adminWho = orders().get("/who", "Authorization", bearer(admin));
        assertEquals(200, adminWho.statusCode(), "the admin did not sign out");
        assertEquals(true, json(adminWho).get("ejbMayAdminister"), "the groups claim makes the EJB's roles: " + adminWho.body());
    }

    @Test
    @Order(9)
    void theFeedGivesNothingToAClientNotAllowedIt() throws Exception {
        HttpResponse<String> none = on(b).get("/oauth/revocation-feed");
        assertRfcError(none, 401, "invalid_client");
        HttpResponse<String> notAllowed = on(b).get("/oauth/revocation-feed", "Authorization", basic("demo-client", "demo-secret"));
        assertRfcError(notAllowed, 403, "access_denied");
        HttpResponse<String> feed = on(b).get("/oauth/revocation-feed", "Authorization", basic("orders-api", "orders-secret"));
        assertEquals(200, feed.statusCode(), feed.body());
        assertTrue(((List<?>) json(feed).get("sub")).stream().anyMatch(e -> "alice".equals(((Map<?, ?>) e).get("sub"))), feed.body());
        String etag = feed.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> idle = on(b).get("/oauth/revocation-feed?cursor=" + json(feed).get("cursor"), "Authorization",
                basic("orders-api", "orders-secret"), "If-None-Match", etag);
        assertEquals(304, idle.statusCode());
    }

    @Test
    @Order(10)
    void withTheIssuerAwayTheResourceServerGoesOnWithWhatItHasThenFailsClosed() throws Exception {
        String access = (String) on(a).password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        assertEquals(200, orders().get("/who", "Authorization", bearer(access)).statusCode());
        b.stop(); // the server whose feed and keys it reads
        assertEquals(200, orders().get("/who", "Authorization", bearer(access)).statusCode(), "cached keys, the last feed");
        long millis = untilStatus(access, 503, 10_000, "fail closed after tokengate.revocation-max-staleness (3 s)");
        assertTrue(millis >= 1_500, "not long before the maximum staleness: " + millis + " ms");
        HttpResponse<String> refused = orders().get("/who", "Authorization", bearer(access));
        assertRfcError(refused, 503, "temporarily_unavailable");
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        long logDeadline = System.currentTimeMillis() + 5_000; // the poller logs after it marks the feed stale
        while (!orders.log().contains("TG-0205") && System.currentTimeMillis() < logDeadline) {
            Thread.sleep(100);
        }
        assertTrue(orders.log().contains("TG-0205"), "the log says why");
    }
}
