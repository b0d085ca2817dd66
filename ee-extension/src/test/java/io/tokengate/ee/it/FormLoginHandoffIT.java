package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokengate.core.client.ClientSecrets;
import io.tokengate.ee.EeHost;
import io.tokengate.ee.it.form.FormApp;
import io.tokengate.servlet.it.Wars;

/**
 * An application that keeps FORM login as its one Jakarta Security mechanism and gets its tokens through the
 * container-login hand-off; its API is protected by the bearer filter. Settings from web.xml only; revocations
 * explicitly in memory.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FormLoginHandoffIT {
    static final String ISSUER = "http://localhost:8080/form";
    static final String ORIGIN = "http://localhost:8080";

    @Deployment(testable = false)
    static WebArchive war() throws Exception {
        Path work = Wars.work("form");
        Files.createDirectories(work);
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-spa.type=public",
                "client.demo-spa.grants=refresh_token",
                "client.demo-spa.scopes=read",
                "client.demo-spa.cookie-mode=true",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token",
                "client.shop-app.type=public",
                "client.shop-app.grants=authorization_code refresh_token",
                "client.shop-app.redirect-uris=https://shop.example/callback",
                "client.shop-app.first-party=true", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", ISSUER)
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.endpoints", "true")
                + Wars.param("tokengate.cookie-insecure-localhost", "true")
                + Wars.param("tokengate.revocation-registry", "memory")
                + "  <filter><filter-name>tokengate</filter-name><filter-class>io.tokengate.servlet.BearerTokenFilter</filter-class></filter>\n"
                + "  <filter-mapping><filter-name>tokengate</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>\n");
        return Wars.war("form", webXml).addAsLibraries(Wars.jarOf(EeHost.class, "tokengate-ee-extension.jar"))
                .addPackage(FormApp.class.getPackage()).addClass(TestIdentityStore.class)
                .addAsWebResource(new StringAsset("<form method=post action=j_security_check><input name=j_username>"
                        + "<input name=j_password type=password><button>Sign in</button></form>"), "login.html");
    }

    @ArquillianResource
    URL deployment;

    /** A browser: keeps the session cookie, follows no redirects. */
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();

    private String base() {
        return "http://127.0.0.1:" + deployment.getPort() + "/form";
    }

    private HttpResponse<String> browse(HttpRequest.Builder b) throws Exception {
        return browser.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> browserPost(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return browse(b);
    }

    private void signInWithTheForm() throws Exception {
        HttpResponse<String> home = browse(HttpRequest.newBuilder(java.net.URI.create(base() + "/app/home")));
        assertEquals(302, home.statusCode(), "the container asks for the FORM login");
        assertTrue(home.headers().firstValue("Location").orElse("").contains("login.html"));
        HttpResponse<String> login = browserPost("/j_security_check", "j_username=alice&j_password=alice-password");
        assertTrue(login.statusCode() == 302 || login.statusCode() == 303 || login.statusCode() == 200, login.statusCode() + " " + login.body());
        HttpResponse<String> after = browse(HttpRequest.newBuilder(java.net.URI.create(base() + "/app/home")));
        assertEquals(200, after.statusCode(), after.body());
        assertEquals("Home of alice", after.body());
    }

    private HttpResponse<String> handoff(String... headers) throws Exception {
        return browserPost("/oauth/handoff", "client_id=demo-spa", headers);
    }

    private static String refreshCookie(HttpResponse<String> r) {
        List<String> cookies = r.headers().allValues("Set-Cookie");
        return cookies.stream().filter(c -> c.startsWith("tokengate-refresh=")).findFirst()
                .map(c -> c.substring("tokengate-refresh=".length(), c.indexOf(';'))).orElseThrow(() -> new AssertionError(cookies));
    }

    @Test
    void aFormSessionIsHandedOffForTokensThatTheBearerFilterAccepts() throws Exception {
        signInWithTheForm();
        HttpResponse<String> tokens = handoff("Origin", ORIGIN, "X-TokenGate-Refresh", "1");
        assertEquals(200, tokens.statusCode(), tokens.body());
        Map<String, Object> body = json(tokens);
        assertFalse(body.containsKey("refresh_token"), "a cookie-mode client gets its refresh token as a cookie only");
        String refresh = refreshCookie(tokens);
        assertTrue(tokens.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.contains("HttpOnly") && c.contains("Path=/form/oauth")));
        String access = (String) body.get("access_token");
        assertEquals(List.of("user"), Http.claims(access).get("groups"), "groups from the identity store");

        Http api = new Http(deployment.getPort(), "/form");
        HttpResponse<String> who = api.get("/api/whoami", "Authorization", bearer(access));
        assertEquals(200, who.statusCode(), who.body());
        assertEquals("alice user=true auth=BEARER", who.body());

        HttpResponse<String> refreshed = api.post("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie",
                "tokengate-refresh=" + refresh, "Origin", ORIGIN, "X-TokenGate-Refresh", "1");
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertNotEquals(refresh, refreshCookie(refreshed), "the refresh token rotates");
    }

    @Test
    void theHandOffNeedsTheCsrfDefence() throws Exception {
        signInWithTheForm();
        assertRfcError(handoff(), 400, "invalid_request");
        assertRfcError(handoff("Origin", "http://evil.example", "X-TokenGate-Refresh", "1"), 400, "invalid_request");
        assertRfcError(handoff("Origin", ORIGIN), 400, "invalid_request");
    }

    @Test
    void theHandOffServesPublicBrowserClientsOnly() throws Exception {
        signInWithTheForm();
        HttpResponse<String> r = browserPost("/oauth/handoff", "client_id=demo-client", "Origin", ORIGIN, "X-TokenGate-Refresh", "1");
        assertRfcError(r, 400, "unauthorized_client");
        assertFalse(r.body().contains("access_token"));
    }

    @Test
    void adminChangesMadeWithASessionNeedTheCsrfDefence() throws Exception {
        Http api = new Http(deployment.getPort(), "/form");
        String aliceRefresh = (String) api.password("demo-client", "demo-secret", "alice", "alice-password").get("refresh_token");
        HttpResponse<String> home = browse(HttpRequest.newBuilder(java.net.URI.create(base() + "/app/home")));
        assertEquals(302, home.statusCode());
        browserPost("/j_security_check", "j_username=admin&j_password=admin-password");
        assertEquals(200, browse(HttpRequest.newBuilder(java.net.URI.create(base() + "/app/home"))).statusCode(), "back where it started");
        assertEquals(200, browse(HttpRequest.newBuilder(java.net.URI.create(base() + "/tokengate/admin/families?subject=alice"))).statusCode(),
                "a FORM-signed-in admin may read");
        HttpResponse<String> noDefence = browserPost("/tokengate/admin/revoke-subject", "subject=alice");
        assertEquals(400, noDefence.statusCode(), noDefence.headers().map() + " " + noDefence.body());
        assertRfcError(noDefence, 400, "invalid_request");
        HttpResponse<String> stillWorks = api.refresh("demo-client", "demo-secret", aliceRefresh);
        assertEquals(200, stillWorks.statusCode(), "refused requests changed nothing");
        String successor = (String) json(stillWorks).get("refresh_token");
        HttpResponse<String> ok = browserPost("/tokengate/admin/revoke-subject", "subject=alice", "Origin", ORIGIN, "X-TokenGate-Refresh", "1");
        assertEquals(200, ok.statusCode(), ok.body());
        assertRfcError(api.refresh("demo-client", "demo-secret", successor), 400, "invalid_grant");
    }

    @Test
    void theHandOffNeedsASignedInCaller() throws Exception {
        HttpResponse<String> r = new Http(deployment.getPort(), "/form").post("/oauth/handoff", "client_id=demo-spa", "Origin", ORIGIN,
                "X-TokenGate-Refresh", "1");
        assertEquals(302, r.statusCode(), "the container sends the caller to its login: " + r.body());
        assertTrue(r.headers().firstValue("Location").orElse("").contains("login.html"));
        assertFalse(r.body().contains("access_token"), r.body());
    }

    @Test
    void anUnknownClientGetsAnRfcErrorFromTheHandOff() throws Exception {
        signInWithTheForm();
        assertRfcError(browserPost("/oauth/handoff", "client_id=nobody", "Origin", ORIGIN, "X-TokenGate-Refresh", "1"), 401, "invalid_client");
    }

    @Test
    void theFormMechanismStaysTheApplicationsOnlyMechanism() throws Exception {
        Http api = new Http(deployment.getPort(), "/form");
        String access = (String) api.password("demo-client", "demo-secret", "alice", "alice-password").get("access_token");
        HttpResponse<String> page = api.get("/app/home", "Authorization", bearer(access));
        assertEquals(302, page.statusCode(), "a bearer token does not sign in to the FORM pages");
        String log = Wars.serverLog();
        assertFalse(log.contains("TG-0400 TokenGate is the authentication mechanism of /form"), "TokenGate is not the mechanism here");
        assertTrue(log.contains("TG-0401 revocations of /form are kept in memory on this server only: tokengate.revocation-registry=memory"));
    }

    @Test
    void theApplicationsFormLoginSignsTheUserInAtTheAuthorizationEndpoint() throws Exception {
        String verifier = "shop-app-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-0123";
        String authorize = "/oauth/authorize?response_type=code&client_id=shop-app&state=s1&code_challenge_method=S256"
                + "&redirect_uri=" + java.net.URLEncoder.encode("https://shop.example/callback", java.nio.charset.StandardCharsets.UTF_8)
                + "&code_challenge=" + io.tokengate.core.authorize.Pkce.challengeOf(verifier);
        HttpResponse<String> start = browse(HttpRequest.newBuilder(java.net.URI.create(base() + authorize)));
        assertEquals(302, start.statusCode(), "the application's FORM mechanism asks for its login: " + start.body());
        assertTrue(start.headers().firstValue("Location").orElse("").contains("login.html"), start.headers().map().toString());
        HttpResponse<String> login = browserPost("/j_security_check", "j_username=alice&j_password=alice-password");
        String back = login.headers().firstValue("Location").orElse("");
        assertTrue(back.contains("/oauth/authorize"), "the FORM login returns to the authorization request: " + login.statusCode() + " " + back);

        HttpResponse<String> granted = browse(HttpRequest.newBuilder(java.net.URI.create(base() + authorize)));
        assertEquals(302, granted.statusCode(), "a first-party client on its https redirect: no consent page: " + granted.body());
        String location = granted.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("https://shop.example/callback?code="), location);
        assertTrue(location.contains("&state=s1&iss=" + java.net.URLEncoder.encode(ISSUER, java.nio.charset.StandardCharsets.UTF_8)), location);
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf('&'));

        HttpResponse<String> tokens = HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(base() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=authorization_code&client_id=shop-app&code=" + code + "&code_verifier=" + verifier
                        + "&redirect_uri=" + java.net.URLEncoder.encode("https://shop.example/callback", java.nio.charset.StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertEquals("alice", Http.claims((String) json(tokens).get("access_token")).get("sub"), "the FORM login's caller");
        assertTrue(json(tokens).get("refresh_token") instanceof String);
    }
}
