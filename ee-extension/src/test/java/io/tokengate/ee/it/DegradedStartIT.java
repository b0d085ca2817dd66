package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.basic;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokengate.core.client.ClientSecrets;
import io.tokengate.servlet.it.Wars;

/**
 * The application starts while its PostgreSQL is unreachable (the test's proxy refuses every connection from before
 * the deployment): it serves, bearer validation works, the endpoints that need the database answer 503 with
 * Retry-After, and once the database answers the store opens and creates its schema — without a redeploy.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DegradedStartIT {
    static final String ISSUER = "http://localhost:8080/degraded";
    static final String SCHEMA = "tg_it_degraded";
    /** Unique per run, so an older server log cannot satisfy the assertions. */
    static final String DATASOURCE = "java:app/jdbc/degraded-" + java.util.UUID.randomUUID();
    static DatabaseProxy proxy;

    @Deployment(testable = false)
    static WebArchive war() throws Exception {
        proxy = DatabaseProxy.postgres();
        String url = proxy.freshSchema(SCHEMA);
        proxy.down(); // PostgreSQL "stopped" before the application starts
        Path work = Wars.work("degraded");
        Files.createDirectories(work);
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token",
                "client.service.secret-sha256=" + ClientSecrets.digest("service-secret"),
                "client.service.grants=client_credentials",
                "client.service.scopes=admin", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", ISSUER)
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.scope-roles", "admin=tokengate-admin")
                + Wars.param("tokengate.datasource", DATASOURCE)
                + DatabaseProxy.dataSourceXml(DATASOURCE, url));
        return DatabaseProxy.war("degraded", webXml);
    }

    @AfterAll
    static void closeProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    @ArquillianResource
    URL deployment;

    private static void assertUnavailable(HttpResponse<String> r) throws Exception {
        assertRfcError(r, 503, "temporarily_unavailable");
        assertEquals("5", r.headers().firstValue("Retry-After").orElse(null), "when to come back: " + r.headers().map());
    }

    @Test
    void theApplicationStartsWithoutItsDatabaseServesWhatNeedsNoneAndConnectsWhenTheDatabaseComesBack() throws Exception {
        Http http = Http.of(deployment);
        assertEquals("Public page for anonymous", http.get("/api/public").body(), "the application started");
        assertTrue(Wars.serverLog().contains("TG-1007 the refresh-token store on " + DATASOURCE + " cannot reach its database"),
                "the degraded start is logged");

        HttpResponse<String> service = http.post("/oauth/token", "grant_type=client_credentials", "Authorization",
                basic("service", "service-secret"));
        assertEquals(200, service.statusCode(), "client_credentials needs no database: " + service.body());
        String token = (String) json(service).get("access_token");
        assertEquals("Public page for service", http.get("/api/public", "Authorization", bearer(token)).body(),
                "bearer validation needs no database");

        assertUnavailable(http.post("/oauth/token", "grant_type=password&username=alice&password=alice-password", "Authorization",
                basic("demo-client", "demo-secret")));
        assertUnavailable(http.refresh("demo-client", "demo-secret", "a".repeat(43)));
        assertUnavailable(http.post("/oauth/revoke", "token=" + "a".repeat(43), "Authorization", basic("demo-client", "demo-secret")));
        assertUnavailable(http.post("/oauth/introspect", "token=" + "a".repeat(43), "Authorization", basic("demo-client", "demo-secret")));
        assertUnavailable(http.get("/tokengate/admin/families?subject=alice", "Authorization", bearer(token)));

        proxy.up();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Wars.serverLog().contains("TG-1008 the refresh-token store on " + DATASOURCE + " is connected")) {
            assertTrue(System.currentTimeMillis() < deadline, "the store connects by itself within a few retry intervals");
            Thread.sleep(250);
        }
        Map<String, Object> tokens = http.password("demo-client", "demo-secret", "alice", "alice-password");
        HttpResponse<String> refreshed = http.refresh("demo-client", "demo-secret", (String) tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        HttpResponse<String> families = http.get("/tokengate/admin/families?subject=alice", "Authorization", bearer(token));
        assertEquals(200, families.statusCode(), families.body());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(proxy.jdbcUrl() + "?currentSchema=" + SCHEMA, "postgres", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM TG_FAMILY")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the schema was created once the database came back, and holds alice's family");
        }
    }
}
