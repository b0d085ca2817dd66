package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengate.core.authorize.Pkce;
import io.tokengate.core.support.DPoPKey;
import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * The authorization endpoint of the sample as shipped (TokenGate as its mechanism, so TokenGate's own login page), from
 * a native app's side and an attacker's: the login and consent forms, their CSRF defence and clickjacking headers,
 * errors shown rather than redirected to an unregistered URI, a code for DPoP-bound tokens, a replayed code, a stolen
 * bound token without its key.
 */
class SampleAuthorizationIT {
    private static final String VERIFIER = "native-app-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    private static final String LOOPBACK = "http://127.0.0.1:51234/callback"; // registered on port 8765: any port is fine
    static PayaraProcess server;
    static String base;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final DPoPKey key = new DPoPKey();

    @BeforeAll
    static void start() throws Exception {
        Path work = Wars.freshWork("sample-authorization");
        int port = PayaraProcess.freePort();
        base = "http://localhost:" + port;
        server = SampleServer.start("sample-authorization", work, port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(pathAndQuery.startsWith("http") ? pathAndQuery : base + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String origin, String... form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return browser.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(String proof, String... form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/oauth/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (proof != null) {
            b.header("DPoP", proof);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            s.append(s.length() == 0 ? "" : "&").append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    private static String authorizeQuery(String clientId, String redirectUri, String state) {
        return "/oauth/authorize?" + form("response_type", "code", "client_id", clientId, "redirect_uri", redirectUri, "state", state,
                "code_challenge", Pkce.challengeOf(VERIFIER), "code_challenge_method", "S256");
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no hidden " + name + " in " + html);
        return m.group(1);
    }

    private static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void assertFramingRefused(HttpResponse<String> r) {
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), "clickjacking: " + r.headers().map());
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    }

    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JsonUtil.parseJson(r.body());
    }

    /** Signs alice in on TokenGate's login page, starting from an authorization request; returns where the login sends her. */
    private String signIn(String authorizeQuery) throws Exception {
        HttpResponse<String> start = get(authorizeQuery);
        assertEquals(303, start.statusCode(), start.body());
        assertEquals("/oauth/login", start.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> page = get("/oauth/login");
        assertEquals(200, page.statusCode());
        assertFramingRefused(page);
        assertTrue(page.body().contains("name=\"username\"") && page.body().contains("name=\"password\""), page.body());
        String csrf = hidden(page.body(), "csrf");

        assertEquals(400, post("/oauth/login", null, "csrf", csrf, "username", "alice", "password", "alice-password").statusCode(),
                "a login post without Origin");
        assertEquals(400, post("/oauth/login", "https://evil.example", "csrf", csrf, "username", "alice", "password", "alice-password")
                .statusCode(), "login CSRF from another site");
        assertEquals(400, post("/oauth/login", base, "csrf", "forged", "username", "alice", "password", "alice-password").statusCode());
        HttpResponse<String> wrong = post("/oauth/login", base, "csrf", csrf, "username", "alice", "password", "guess");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("The username or password is incorrect"));
        HttpResponse<String> ok = post("/oauth/login", base, "csrf", hidden(wrong.body(), "csrf"), "username", "alice", "password", "alice-password");
        assertEquals(303, ok.statusCode(), ok.body());
        return ok.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void aNativeAppGetsDpopBoundTokensThroughLoginAndConsentAndEveryAttackFails() throws Exception {
        Map<String, Object> metadata = json(get("/.well-known/oauth-authorization-server"));
        assertEquals(base + "/oauth/authorize", metadata.get("authorization_endpoint"));
        assertEquals(java.util.List.of("S256"), metadata.get("code_challenge_methods_supported"));
        assertEquals(true, metadata.get("authorization_response_iss_parameter_supported"));
        assertTrue(((java.util.List<?>) metadata.get("dpop_signing_alg_values_supported")).contains("ES256"));

        // an unregistered redirect URI is shown an error page, never redirected to
        HttpResponse<String> evil = get(authorizeQuery("demo-native", "https://evil.example/cb", "s"));
        assertEquals(400, evil.statusCode());
        assertTrue(evil.headers().firstValue("Location").isEmpty());
        assertTrue(evil.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFramingRefused(evil);

        String back = signIn(authorizeQuery("demo-native", LOOPBACK, "st4te"));
        assertEquals(authorizeQuery("demo-native", LOOPBACK, "st4te"), back, "back to the authorization request");
        HttpResponse<String> consent = get(back);
        assertEquals(200, consent.statusCode(), "a third-party client: the user is asked");
        assertFramingRefused(consent);
        assertTrue(consent.body().contains("demo-native"));
        String csrf = hidden(consent.body(), "csrf");
        String request = hidden(consent.body(), "request");
        assertEquals(400, post("/oauth/authorize", "https://evil.example", "csrf", csrf, "request", request, "consent", "approve").statusCode(),
                "consent CSRF from another site");
        assertEquals(400, post("/oauth/authorize", base, "csrf", "forged", "request", request, "consent", "approve").statusCode());
        HttpResponse<String> approved = post("/oauth/authorize", base, "csrf", csrf, "request", request, "consent", "approve");
        assertEquals(302, approved.statusCode(), approved.body());
        String location = approved.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(LOOPBACK + "?code="), location);
        Map<String, String> answer = query(location);
        assertEquals("st4te", answer.get("state"));
        assertEquals(base, answer.get("iss"));
        assertEquals(400, post("/oauth/authorize", base, "csrf", csrf, "request", request, "consent", "approve").statusCode(),
                "a consent is used once");

        // the code, with PKCE and a DPoP proof (the client requires one)
        String tokenUri = base + "/oauth/token";
        assertEquals("invalid_dpop_proof", json(token(null, "grant_type", "authorization_code", "client_id", "demo-native", "code",
                answer.get("code"), "redirect_uri", LOOPBACK, "code_verifier", VERIFIER)).get("error"));
        HttpResponse<String> tokens = token(key.proof("POST", tokenUri, null, Instant.now()), "grant_type", "authorization_code", "client_id",
                "demo-native", "code", answer.get("code"), "redirect_uri", LOOPBACK, "code_verifier", VERIFIER);
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertEquals("DPoP", json(tokens).get("token_type"));
        String access = (String) json(tokens).get("access_token");
        String refresh = (String) json(tokens).get("refresh_token");

        // the resource: only with the key
        String secret = base + "/secret";
        HttpResponse<String> withKey = browser.send(HttpRequest.newBuilder(URI.create(secret)).header("Authorization", "DPoP " + access)
                .header("DPoP", key.proof("GET", secret, access, Instant.now())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withKey.statusCode(), withKey.body());
        HttpResponse<String> downgrade = browser.send(HttpRequest.newBuilder(URI.create(secret)).header("Authorization", "Bearer " + access).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, downgrade.statusCode());
        assertTrue(downgrade.headers().firstValue("WWW-Authenticate").orElse("").startsWith("DPoP "), downgrade.headers().map().toString());
        HttpResponse<String> thief = browser.send(HttpRequest.newBuilder(URI.create(secret)).header("Authorization", "DPoP " + access)
                .header("DPoP", new DPoPKey().proof("GET", secret, access, Instant.now())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, thief.statusCode());
        assertTrue(thief.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_dpop_proof\""));
        HttpResponse<String> anonymous = browser.send(HttpRequest.newBuilder(URI.create(secret)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("DPoP realm="), "the challenge names DPoP");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("algs=\""));

        // the refresh token: only with the key, and a stolen one does not harm the session
        assertEquals(400, token(new DPoPKey().proof("POST", tokenUri, null, Instant.now()), "grant_type", "refresh_token", "client_id",
                "demo-native", "refresh_token", refresh).statusCode());
        HttpResponse<String> refreshed = token(key.proof("POST", tokenUri, null, Instant.now()), "grant_type", "refresh_token", "client_id",
                "demo-native", "refresh_token", refresh);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertEquals("DPoP", json(refreshed).get("token_type"));

        // the code again: refused, and what it issued is revoked
        HttpResponse<String> replay = token(key.proof("POST", tokenUri, null, Instant.now()), "grant_type", "authorization_code", "client_id",
                "demo-native", "code", answer.get("code"), "redirect_uri", LOOPBACK, "code_verifier", VERIFIER);
        assertEquals("invalid_grant", json(replay).get("error"));
        assertEquals("invalid_grant", json(token(key.proof("POST", tokenUri, null, Instant.now()), "grant_type", "refresh_token", "client_id",
                "demo-native", "refresh_token", (String) json(refreshed).get("refresh_token"))).get("error"), "the family was revoked");
        assertTrue(server.log().contains("TG-1012"), "the replay is logged");

        // signed in already: the next request of the session goes straight to consent; denying tells the app
        HttpResponse<String> again = get(authorizeQuery("demo-native", LOOPBACK, "two"));
        assertEquals(200, again.statusCode());
        HttpResponse<String> denied = post("/oauth/authorize", base, "csrf", hidden(again.body(), "csrf"), "request", hidden(again.body(), "request"),
                "consent", "deny");
        Map<String, String> refusal = query(denied.headers().firstValue("Location").orElseThrow());
        assertEquals("access_denied", refusal.get("error"));
        assertEquals("two", refusal.get("state"));
        assertFalse(refusal.containsKey("code"));
    }

    @Test
    void aFirstPartyClientSkipsConsentAndErrorsAfterTheRedirectIsTrustedGoBackToIt() throws Exception {
        String page = base + "/";
        String back = signIn(authorizeQuery("demo-spa", page, "x"));
        HttpResponse<String> direct = get(back);
        assertEquals(302, direct.statusCode(), "first-party: no consent page: " + direct.body());
        assertTrue(direct.headers().firstValue("Location").orElseThrow().startsWith(page + "?code="));
        HttpResponse<String> plain = get(authorizeQuery("demo-spa", page, "y").replace("code_challenge_method=S256", "code_challenge_method=plain"));
        Map<String, String> error = query(plain.headers().firstValue("Location").orElseThrow());
        assertEquals("invalid_request", error.get("error"));
        assertEquals("y", error.get("state"));
        assertEquals(base, error.get("iss"));
    }

    /**
     * Interop: oauth4webapi, a strict client library of another author, as the native app — discovery, code with PKCE
     * through the login and consent pages, DPoP-bound tokens, the resource, a bound refresh; another key is refused and
     * leaves the session working.
     */
    @Test
    void aStrictThirdPartyClientLibraryCompletesCodeWithPkceAndDpopAndABoundRefresh() throws Exception {
        Map<String, Object> seen = OAuth4WebApi.run(base);
        assertEquals(base, seen.get("issuer"), "discovery, with the library's issuer check: " + seen);
        assertEquals(303L, seen.get("authorizeStatus"), "the authorization request went to the login page: " + seen);
        assertEquals(true, seen.get("consentPageShown"), seen.toString());
        assertEquals("http://127.0.0.1:8765/callback", seen.get("callback"), "the registered loopback redirect: " + seen);
        assertEquals("dpop", seen.get("tokenType"), "the library's normalised token_type: " + seen);
        assertEquals(true, seen.get("cnfMatchesKey"), "cnf.jkt is the thumbprint of the library's key: " + seen);
        assertEquals("200 Secret area", seen.get("secret"), seen.toString());
        assertEquals("dpop", seen.get("refreshedTokenType"), seen.toString());
        assertEquals(true, seen.get("rotated"), seen.toString());
        assertEquals("200 Secret area", seen.get("secretAfterRefresh"), seen.toString());
        assertEquals("invalid_grant", seen.get("otherKeyRefresh"), "a refresh with another key: " + seen);
        assertEquals("200 Secret area", seen.get("secretAfterSecondRefresh"), "the key holder is still signed in: " + seen);
    }
}
