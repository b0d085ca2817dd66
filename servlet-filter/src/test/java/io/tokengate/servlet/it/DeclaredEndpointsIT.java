package io.tokengate.servlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Endpoints declared as servlets in web.xml at paths of the application's choosing, the explicit in-memory store
 * and http://localhost development cookies.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeclaredEndpointsIT {
    /** Unique per run, so the log assertions cannot be met by an older server log. */
    static final String ISSUER = "http://localhost:8080/declared/" + java.util.UUID.randomUUID();

    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        Path work = Wars.work("declared");
        Files.createDirectories(work);
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.spa.type=public", "client.spa.grants=password refresh_token", "client.spa.cookie-mode=true", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", ISSUER)
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.credential-verifier", TestUsers.class.getName())
                + Wars.param("tokengate.store", "memory")
                + Wars.param("tokengate.token-path", "/auth/token")
                + Wars.param("tokengate.jwks-path", "/auth/keys")
                + Wars.param("tokengate.cookie-insecure-localhost", "true")
                + servlet("token", "io.tokengate.servlet.TokenServlet", "/auth/token", "")
                + servlet("keys", "io.tokengate.servlet.JwksServlet", "/auth/keys", "")
                + servlet("metadata", "io.tokengate.servlet.MetadataServlet", "/.well-known/oauth-authorization-server", ""));
        return Wars.war("declared", webXml).addClass(TestUsers.class);
    }

    private static String servlet(String name, String type, String path, String init) {
        return "  <servlet><servlet-name>" + name + "</servlet-name><servlet-class>" + type + "</servlet-class>" + init + "</servlet>\n"
                + "  <servlet-mapping><servlet-name>" + name + "</servlet-name><url-pattern>" + path + "</url-pattern></servlet-mapping>\n";
    }

    @ArquillianResource
    URL deployment;

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + deployment.getPort() + "/declared" + path);
    }

    @Test
    void declaredTokenEndpointAndLocalhostCookie() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/auth/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://localhost:8080").header("X-TokenGate-Refresh", "1") // a cookie-mode client's CSRF defence
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=spa&username=alice&password=alice-password")));
        assertEquals(200, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("tokengate-refresh="), cookie);
        assertTrue(cookie.contains("; Path=/declared/auth/token") && cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "relaxed for http://localhost development only");
    }

    @Test
    void metadataAndKeysFollowTheConfiguredPaths() throws Exception {
        Map<String, Object> m = JsonUtil.parseJson(send(HttpRequest.newBuilder(uri("/.well-known/oauth-authorization-server"))).body());
        assertEquals(ISSUER + "/auth/token", m.get("token_endpoint"));
        assertEquals(ISSUER + "/auth/keys", m.get("jwks_uri"));
        assertEquals(200, send(HttpRequest.newBuilder(uri("/auth/keys"))).statusCode());
    }

    @Test
    void inMemoryStoreAndInsecureCookiesAreAnnouncedInTheLog() throws Exception {
        String log = Wars.serverLog();
        assertTrue(log.contains("TG-0301 refresh tokens of " + ISSUER + " are kept in memory"));
        assertTrue(log.contains("TG-0302 the refresh cookie of " + ISSUER + " is sent without Secure"));
    }
}
