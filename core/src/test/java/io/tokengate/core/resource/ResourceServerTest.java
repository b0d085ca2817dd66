package io.tokengate.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tokengate.core.TokenGate;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.Handoff;
import io.tokengate.core.refresh.InMemoryRefreshTokenStore;
import io.tokengate.core.support.EndpointFixture;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.FailureReason;
import io.tokengate.core.validation.ValidationResult;

/**
 * A resource server trusting a TokenGate issuer that runs in this JVM behind a loopback HTTP server (metadata, JWKS
 * and revocation feed served by the issuer's own core endpoints): what the issuer revokes or retires is refused at
 * the resource server within the poll interval plus a second, new keys are accepted at once, a stopped issuer leaves
 * validation running on cached keys and then fails closed, and a feed reader without the right credentials gets
 * nothing.
 */
class ResourceServerTest {
    private static final Duration WITHIN = Duration.ofSeconds(2); // the default poll interval (1 s) plus a second

    @TempDir
    Path dir;
    private HttpServer http;
    private String issuerUrl;
    private TokenGate issuer;
    private final List<ResourceServer> started = new ArrayList<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger notModified = new AtomicInteger();
    private volatile String metadataIssuer;

    @BeforeEach
    void startIssuer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newFixedThreadPool(4));
        issuerUrl = "http://127.0.0.1:" + http.getAddress().getPort();
        metadataIssuer = issuerUrl;
        Map<String, String> settings = new HashMap<>();
        settings.put("tokengate.issuer", issuerUrl);
        settings.put("tokengate.keys.directory", dir.resolve("issuer-keys").toString());
        issuer = TokenGate.builder(SettingsSource.of(settings)).store(new InMemoryRefreshTokenStore())
                .clients(List.of(ClientRegistration.builder("spa").type(ClientType.PUBLIC).grants(GrantType.REFRESH_TOKEN).build(),
                        ClientRegistration.builder("orders-api").secret("feed-secret").grants(Set.of()).revocationFeed(true).build(),
                        ClientRegistration.builder("billing").secret("billing-secret").grants(GrantType.CLIENT_CREDENTIALS).build()))
                .build();
        AuthorizationServerMetadata.Paths paths = new AuthorizationServerMetadata.Paths("/oauth/token", "/oauth/revoke",
                "/oauth/introspect", "/oauth/jwks", "/oauth/revocation-feed");
        serve("/.well-known/oauth-authorization-server", e -> new EndpointResponse(200, Map.of("Content-Type", "application/json"),
                issuer.metadataJson(paths).replace("\"issuer\":\"" + issuerUrl + "\"", "\"issuer\":\"" + metadataIssuer + "\""), null, null));
        serve("/oauth/jwks", e -> new EndpointResponse(200, Map.of("Content-Type", "application/jwk-set+json",
                "Cache-Control", "public, max-age=300"), issuer.jwksJson(), null, null));
        serve("/oauth/revocation-feed", e -> {
            EndpointRequest.Builder b = EndpointRequest.builder(e.getRequestMethod());
            for (String h : List.of("Authorization", "If-None-Match")) {
                if (e.getRequestHeaders().getFirst(h) != null) {
                    b.header(h, e.getRequestHeaders().getFirst(h));
                }
            }
            String query = e.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("cursor=")) {
                b.param("cursor", java.net.URLDecoder.decode(query.substring(7), StandardCharsets.UTF_8));
            }
            return issuer.revocationFeedEndpoint().read(b.build());
        });
        http.start();
    }

    interface Answer {
        EndpointResponse answer(HttpExchange exchange) throws IOException;
    }

    private void serve(String path, Answer answer) {
        http.createContext(path, exchange -> {
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            EndpointResponse r = answer.answer(exchange);
            if (r.status() == 304) {
                notModified.incrementAndGet();
            }
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), r.status() == 304 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    @AfterEach
    void stop() {
        started.forEach(ResourceServer::close);
        http.stop(0);
    }

    private Map<String, String> resourceServerSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("tokengate.issuer", issuerUrl);
        s.put("tokengate.keys.source", "issuer");
        s.put("tokengate.revocation-feed-client", "orders-api");
        s.put("tokengate.revocation-feed-secret", "feed-secret");
        return s;
    }

    private ResourceServer start(Map<String, String> settings) {
        ResourceServer rs = ResourceServer.create(SettingsSource.of(settings), Clock.systemUTC());
        started.add(rs);
        return rs.start();
    }

    private String token(String subject) {
        return issuer.issuer().issue(AccessTokenRequest.builder(subject, "spa").build()).value();
    }

    private static FailureReason reason(ValidationResult r) {
        return r instanceof ValidationResult.Invalid i ? i.reason() : null;
    }

    /** Waits (at most {@code within}) until {@code condition} holds; fails naming what was awaited. */
    private static void eventually(Duration within, String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void anAccessTokenRevokedAtTheIssuerIsRefusedWithinThePollIntervalPlusASecond() throws Exception {
        ResourceServer rs = start(resourceServerSettings());
        String token = token("alice");
        ValidationResult ok = rs.validator().validate(token);
        assertTrue(ok.isValid(), String.valueOf(reason(ok)));
        assertTrue(requests.get("/.well-known/oauth-authorization-server").get() >= 1, "found through the RFC 8414 metadata");

        AccessTokenPrincipal p = ok.principal().orElseThrow();
        issuer.revocation().revokeAccessToken(p.jti(), p.expiresAt());
        eventually(WITHIN, "the revoked token refused", () -> reason(rs.validator().validate(token)) == FailureReason.REVOKED);
        assertTrue(rs.validator().validate(token("alice")).isValid(), "another token of the same user is not concerned");
    }

    @Test
    void signOutEverywhereAtTheIssuerReachesTheResourceServer() throws Exception {
        ResourceServer rs = start(resourceServerSettings());
        Map<String, Object> grant = EndpointFixture.json(issuer.handoff().issue(new Handoff.Request("spa", "bob", Set.of(),
                null, null, null, null)));
        String token = (String) grant.get("access_token");
        String other = token("carol");
        assertTrue(rs.validator().validate(token).isValid());
        issuer.refreshTokens().revokeSubject("bob", "bob");
        eventually(WITHIN, "bob's token refused", () -> reason(rs.validator().validate(token)) == FailureReason.REVOKED);
        assertTrue(rs.validator().validate(other).isValid(), "carol signed nothing out");
    }

    @Test
    void newKeysAreAcceptedAtOnceAndARetiredKeysTokensAreRefusedAfterTheNextPoll() throws Exception {
        Map<String, String> settings = resourceServerSettings();
        settings.put("tokengate.jwks-min-refresh", "PT1S");
        ResourceServer rs = start(settings);
        String oldKid = issuer.keyRing().current().active().kid();
        String oldToken = token("alice");
        assertTrue(rs.validator().validate(oldToken).isValid());
        Thread.sleep(1100); // past the least time between fetches since the start's
        issuer.rotateKeys();
        issuer.rotateKeys();
        String newKid = issuer.keyRing().current().active().kid();
        assertTrue(!newKid.equals(oldKid));
        ValidationResult fresh = rs.validator().validate(token("alice"));
        assertTrue(fresh.isValid(), "signed by a key the cached set (max-age 300) lacks: " + reason(fresh));
        assertTrue(rs.validator().validate(oldToken).isValid(), "the previous key still verifies until it is retired");

        issuer.retireKey(oldKid);
        eventually(WITHIN, "the retired key's token refused",
                () -> reason(rs.validator().validate(oldToken)) == FailureReason.UNKNOWN_KEY);
        assertTrue(rs.validator().validate(token("alice")).isValid());
    }

    @Test
    void aStoppedIssuerLeavesValidationOnCachedKeysAndThenFailsClosedAfterTheMaximumStaleness() throws Exception {
        Map<String, String> settings = resourceServerSettings();
        settings.put("tokengate.revocation-poll-interval", "PT0.2S");
        settings.put("tokengate.revocation-max-staleness", "PT1.5S");
        ResourceServer rs = start(settings);
        String token = token("alice");
        assertTrue(rs.validator().validate(token).isValid());
        http.stop(0);
        long stopped = System.nanoTime();
        assertTrue(rs.validator().validate(token).isValid(), "the issuer is away: cached keys and the last feed go on");
        eventually(Duration.ofSeconds(5), "fail closed",
                () -> reason(rs.validator().validate(token)) == FailureReason.REVOCATION_UNAVAILABLE);
        assertTrue(System.nanoTime() - stopped >= Duration.ofMillis(1400).toNanos(), "not before the maximum staleness");
    }

    @Test
    void withWhenStaleAcceptTokensAreStillAcceptedWhileTheFeedIsAway() throws Exception {
        Map<String, String> settings = resourceServerSettings();
        settings.put("tokengate.revocation-poll-interval", "PT0.2S");
        settings.put("tokengate.revocation-max-staleness", "PT0.5S");
        settings.put("tokengate.revocation-when-stale", "accept");
        ResourceServer rs = start(settings);
        String token = token("alice");
        http.stop(0);
        Thread.sleep(1200);
        assertTrue(rs.validator().validate(token).isValid());
    }

    @Test
    void aFeedReaderWithoutTheRightCredentialsGetsNothingAndTheResourceServerRefusesRatherThanTrustBlindly() throws Exception {
        for (String[] credentials : new String[][] {{"orders-api", "wrong"}, {"nobody", "x"}, {"billing", "billing-secret"}}) {
            Map<String, String> settings = resourceServerSettings();
            settings.put("tokengate.revocation-feed-client", credentials[0]);
            settings.put("tokengate.revocation-feed-secret", credentials[1]);
            ResourceServer rs = start(settings);
            assertEquals(FailureReason.REVOCATION_UNAVAILABLE, reason(rs.validator().validate(token("alice"))), credentials[0]);
        }
    }

    @Test
    void anIdleFeedIsReadWithConditionalRequests() throws Exception {
        Map<String, String> settings = resourceServerSettings();
        settings.put("tokengate.revocation-poll-interval", "PT0.1S");
        ResourceServer rs = start(settings);
        int before = requests.get("/oauth/revocation-feed").get();
        Thread.sleep(600);
        int polls = requests.get("/oauth/revocation-feed").get() - before;
        assertTrue(polls >= 3, "polled every interval: " + polls);
        assertTrue(notModified.get() >= polls - 1, "an idle feed answers 304: " + notModified.get() + " of " + polls);
        assertTrue(rs.validator().validate(token("alice")).isValid());
    }

    @Test
    void theMetadataOfAnotherIssuerIsRefusedAndNoKeyIsTrusted() throws Exception {
        metadataIssuer = "https://impostor.example";
        ResourceServer rs = start(resourceServerSettings());
        assertEquals(FailureReason.UNKNOWN_KEY, reason(rs.validator().validate(token("alice"))));
    }

    @Test
    void explicitUrlsNeedNoMetadataAndWithoutAFeedTokensAreCheckedByExpiryAlone() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("tokengate.issuer", issuerUrl);
        settings.put("tokengate.keys.source", "issuer");
        settings.put("tokengate.jwks-uri", issuerUrl + "/oauth/jwks");
        ResourceServer rs = start(settings);
        String token = token("alice");
        assertTrue(rs.validator().validate(token).isValid());
        assertEquals(null, requests.get("/.well-known/oauth-authorization-server"));
    }

    @Test
    void badSettingsNameTheirKey() {
        Map<String, String> s = resourceServerSettings();
        s.put("tokengate.jwks-uri", "http://issuer.example/jwks");
        assertEquals("tokengate.jwks-uri", assertThrows(ConfigurationException.class,
                () -> ResourceServer.create(SettingsSource.of(s), Clock.systemUTC())).key());
        Map<String, String> t = resourceServerSettings();
        t.put("tokengate.revocation-when-stale", "maybe");
        assertEquals("tokengate.revocation-when-stale", assertThrows(ConfigurationException.class,
                () -> ResourceServer.create(SettingsSource.of(t), Clock.systemUTC())).key());
        Map<String, String> u = resourceServerSettings();
        u.remove("tokengate.revocation-feed-secret");
        assertEquals("tokengate.revocation-feed-secret", assertThrows(ConfigurationException.class,
                () -> ResourceServer.create(SettingsSource.of(u), Clock.systemUTC())).key());
        Map<String, String> v = resourceServerSettings();
        v.put("tokengate.revocation-max-staleness", "PT0.5S");
        assertEquals("tokengate.revocation-max-staleness", assertThrows(ConfigurationException.class,
                () -> ResourceServer.create(SettingsSource.of(v), Clock.systemUTC())).key());
    }

    @Test
    void metadataIsLookedUpWhereRfc8414PutsItThenUnderTheIssuersPath() {
        assertEquals(List.of(java.net.URI.create("https://login.example/.well-known/oauth-authorization-server/app"),
                java.net.URI.create("https://login.example/app/.well-known/oauth-authorization-server")),
                IssuerMetadata.locations("https://login.example/app"));
        assertEquals(List.of(java.net.URI.create("https://login.example/.well-known/oauth-authorization-server")),
                IssuerMetadata.locations("https://login.example"));
    }
}
