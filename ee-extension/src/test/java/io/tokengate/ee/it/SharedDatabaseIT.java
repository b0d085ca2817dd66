package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.header;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengate.core.client.ClientSecrets;
import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * Two applications with TokenGate on one Payara Micro and one PostgreSQL schema, neither told about the other (no
 * keys folder configured, one datasource URL): both start, and each has its own keys, tokens, users' sessions and
 * revocations.
 */
class SharedDatabaseIT {
    static DatabaseProxy proxy;
    static PayaraProcess server;
    static String log;

    @BeforeAll
    static void startOneServerWithTwoApplications() throws Exception {
        proxy = DatabaseProxy.postgres();
        Path work = Wars.work("shared-db");
        Files.createDirectories(work);
        String url = proxy.freshSchema("tg_it_shared");
        String nonce = UUID.randomUUID().toString().substring(0, 8); // a fresh default keys folder per run
        Path orders = war(work, "orders", url, nonce);
        Path billing = war(work, "billing", url, nonce);
        server = new PayaraProcess("shared-db", orders, PayaraProcess.freePort(), work, "--nocluster", "--deploy", billing.toString())
                .start("/billing/who");
        log = server.log();
    }

    private static Path war(Path work, String name, String url, String nonce) throws Exception {
        Path clients = Files.writeString(work.resolve(name + "-clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", "http://localhost:8080/" + name + "-" + nonce)
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.datasource", "java:app/jdbc/tokengate")
                + DatabaseProxy.dataSourceXml("java:app/jdbc/tokengate", url));
        Path file = work.resolve(name + ".war");
        DatabaseProxy.war(name, webXml).as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {server, proxy}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Http app(String name) {
        return new Http(server.port(), "/" + name);
    }

    private static List<String> activeFamiliesOfAlice(Http http) throws Exception {
        String admin = (String) http.password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        HttpResponse<String> r = http.get("/tokengate/admin/families?subject=alice", "Authorization", bearer(admin));
        assertEquals(200, r.statusCode(), r.body());
        return ((List<?>) json(r).get("families")).stream().map(f -> (Map<?, ?>) f).filter(f -> "active".equals(f.get("state")))
                .map(f -> (String) f.get("family_id")).toList();
    }

    @Test
    void twoApplicationsOnOneServerAndOneDatabaseKeepKeysTokensSessionsAndRevocationsApart() throws Exception {
        assertFalse(log.contains("cannot be used by persistence unit"), "each application's persistence unit has its own session");
        Http orders = app("orders");
        Http billing = app("billing");
        Map<String, Object> atOrders = orders.password("demo-client", "demo-secret", "alice", "alice-password");
        Map<String, Object> atBilling = billing.password("demo-client", "demo-secret", "alice", "alice-password");

        assertNotEquals(header((String) atOrders.get("access_token")).get("kid"), header((String) atBilling.get("access_token")).get("kid"),
                "each application generated its own keys in its own folder");
        assertEquals(401, billing.get("/who", "Authorization", bearer((String) atOrders.get("access_token"))).statusCode(),
                "one application's access token is not the other's");
        assertRfcError(billing.refresh("demo-client", "demo-secret", (String) atOrders.get("refresh_token")), 400, "invalid_grant");

        List<String> ordersFamilies = activeFamiliesOfAlice(orders);
        List<String> billingFamilies = activeFamiliesOfAlice(billing);
        assertEquals(1, ordersFamilies.size(), "the admin API lists its own application's sessions only: " + ordersFamilies);
        assertEquals(1, billingFamilies.size(), billingFamilies.toString());
        assertNotEquals(ordersFamilies, billingFamilies);

        String admin = (String) orders.password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        HttpResponse<String> out = orders.post("/tokengate/admin/revoke-subject", "subject=alice", "Authorization", bearer(admin));
        assertEquals(200, out.statusCode(), out.body());
        assertRfcError(orders.refresh("demo-client", "demo-secret", (String) atOrders.get("refresh_token")), 400, "invalid_grant");
        HttpResponse<String> stillIn = billing.refresh("demo-client", "demo-secret", (String) atBilling.get("refresh_token"));
        assertEquals(200, stillIn.statusCode(), "signing alice out of one application leaves her other application alone: " + stillIn.body());
        assertEquals(200, billing.get("/who", "Authorization", bearer((String) atBilling.get("access_token"))).statusCode());
        assertTrue(activeFamiliesOfAlice(orders).isEmpty());
        assertEquals(1, activeFamiliesOfAlice(billing).size());
    }
}
