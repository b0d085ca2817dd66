package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * The application's refresh tokens in PostgreSQL through a datasource the WAR declares, reached through a proxy the
 * test can cut: the database goes away in the middle of the test and comes back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DatabaseFailureIT {
    static final String ISSUER = "http://localhost:8080/dbfail";
    static DatabaseProxy proxy;

    @Deployment(testable = false)
    static WebArchive war() throws Exception {
        proxy = DatabaseProxy.postgres();
        Path work = Wars.work("dbfail");
        Files.createDirectories(work);
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", ISSUER)
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.datasource", "java:app/jdbc/tokengate")
                + DatabaseProxy.dataSourceXml("java:app/jdbc/tokengate", proxy.freshSchema("tg_it_dbfail")));
        return DatabaseProxy.war("dbfail", webXml);
    }

    @AfterAll
    static void closeProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    @ArquillianResource
    URL deployment;

    private int familiesOfAlice(Http http) throws Exception {
        String admin = (String) http.password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
        HttpResponse<String> r = http.get("/tokengate/admin/families?subject=alice", "Authorization", bearer(admin));
        assertEquals(200, r.statusCode(), r.body());
        return (int) ((List<?>) json(r).get("families")).stream().filter(f -> "active".equals(((Map<?, ?>) f).get("state"))).count();
    }

    @Test
    void theDatabaseGoingAwayMidRefreshGives503LeavesNothingHalfWrittenAndTheTokenWorksOnceItIsBack() throws Exception {
        Http http = Http.of(deployment);
        Map<String, Object> tokens = http.password("demo-client", "demo-secret", "alice", "alice-password");
        String access = (String) tokens.get("access_token");
        String refresh = (String) tokens.get("refresh_token");
        int families = familiesOfAlice(http);

        proxy.down();
        try {
            assertRfcError(http.refresh("demo-client", "demo-secret", refresh), 503, "temporarily_unavailable");
            assertRfcError(http.post("/oauth/token", "grant_type=password&username=alice&password=alice-password", "Authorization",
                    Http.basic("demo-client", "demo-secret")), 503, "temporarily_unavailable");
            HttpResponse<String> who = http.get("/who", "Authorization", bearer(access));
            assertEquals(200, who.statusCode(), "bearer validation needs no database: " + who.body());
            assertEquals("alice", json(who).get("caller"));
            assertRfcError(http.refresh("demo-client", "demo-secret", refresh), 503, "temporarily_unavailable");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Wars.serverLog().contains("TG-0403 cleanup failed")) { // it runs every second here
                assertTrue(System.currentTimeMillis() < deadline, "the scheduled cleanup reports the outage as TG-0403");
                Thread.sleep(200);
            }
        } finally {
            proxy.up();
        }

        HttpResponse<String> after = null;
        for (int i = 0; i < 20; i++) { // a pooled connection broken by the outage may cost one more 503
            after = http.refresh("demo-client", "demo-secret", refresh);
            if (after.statusCode() != 503) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(200, after.statusCode(), "the refresh token survived the outage: " + after.body());
        assertTrue(json(after).get("refresh_token") instanceof String);
        assertEquals(families, familiesOfAlice(http), "the password grant refused during the outage left no family behind");
        assertEquals(200, http.get("/who", "Authorization", bearer((String) json(after).get("access_token"))).statusCode());
    }
}
