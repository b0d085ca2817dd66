package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.basic;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * WAR activates TokenGate by MicroProfile Config alone (no annotation, no web.xml context-param for it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    static final String CONTEXT = "/cluster";
    static DatabaseProxy proxy;
    static PayaraProcess a;
    static PayaraProcess b;

    @BeforeAll
    static void startTwoServers() throws Exception {
        proxy = DatabaseProxy.postgres();
        Path work = Wars.freshWork("cluster");
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token", ""));
        String config = String.join("\n",
                "tokengate.mechanism=true",
                "tokengate.issuer=http://localhost:8080/cluster",
                "tokengate.keys.directory=" + work.resolve("keys"),
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
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, proxy}) {
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
}
