package io.tokengate.servlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokengate.core.client.ClientSecrets;

/**
 * A WAR configured by web.xml alone, on Payara Micro: the bearer filter in front of the application's own
 * servlet, the endpoints registered by one context-param, refresh tokens in the server's default datasource.
 * All traffic goes to 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebXmlOnlyIT {

    /** Both schemes a resource accepts (RFC 6750 §3, RFC 9449 §7.1), DPoP with its allowed algorithms. */
    private static final String CHALLENGE = "Bearer realm=\"tokengate\", DPoP realm=\"tokengate\", algs=\"RS256 PS256 ES256 EdDSA\"";
    static final String ISSUER = "http://localhost:8080/webxml";
    static final String ORIGIN = "http://localhost:8080";

    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        Path work = Wars.work("webxml");
        Files.createDirectories(work);
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token",
                "client.demo-client.scopes=read write",
                "client.no-retry.secret-sha256=" + ClientSecrets.digest("no-retry-secret"),
                "client.no-retry.grants=password refresh_token",
                "client.no-retry.scopes=read",
                "client.no-retry.retry-window=0",
                "client.demo-spa.type=public",
                "client.demo-spa.grants=password refresh_token",
                "client.demo-spa.scopes=read",
                "client.demo-spa.cookie-mode=true", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", ISSUER)
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.endpoints", "true")
                + Wars.param("tokengate.credential-verifier", TestUsers.class.getName())
                + Wars.param("tokengate.scope-roles", "read=reader")
                + "  <filter><filter-name>tokengate</filter-name><filter-class>io.tokengate.servlet.BearerTokenFilter</filter-class>\n"
                + "    <init-param><param-name>tokengate.required-scopes</param-name><param-value>/admin/*=admin</param-value></init-param>\n"
                + "  </filter>\n"
                + "  <filter-mapping><filter-name>tokengate</filter-name><url-pattern>/api/*</url-pattern><url-pattern>/admin/*</url-pattern>"
                + "<url-pattern>/oauth/*</url-pattern><url-pattern>/.well-known/*</url-pattern></filter-mapping>\n"
                + "  <filter><filter-name>tokengate-lenient</filter-name><filter-class>io.tokengate.servlet.BearerTokenFilter</filter-class>\n"
                + "    <init-param><param-name>tokengate.access-token-query-parameter</param-name><param-value>true</param-value></init-param>\n"
                + "    <init-param><param-name>tokengate.access-token-cookie</param-name><param-value>at</param-value></init-param>\n"
                + "  </filter>\n"
                + "  <filter-mapping><filter-name>tokengate-lenient</filter-name><url-pattern>/opt/*</url-pattern></filter-mapping>\n"
                + "  <servlet><servlet-name>whoami</servlet-name><servlet-class>" + WhoAmIServlet.class.getName() + "</servlet-class></servlet>\n"
                + "  <servlet-mapping><servlet-name>whoami</servlet-name><url-pattern>/api/whoami</url-pattern><url-pattern>/admin/whoami</url-pattern><url-pattern>/opt/whoami</url-pattern></servlet-mapping>\n"
                + "  <servlet><servlet-name>rows</servlet-name><servlet-class>" + RowCountServlet.class.getName() + "</servlet-class></servlet>\n"
                + "  <servlet-mapping><servlet-name>rows</servlet-name><url-pattern>/test/rows</url-pattern></servlet-mapping>\n");
        return Wars.war("webxml", webXml).addClasses(TestUsers.class, WhoAmIServlet.class, RowCountServlet.class);
    }

    @ArquillianResource
    URL deployment;

    private final HttpClient http = HttpClient.newHttpClient();

    /** The deployment's URL moved onto loopback: Payara reports the machine's address, traffic stays on 127.0.0.1. */
    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + deployment.getPort() + deployment.getPath().replaceAll("/$", "") + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    private HttpResponse<String> postForm(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes());
    }

    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JsonUtil.parseJson(r.body());
    }

    private Map<String, Object> login(String client, String secret) throws Exception {
        HttpResponse<String> r = postForm("/oauth/token", "grant_type=password&username=alice&password=alice-password",
                "Authorization", basic(client, secret));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        return json(r);
    }

    private static void assertRfcError(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
        assertEquals(error, json(r).get("error"));
        assertFalse(r.body().contains("Exception"), "no stack trace");
    }

    // ------------------------------------------------------------ the bearer filter

    @Test
    void aStoreOnTheServersTemporaryDefaultDatasourceIsWarnedAboutAtStart() throws Exception {
        String log = Wars.serverLog();
        assertTrue(log.contains("TG-0305 the refresh tokens of /webxml are stored in java:comp/DefaultDataSource, a database in the"
                + " temporary folder "), "Payara Micro's default datasource is H2 in a new temporary folder each start");
        assertTrue(log.contains("signing every user out. Name a lasting database with tokengate.datasource"));
    }

    @Test
    void noTokenIs401WithAChallengeAndNoErrorCode() throws Exception {
        HttpResponse<String> r = get("/api/whoami");
        assertEquals(401, r.statusCode());
        assertEquals(CHALLENGE, r.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void applicationSeesThePrincipalRolesAndTheToken() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        HttpResponse<String> r = get("/api/whoami", "Authorization", "Bearer " + at);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("alice|alice|BEARER|user=true|admin=false|reader=true|token=true", r.body());
    }

    @Test
    void schemeIsCaseInsensitive() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        assertEquals(200, get("/api/whoami", "Authorization", "bEaReR " + at).statusCode());
    }

    @Test
    void invalidTokenIs401InvalidToken() throws Exception {
        HttpResponse<String> r = get("/api/whoami", "Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.");
        assertEquals(401, r.statusCode());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer realm=\"tokengate\", error=\"invalid_token\", error_description="), challenge);
    }

    @Test
    void twoCredentialsAre400InvalidRequest() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/whoami")).header("Authorization", "Bearer " + at)
                .header("Authorization", "Bearer " + at));
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_request\""));
    }

    @Test
    void queryTokenIsIgnoredByDefault() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        assertEquals(401, get("/api/whoami?access_token=" + at).statusCode());
    }

    @Test
    void missingScopeIs403InsufficientScope() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        HttpResponse<String> r = get("/admin/whoami", "Authorization", "Bearer " + at);
        assertEquals(403, r.statusCode());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\"admin\""), challenge);
    }

    @Test
    void scopeRulesCannotBeDodgedBySpellingThePathDifferently() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        for (String path : List.of("/admin;x=y/whoami", "/admin/./whoami", "/api/../admin/whoami", "/%61dmin/whoami", "/admin//whoami")) {
            HttpResponse<String> r = get(path, "Authorization", "Bearer " + at);
            assertTrue(r.statusCode() == 403 || r.statusCode() == 404 || r.statusCode() == 400, path + " gave " + r.statusCode() + ": " + r.body());
            assertFalse(r.body().contains("alice|"), path + " reached the application without the admin scope");
        }
    }

    @Test
    void queryAndCookieTokensWorkWhereEnabled() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        assertEquals(200, get("/opt/whoami?access_token=" + at).statusCode());
        assertEquals(200, get("/opt/whoami", "Cookie", "at=" + at).statusCode());
        HttpResponse<String> both = get("/opt/whoami?access_token=" + at, "Authorization", "Bearer " + at);
        assertEquals(400, both.statusCode(), "two credentials");
    }

    @Test
    void cookieCarriedTokenNeedsAnAllowedOriginForUnsafeMethods() throws Exception {
        String at = (String) login("demo-client", "demo-secret").get("access_token");
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(uri("/opt/whoami")).header("Cookie", "at=" + at)
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, crossSite.statusCode());
        assertTrue(crossSite.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_request"));
        HttpResponse<String> sameSite = send(HttpRequest.newBuilder(uri("/opt/whoami")).header("Cookie", "at=" + at)
                .header("Origin", ORIGIN).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, sameSite.statusCode(), "passed the filter; the servlet itself has no POST");
    }

    // ------------------------------------------------------------ refresh flow and revocation over HTTP

    @Test
    void refreshRotatesAndReplayRevokesTheFamily() throws Exception {
        Map<String, Object> first = login("no-retry", "no-retry-secret");
        HttpResponse<String> refreshed = postForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + first.get("refresh_token"),
                "Authorization", basic("no-retry", "no-retry-secret"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        Map<String, Object> second = json(refreshed);
        assertNotNull(second.get("refresh_token_expires_in"));
        assertFalse(first.get("refresh_token").equals(second.get("refresh_token")));
        HttpResponse<String> replay = postForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + first.get("refresh_token"),
                "Authorization", basic("no-retry", "no-retry-secret"));
        assertRfcError(replay, 400, "invalid_grant");
        assertEquals(401, get("/api/whoami", "Authorization", "Bearer " + second.get("access_token")).statusCode(),
                "the family's live access token is refused");
    }

    @Test
    void revokeThenRefreshFailsAndTheFamilysAccessTokenIsRefused() throws Exception {
        Map<String, Object> pair = login("demo-client", "demo-secret");
        HttpResponse<String> revoked = postForm("/oauth/revoke", "token=" + pair.get("refresh_token"), "Authorization",
                basic("demo-client", "demo-secret"));
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + pair.get("refresh_token"), "Authorization",
                basic("demo-client", "demo-secret")), 400, "invalid_grant");
        HttpResponse<String> r = get("/api/whoami", "Authorization", "Bearer " + pair.get("access_token"));
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
    }

    @Test
    void introspectionShowsOwnTokensOnly() throws Exception {
        Map<String, Object> pair = login("demo-client", "demo-secret");
        HttpResponse<String> r = postForm("/oauth/introspect", "token=" + pair.get("access_token"), "Authorization",
                basic("demo-client", "demo-secret"));
        assertEquals(true, json(r).get("active"));
        HttpResponse<String> other = postForm("/oauth/introspect", "token=" + pair.get("access_token"), "Authorization",
                basic("no-retry", "no-retry-secret"));
        assertEquals(Map.of("active", false), json(other));
    }

    @Test
    void refreshTokensLiveInTheServersDatasource() throws Exception {
        long before = Long.parseLong(get("/test/rows").body());
        login("demo-client", "demo-secret");
        assertEquals(before + 1, Long.parseLong(get("/test/rows").body()));
    }

    // ------------------------------------------------------------ JWKS and metadata

    @Test
    void jwksHoldsThePublicKeyAndIsCacheable() throws Exception {
        HttpResponse<String> r = get("/oauth/jwks");
        assertEquals(200, r.statusCode());
        assertEquals("public, max-age=300", r.headers().firstValue("Cache-Control").orElseThrow());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) json(r).get("keys");
        assertEquals(1, keys.size());
        assertEquals("RS256", keys.get(0).get("alg"));
        assertFalse(keys.get(0).containsKey("d"), "public parts only");
    }

    @Test
    void metadataNamesEveryEndpointUnderTheIssuer() throws Exception {
        Map<String, Object> m = json(get("/.well-known/oauth-authorization-server"));
        assertEquals(ISSUER, m.get("issuer"));
        assertEquals(ISSUER + "/oauth/token", m.get("token_endpoint"));
        assertEquals(ISSUER + "/oauth/revoke", m.get("revocation_endpoint"));
        assertEquals(ISSUER + "/oauth/introspect", m.get("introspection_endpoint"));
        assertEquals(ISSUER + "/oauth/jwks", m.get("jwks_uri"));
    }

    // ------------------------------------------------------------ cookie mode

    /** The browser client's password grant, sent as the sample page sends it: from the issuer's origin with the CSRF header. */
    private HttpResponse<String> browserLogin(String... headers) throws Exception {
        String[] all = new String[headers.length + 4];
        System.arraycopy(new String[] {"Origin", ORIGIN, "X-TokenGate-Refresh", "1"}, 0, all, 0, 4);
        System.arraycopy(headers, 0, all, 4, headers.length);
        return postForm("/oauth/token", "grant_type=password&client_id=demo-spa&username=alice&password=alice-password", all);
    }

    @Test
    void cookieModeSetsAHardenedCookieAndKeepsTheTokenOutOfTheBody() throws Exception {
        HttpResponse<String> r = browserLogin();
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(json(r).containsKey("refresh_token"));
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("__Secure-tokengate-refresh="), cookie);
        cookie = cookie + ";";
        for (String attribute : List.of("; HttpOnly", "; Secure", "; SameSite=Strict", "; Path=" + deployment.getPath().replaceAll("/$", "") + "/oauth;")) {
            assertTrue(cookie.contains(attribute), cookie + " lacks " + attribute);
        }
        assertFalse(cookie.contains("Domain="));
    }

    @Test
    void cookieRefreshNeedsTheCsrfDefence() throws Exception {
        HttpResponse<String> login = browserLogin();
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", cookie), 400, "invalid_request");
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", cookie, "Origin", "https://evil.example",
                "X-TokenGate-Refresh", "1"), 400, "invalid_request");
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", cookie, "Origin", ORIGIN), 400,
                "invalid_request");
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", cookie + "; " + cookie.replaceAll("=.*", "=planted"),
                "Origin", ORIGIN, "X-TokenGate-Refresh", "1"), 400, "invalid_request");
        HttpResponse<String> ok = postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", cookie, "Origin", ORIGIN,
                "X-TokenGate-Refresh", "1");
        assertEquals(200, ok.statusCode(), ok.body());
        String next = ok.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertFalse(next.equals(cookie), "rotated");

        // signing in again with an old cookie is not a cookie-authenticated request
        assertEquals(200, browserLogin("Cookie", next).statusCode());

        // sign-out: the browser sends the cookie to the revocation endpoint too (same folder); it is revoked and cleared
        HttpResponse<String> out = postForm("/oauth/revoke", "client_id=demo-spa", "Cookie", next, "Origin", ORIGIN, "X-TokenGate-Refresh", "1");
        assertEquals(200, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", next, "Origin", ORIGIN,
                "X-TokenGate-Refresh", "1"), 400, "invalid_grant");
    }

    /** Login CSRF: no response of a cookie-mode client sets a cookie unless the request passed the defence. */
    @Test
    void aCrossSiteFormCannotPlantARefreshCookie() throws Exception {
        String form = "grant_type=password&client_id=demo-spa&username=alice&password=alice-password";
        for (String[] headers : List.of(new String[] {"Origin", "http://evil.example"}, new String[] {"Origin", "http://evil.example",
                "X-TokenGate-Refresh", "1"}, new String[] {"X-TokenGate-Refresh", "1"}, new String[] {})) {
            HttpResponse<String> r = postForm("/oauth/token", form, headers);
            assertRfcError(r, 400, "invalid_request");
            assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "no cookie planted: " + r.headers().map());
        }
        String cookie = browserLogin().headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String bodyToken = "grant_type=refresh_token&client_id=demo-spa&refresh_token=" + cookie.substring(cookie.indexOf('=') + 1);
        HttpResponse<String> planted = postForm("/oauth/token", bodyToken, "Origin", "http://evil.example");
        assertRfcError(planted, 400, "invalid_request");
        assertTrue(planted.headers().allValues("Set-Cookie").isEmpty());
        assertEquals(200, postForm("/oauth/token", bodyToken, "Origin", ORIGIN, "X-TokenGate-Refresh", "1").statusCode(),
                "the refused request consumed nothing");
    }

    /** Logout CSRF: a cross-site form can neither clear the cookie nor leave it cleared with its family still active. */
    @Test
    void aCrossSiteFormCannotClearTheRefreshCookie() throws Exception {
        String cookie = browserLogin().headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> r = postForm("/oauth/revoke", "client_id=demo-spa&token=x", "Cookie", cookie);
        assertEquals(200, r.statusCode(), "an unknown token is 200 (RFC 7009)");
        assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "the cookie stays: " + r.headers().map());
        assertRfcError(postForm("/oauth/revoke", "client_id=demo-spa", "Cookie", cookie, "Origin", "http://evil.example"), 400,
                "invalid_request");
        HttpResponse<String> refreshed = postForm("/oauth/token", "grant_type=refresh_token&client_id=demo-spa", "Cookie", cookie,
                "Origin", ORIGIN, "X-TokenGate-Refresh", "1");
        assertEquals(200, refreshed.statusCode(), "the family is still active: " + refreshed.body());
    }

    /** RFC 6749 §5.2: with the filter in front of the endpoints, client authentication errors are still the endpoint's. */
    @Test
    void theFilterLeavesTheOAuthEndpointsToThemselves() throws Exception {
        HttpResponse<String> bearer = postForm("/oauth/token", "grant_type=refresh_token&refresh_token=x", "Authorization", "Bearer abc");
        assertRfcError(bearer, 401, "invalid_client");
        assertTrue(bearer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), bearer.headers().map().toString());
        HttpResponse<String> twoBasic = postForm("/oauth/token", "grant_type=refresh_token&refresh_token=x",
                "Authorization", basic("demo-client", "demo-secret"), "Authorization", basic("demo-client", "demo-secret"));
        assertRfcError(twoBasic, 400, "invalid_request");
        assertEquals("Only one Authorization header is allowed", json(twoBasic).get("error_description"));
        assertEquals(200, get("/oauth/jwks").statusCode(), "the JWKS is public");
        assertEquals(200, get("/.well-known/oauth-authorization-server").statusCode(), "the metadata is public");
    }

    // ------------------------------------------------------------ bad input at the token endpoint

    /**
     * A body shorter than its Content-Length, or a chunked body without its last chunk, stalls the worker until the
     * container's read timeout (3 s on the test servers, see src/test/payara): then a JSON 400, never Payara's HTML 500.
     */
    @Test
    void aStalledOrShortBodyIsA400InvalidRequestInJsonOnEveryEndpoint() throws Exception {
        String path = deployment.getPath().replaceAll("/$", "");
        List<String> requests = new java.util.ArrayList<>();
        for (String endpoint : List.of("/oauth/token", "/oauth/revoke", "/oauth/introspect")) {
            requests.add("POST " + path + endpoint + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Authorization: " + basic("demo-client", "demo-secret") + "\r\nContent-Length: 100\r\n\r\ngrant_type=refresh_token&token=ab");
        }
        requests.add("POST " + path + "/oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\ngrant\r\n");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(requests.size());
        try {
            List<java.util.concurrent.Future<RawHttp.Answer>> answers = new java.util.ArrayList<>();
            for (String r : requests) {
                answers.add(pool.submit(() -> RawHttp.send(deployment.getPort(), r, false, 20_000)));
            }
            for (java.util.concurrent.Future<RawHttp.Answer> f : answers) {
                RawHttp.Answer a = f.get();
                assertEquals(400, a.status(), a.body());
                assertTrue(a.header("Content-Type").startsWith("application/json"), a.headers().toString());
                assertEquals("no-store", a.header("Cache-Control"));
                assertEquals("invalid_request", JsonUtil.parseJson(a.body()).get("error"), a.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void getIsMethodNotAllowed() throws Exception {
        assertRfcError(get("/oauth/token"), 405, "invalid_request");
    }

    @Test
    void duplicateParameterIsInvalidRequest() throws Exception {
        assertRfcError(postForm("/oauth/token", "grant_type=password&grant_type=password&username=alice&password=alice-password",
                "Authorization", basic("demo-client", "demo-secret")), 400, "invalid_request");
    }

    @Test
    void wrongContentTypeIsInvalidRequest() throws Exception {
        // a form body under another content type: refused for the type, not for missing parameters
        assertRfcError(send(HttpRequest.newBuilder(uri("/oauth/token")).header("Content-Type", "application/json")
                .header("Authorization", basic("demo-client", "demo-secret"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))), 400, "invalid_request");
    }

    @Test
    void megabyteBodyIsInvalidRequest() throws Exception {
        HttpResponse<String> r = postForm("/oauth/token", "grant_type=password&username=alice&password=alice-password&pad="
                + "x".repeat(1 << 20), "Authorization", basic("demo-client", "demo-secret"));
        assertRfcError(r, 400, "invalid_request");
        assertEquals("The request body is too large", json(r).get("error_description"));
    }

    @Test
    void unknownGrantAndMissingParametersAreRfcErrors() throws Exception {
        String auth = basic("demo-client", "demo-secret");
        assertRfcError(postForm("/oauth/token", "grant_type=urn:ietf:params:oauth:grant-type:device_code", "Authorization", auth), 400,
                "unsupported_grant_type");
        assertRfcError(postForm("/oauth/token", "grant_type=refresh_token", "Authorization", auth), 400, "invalid_request");
        assertRfcError(postForm("/oauth/token", "", "Authorization", auth), 400, "invalid_request");
        assertRfcError(postForm("/oauth/token", "grant_type=password&username=alice&password=alice-password", "Authorization",
                basic("demo-client", "wrong")), 401, "invalid_client");
        assertRfcError(postForm("/oauth/token", "grant_type=%zz", "Authorization", auth), 400, "invalid_request");
    }
}
