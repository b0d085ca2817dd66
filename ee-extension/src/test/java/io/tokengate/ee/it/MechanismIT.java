package io.tokengate.ee.it;

import static io.tokengate.ee.it.Http.assertRfcError;
import static io.tokengate.ee.it.Http.basic;
import static io.tokengate.ee.it.Http.bearer;
import static io.tokengate.ee.it.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
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

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokengate.core.client.ClientSecrets;
import io.tokengate.ee.EeHost;
import io.tokengate.ee.it.mech.MechanismApp;
import io.tokengate.servlet.it.Wars;

/**
 * A CDI application that makes TokenGate its Jakarta Security mechanism with {@code @TokenGateDefinition}, on
 * Payara Micro with the server's default (H2) datasource: the container APIs see the caller, the password grant
 * goes through the application's identity store, events arrive as CDI events, admins manage devices and keys,
 * cleanup runs on schedule.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MechanismIT {

    /** Both schemes a resource accepts (RFC 6750 §3, RFC 9449 §7.1), DPoP with its allowed algorithms. */
    private static final String CHALLENGE = "Bearer realm=\"tokengate\", DPoP realm=\"tokengate\", algs=\"RS256 PS256 ES256 EdDSA\"";
    static final String ISSUER = "http://localhost:8080/mechanism";

    @Deployment(testable = false)
    static WebArchive war() throws Exception {
        Path work = Wars.work("mechanism");
        Files.createDirectories(work);
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=" + ClientSecrets.digest("demo-secret"),
                "client.demo-client.grants=password refresh_token",
                "client.demo-client.scopes=read write",
                "client.no-retry.secret-sha256=" + ClientSecrets.digest("no-retry-secret"),
                "client.no-retry.grants=password refresh_token",
                "client.no-retry.scopes=read",
                "client.no-retry.retry-window=0",
                "client.mech-app.type=public",
                "client.mech-app.grants=authorization_code refresh_token",
                "client.mech-app.redirect-uris=https://mech.example/callback",
                "client.mech-app.first-party=true", ""));
        String webXml = Wars.webXml(Wars.param("tokengate.issuer", ISSUER)
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.clients", clients.toString())
                + Wars.param("tokengate.required-scopes", "/api/scoped=write")
                + Wars.param("tokengate.login-page", "/custom-login"));
        return Wars.war("mechanism", webXml).addAsLibraries(Wars.jarOf(EeHost.class, "tokengate-ee-extension.jar"))
                .addPackage(MechanismApp.class.getPackage()).addClass(TestIdentityStore.class);
    }

    @ArquillianResource
    URL deployment;

    private Http http() {
        return Http.of(deployment);
    }

    private String aliceToken() throws Exception {
        return (String) http().password("demo-client", "demo-secret", "alice", "alice-password").get("access_token");
    }

    // ------------------------------------------------------------ 1. the mechanism and the container APIs

    @Test
    void aBearerTokenMakesTheCallerKnownToSecurityContextServletsJaxRsAndEjb() throws Exception {
        String token = aliceToken();
        HttpResponse<String> who = http().get("/who", "Authorization", bearer(token));
        assertEquals(200, who.statusCode(), who.body());
        assertTrue(who.headers().allValues("Set-Cookie").isEmpty(), "stateless: no session is created " + who.headers().allValues("Set-Cookie"));
        Map<String, Object> m = json(who);
        assertEquals("alice", m.get("caller"), "SecurityContext.getCallerPrincipal()");
        assertEquals(true, m.get("securityContextInRoleUser"), "SecurityContext.isCallerInRole");
        assertEquals(false, m.get("securityContextInRoleAdmin"));
        assertEquals(true, m.get("requestInRoleUser"), "HttpServletRequest.isUserInRole");
        assertEquals(false, m.get("requestInRoleAdmin"));
        assertEquals("alice", m.get("remoteUser"));
        assertEquals("alice", m.get("ejbCaller"), "@RolesAllowed on an EJB let the caller in");
        assertEquals(false, m.get("ejbMayAdminister"), "@RolesAllowed on an EJB keeps a non-admin out");

        HttpResponse<String> secret = http().get("/api/secret", "Authorization", bearer(token));
        assertEquals(200, secret.statusCode(), secret.body());
        assertEquals("Secret area for alice", secret.body(), "@RolesAllowed on JAX-RS");
        assertEquals(403, http().get("/api/admin-only", "Authorization", bearer(token)).statusCode(), "@RolesAllowed keeps alice out");
    }

    @Test
    void theGroupsClaimComesFromTheIdentityStoreAndGrantsTheRoles() throws Exception {
        Map<String, Object> tokens = http().password("demo-client", "demo-secret", "admin", "admin-password");
        String token = (String) tokens.get("access_token");
        Map<String, Object> claims = Http.claims(token);
        assertEquals("admin", claims.get("sub"));
        assertEquals(Set.of("user", "tokengate-admin"), new HashSet<>((List<?>) claims.get("groups")));
        assertEquals(ISSUER, claims.get("iss"), "the context-param wins over the annotation's default");
        Map<String, Object> who = json(http().get("/who", "Authorization", bearer(token)));
        assertEquals(true, who.get("requestInRoleAdmin"));
        assertEquals(true, who.get("ejbMayAdminister"));
        assertEquals(200, http().get("/api/admin-only", "Authorization", bearer(token)).statusCode());
    }

    @Test
    void thePasswordGrantRefusesWhatTheIdentityStoreRefuses() throws Exception {
        HttpResponse<String> r = http().post("/oauth/token", "grant_type=password&username=alice&password=wrong",
                "Authorization", basic("demo-client", "demo-secret"));
        assertRfcError(r, 400, "invalid_grant");
        assertRfcError(http().post("/oauth/token", "grant_type=password&username=mallory&password=x",
                "Authorization", basic("demo-client", "demo-secret")), 400, "invalid_grant");
    }

    @Test
    void noTokenOnAProtectedResourceIsA401Challenge() throws Exception {
        HttpResponse<String> r = http().get("/who");
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(CHALLENGE, r.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertFalse(r.body().contains("<html"), "no HTML error page: " + r.body());
        HttpResponse<String> jaxrs = http().get("/api/secret");
        assertEquals(401, jaxrs.statusCode(), "an anonymous call to a @RolesAllowed JAX-RS method: " + jaxrs.body());
        assertEquals(CHALLENGE, jaxrs.headers().firstValue("WWW-Authenticate").orElse("none"), jaxrs.headers().map().toString());
        assertFalse(jaxrs.body().contains("<html"), jaxrs.body());
    }

    @Test
    void anUnprotectedResourceServesAnonymousCallersAndKnowsTokenCallers() throws Exception {
        assertEquals("Public page for anonymous", http().get("/api/public").body());
        assertEquals("Public page for alice", http().get("/api/public", "Authorization", bearer(aliceToken())).body());
    }

    @Test
    void aBadTokenIsRefusedWithAnRfc6750ErrorEvenOnAnUnprotectedResource() throws Exception {
        String token = aliceToken();
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        for (String path : List.of("/who", "/api/public")) {
            HttpResponse<String> r = http().get(path, "Authorization", bearer(forged));
            assertRfcError(r, 401, "invalid_token");
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));
        }
        assertRfcError(http().get("/who", "Authorization", "Bearer a b"), 400, "invalid_request");
        assertRfcError(http().get("/who", "Authorization", bearer(token), "Authorization", bearer(token)), 400, "invalid_request");
    }

    @Test
    void aRequiredScopeRuleProtectsAResourceEvenFromAnonymousCallers() throws Exception {
        HttpResponse<String> anonymous = http().get("/api/scoped");
        assertEquals(401, anonymous.statusCode(), "a scope-ruled path needs a token: " + anonymous.body());
        assertEquals(CHALLENGE, anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("Scoped area for alice", http().get("/api/scoped", "Authorization", bearer(aliceToken())).body());
        HttpResponse<String> narrow = http().post("/oauth/token", "grant_type=password&username=alice&password=alice-password&scope=read",
                "Authorization", basic("demo-client", "demo-secret"));
        HttpResponse<String> r = http().get("/api/scoped", "Authorization", bearer((String) json(narrow).get("access_token")));
        assertRfcError(r, 403, "insufficient_scope");
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().contains("scope=\"write\""));
    }

    /** RFC 6749 §5.2: a bad client credential at the token endpoint is the endpoint's invalid_client, not the mechanism's invalid_token. */
    @Test
    void theMechanismLeavesTheOAuthEndpointsToThemselves() throws Exception {
        HttpResponse<String> bearer = http().post("/oauth/token", "grant_type=refresh_token&refresh_token=x", "Authorization", "Bearer abc");
        assertRfcError(bearer, 401, "invalid_client");
        assertTrue(bearer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), bearer.headers().map().toString());
        HttpResponse<String> twoBasic = http().post("/oauth/token", "grant_type=refresh_token&refresh_token=x",
                "Authorization", basic("demo-client", "demo-secret"), "Authorization", basic("demo-client", "demo-secret"));
        assertRfcError(twoBasic, 400, "invalid_request");
        assertEquals("Only one Authorization header is allowed", json(twoBasic).get("error_description"));
        assertRfcError(http().post("/oauth/revoke", "token=x", "Authorization", "Bearer abc"), 401, "invalid_client");
        assertRfcError(http().post("/oauth/introspect", "token=x", "Authorization", "Bearer abc"), 401, "invalid_client");
        assertEquals(200, http().get("/oauth/jwks", "Authorization", "Bearer abc").statusCode(), "the JWKS is public");
    }

    @Test
    void theHandOffIsNotServedWhenTokenGateIsTheMechanism() throws Exception {
        HttpResponse<String> r = http().post("/oauth/handoff", "client_id=demo-client", "Authorization", bearer(aliceToken()),
                "Origin", "http://localhost:8080", "X-TokenGate-Refresh", "1");
        assertEquals(404, r.statusCode(), "a bearer token must not mint a new refresh-token family: " + r.body());
    }

    // ------------------------------------------------------------ 9. concurrency over HTTP

    @Test
    void concurrentRefreshesOfOneTokenOverHttpGiveExactlyOneSuccessor() throws Exception {
        String refresh = (String) http().password("demo-client", "demo-secret", "alice", "alice-password").get("refresh_token");
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<HttpResponse<String>> call = () -> {
                start.await();
                return http().refresh("demo-client", "demo-secret", refresh);
            };
            results.add(pool.submit(call));
        }
        start.countDown();
        Set<String> successors = new HashSet<>();
        for (Future<HttpResponse<String>> f : results) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), "a concurrent duplicate inside the retry window is answered, not punished: " + r.body());
            successors.add((String) json(r).get("refresh_token"));
        }
        pool.shutdown();
        assertEquals(1, successors.size(), "exactly one successor: " + successors);
        String successor = successors.iterator().next();
        assertNotEquals(refresh, successor);
        assertEquals(200, http().refresh("demo-client", "demo-secret", successor).statusCode(), "the one successor works");
    }

    // ------------------------------------------------------------ 6. CDI events

    @Test
    void issuedRefreshedReuseDetectedAndRevokedArriveAsCdiEvents() throws Exception {
        Map<String, Object> tokens = http().password("no-retry", "no-retry-secret", "alice", "alice-password");
        String first = (String) tokens.get("refresh_token");
        HttpResponse<String> refreshed = http().refresh("no-retry", "no-retry-secret", first);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        String family = (String) Http.claims((String) json(refreshed).get("access_token")).get("sid");
        assertRfcError(http().refresh("no-retry", "no-retry-secret", first), 400, "invalid_grant"); // replay: reuse
        String events = http().get("/test/events").body();
        assertTrue(events.lines().anyMatch(l -> l.startsWith("Issued ") && l.contains(family)), events);
        assertTrue(events.lines().anyMatch(l -> l.startsWith("Refreshed ") && l.contains(family)), events);
        assertTrue(events.lines().anyMatch(l -> l.startsWith("ReuseDetected ") && l.contains(family)), events);
        assertTrue(events.contains("observed-specifically ReuseDetected " + family), "an observer of one event type gets it: " + events);
        Map<String, Object> other = http().password("demo-client", "demo-secret", "alice", "alice-password");
        String otherFamily = (String) Http.claims((String) other.get("access_token")).get("sid");
        assertEquals(200, http().post("/oauth/revoke", "token=" + other.get("refresh_token"), "Authorization",
                basic("demo-client", "demo-secret")).statusCode());
        assertTrue(http().get("/test/events").body().lines().anyMatch(l -> l.startsWith("Revoked ") && l.contains(otherFamily)),
                "a revocation arrives as a Revoked event");
        assertFalse(http().get("/test/events").body().contains((String) other.get("refresh_token")), "events carry no token values");
    }

    // ------------------------------------------------------------ 8. administration

    private String adminToken() throws Exception {
        return (String) http().password("demo-client", "demo-secret", "admin", "admin-password").get("access_token");
    }

    @Test
    void adminListsAUsersDevicesRevokesOneAndThenEverything() throws Exception {
        Map<String, Object> phone = http().password("demo-client", "demo-secret", "alice", "alice-password");
        Map<String, Object> laptop = http().password("demo-client", "demo-secret", "alice", "alice-password");
        String phoneFamily = (String) Http.claims((String) phone.get("access_token")).get("sid");
        String admin = adminToken();

        HttpResponse<String> list = http().get("/tokengate/admin/families?subject=alice", "Authorization", bearer(admin));
        assertEquals(200, list.statusCode(), list.body());
        List<?> families = (List<?>) json(list).get("families");
        Map<?, ?> entry = families.stream().map(f -> (Map<?, ?>) f).filter(f -> phoneFamily.equals(f.get("family_id"))).findFirst().orElseThrow();
        assertEquals("demo-client", entry.get("client_id"));
        assertEquals("TokenGate-IT/1", entry.get("user_agent"));
        assertEquals("127.0.0.1", entry.get("remote_address"));
        assertEquals("active", entry.get("state"));
        assertTrue(entry.get("created_at") != null && entry.get("last_used_at") != null);

        HttpResponse<String> one = http().post("/tokengate/admin/revoke-family", "family_id=" + phoneFamily, "Authorization", bearer(admin));
        assertEquals(200, one.statusCode(), one.body());
        assertRfcError(http().refresh("demo-client", "demo-secret", (String) phone.get("refresh_token")), 400, "invalid_grant");
        assertEquals(401, http().get("/who", "Authorization", bearer((String) phone.get("access_token"))).statusCode(),
                "the revoked device's live access token is cut");
        assertEquals(200, http().get("/who", "Authorization", bearer((String) laptop.get("access_token"))).statusCode(),
                "the other device is untouched");

        HttpResponse<String> all = http().post("/tokengate/admin/revoke-subject", "subject=alice", "Authorization", bearer(admin));
        assertEquals(200, all.statusCode(), all.body());
        assertRfcError(http().refresh("demo-client", "demo-secret", (String) laptop.get("refresh_token")), 400, "invalid_grant");
        assertEquals(401, http().get("/who", "Authorization", bearer((String) laptop.get("access_token"))).statusCode());
        assertEquals(200, http().get("/who", "Authorization", bearer(aliceToken())).statusCode(), "signing in again works");
    }

    @Test
    void administrationIsForTokengateAdminsOnly() throws Exception {
        assertEquals(401, http().get("/tokengate/admin/families?subject=alice").statusCode());
        assertEquals(403, http().get("/tokengate/admin/families?subject=alice", "Authorization", bearer(aliceToken())).statusCode());
        assertEquals(403, http().post("/tokengate/admin/keys/rotate", "", "Authorization", bearer(aliceToken())).statusCode());
    }

    @Test
    void adminRotatesTheSigningKeysAndRetiresTheOldOne() throws Exception {
        String admin = adminToken();
        String before = aliceToken();
        String oldKid = (String) Http.header(before).get("kid");
        HttpResponse<String> listed = http().get("/tokengate/admin/keys", "Authorization", bearer(admin));
        assertEquals("active", ((Map<?, ?>) json(listed).get("keys")).get(oldKid), listed.body());
        HttpResponse<String> rotated = http().post("/tokengate/admin/keys/rotate", "", "Authorization", bearer(admin));
        assertEquals(200, rotated.statusCode(), rotated.body());
        Map<?, ?> keys = (Map<?, ?>) json(rotated).get("keys");
        assertEquals("previous", keys.get(oldKid), rotated.body());
        String after = aliceToken();
        String newKid = (String) Http.header(after).get("kid");
        assertNotEquals(oldKid, newKid, "new tokens are signed by the new key");
        assertEquals("active", keys.get(newKid));
        assertEquals(200, http().get("/who", "Authorization", bearer(before)).statusCode(), "tokens of the previous key still verify");
        assertTrue(http().get("/oauth/jwks").body().contains(oldKid));

        HttpResponse<String> retired = http().post("/tokengate/admin/keys/retire", "kid=" + oldKid, "Authorization", bearer(after));
        assertEquals(403, retired.statusCode(), "alice may not");
        retired = http().post("/tokengate/admin/keys/retire", "kid=" + oldKid, "Authorization", bearer(adminToken()));
        assertEquals(200, retired.statusCode(), retired.body());
        assertTrue(Wars.serverLog().contains("TG-0416 admin:admin retired key " + oldKid), "the retirement is logged with the admin's name");
        assertRfcError(http().get("/who", "Authorization", bearer(before)), 401, "invalid_token");
        assertFalse(http().get("/oauth/jwks").body().contains(oldKid), "a retired key is no longer published");
        assertEquals(200, http().get("/who", "Authorization", bearer(after)).statusCode());
        assertRfcError(http().post("/tokengate/admin/keys/retire", "kid=no-such-key", "Authorization", bearer(adminToken())), 409,
                "invalid_request");
    }

    // ------------------------------------------------------------ 5. cleanup

    @Test
    void theScheduledCleanupDeletesRevokedFamiliesOnceTheirKeepTimeIsOver() throws Exception {
        Map<String, Object> tokens = http().password("demo-client", "demo-secret", "alice", "alice-password");
        String family = (String) Http.claims((String) tokens.get("access_token")).get("sid");
        assertEquals(200, http().post("/oauth/revoke", "token=" + tokens.get("refresh_token"), "Authorization",
                basic("demo-client", "demo-secret")).statusCode());
        String admin = adminToken();
        assertTrue(http().get("/tokengate/admin/families?subject=alice", "Authorization", bearer(admin)).body().contains(family),
                "kept at first (tokengate.cleanup-keep-revoked=PT3S), so a replay is still recognised");
        long deadline = System.currentTimeMillis() + 15_000;
        while (http().get("/tokengate/admin/families?subject=alice", "Authorization", bearer(admin)).body().contains(family)) {
            assertTrue(System.currentTimeMillis() < deadline, "the cleanup (every second) should have deleted family " + family);
            Thread.sleep(250);
        }
        assertTrue(http().get("/test/events").body().contains("CleanedUp"), "the cleanup reported itself as an event");
    }

    // ------------------------------------------------------------ 7. start-up log lines

    @Test
    void theStartUpSaysWhichMechanismAndWhichRevocationRegistry() throws Exception {
        String log = Wars.serverLog();
        assertTrue(log.contains("TG-0400 TokenGate is the authentication mechanism of /mechanism"), "activation is logged");
        assertTrue(log.contains("TG-0401 revocations of /mechanism are shared by the cluster through JCache cache tokengate-revocation-"),
                "Payara Micro publishes its JCache cache manager (a one-member cluster here): the registry uses it and says so");
    }

    @Test
    void theApplicationsOwnHtmlReplacesTokenGatesLoginPageAndTokenGateStillChecksThePost() throws Exception {
        java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        String base = deployment.toString().replaceAll("/$", "");
        String verifier = "mech-app-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-01234";
        String authorize = base + "/oauth/authorize?response_type=code&client_id=mech-app&state=m&code_challenge_method=S256"
                + "&redirect_uri=https%3A%2F%2Fmech.example%2Fcallback&code_challenge=" + io.tokengate.core.authorize.Pkce.challengeOf(verifier);
        java.net.http.HttpResponse<String> start = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(authorize)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(303, start.statusCode(), start.body());
        String login = base + "/oauth/login";
        java.net.http.HttpResponse<String> page = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(login)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().startsWith("<h1>Shop sign-in</h1>"), "the application's page: " + page.body());
        assertTrue(page.body().contains("action=\"/mechanism/oauth/login\""), page.body());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null), "still never framed");
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csrf.find(), page.body());

        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> post = (token, password) -> {
            try {
                return browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(login)).header("Origin", "http://localhost:8080")
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "csrf=" + token + "&username=alice&password=" + password)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertEquals(400, post.apply("forged", "alice-password").statusCode(), "TokenGate checks the CSRF token of the application's form");
        java.net.http.HttpResponse<String> wrong = post.apply(csrf.group(1), "guess");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("<p class=\"error\">The username or password is incorrect</p>"), "the error attribute: " + wrong.body());
        java.net.http.HttpResponse<String> ok = post.apply(csrf.group(1), "alice-password");
        assertEquals(303, ok.statusCode(), ok.body());
        java.net.http.HttpResponse<String> granted = browser.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + ok.headers().firstValue("Location").orElseThrow().substring("/mechanism".length()))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(302, granted.statusCode(), granted.body());
        assertTrue(granted.headers().firstValue("Location").orElseThrow().startsWith("https://mech.example/callback?code="));
    }
}
