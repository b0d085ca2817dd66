package io.tokengate.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctJwkGenerator;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.FailureReason;
import io.tokengate.core.validation.ValidationResult;

/**
 * A resource server's view of another issuer's keys, against a JWKS served on loopback by a small fixture that is
 * not TokenGate (its kids are its own names, not thumbprints): caching as Cache-Control says, a refetch for an
 * unknown kid at most once per interval under a flood, the last good set kept, and the abuse a JWKS URL can bring.
 */
class RemoteKeysTest {
    private static final String ISSUER = "https://any-issuer.example";
    private static PublicJsonWebKey first;
    private static PublicJsonWebKey second;

    private final MutableClock clock = MutableClock.startingAt("2026-12-02T12:00:00Z");
    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<Handler> handler = new AtomicReference<>();

    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    @BeforeEach
    void start() throws Exception {
        synchronized (RemoteKeysTest.class) {
            if (first == null) {
                first = RsaJwkGenerator.generateJwk(2048);
                first.setKeyId("issuer-key-2026-1");
                first.setAlgorithm("RS256");
                second = EcJwkGenerator.generateJwk(EllipticCurves.P256);
                second.setKeyId("issuer-key-2026-2");
                second.setAlgorithm("ES256");
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                handler.get().handle(exchange);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        serve(jwks(first), "max-age=120");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static String jwks(PublicJsonWebKey... keys) {
        return "{\"keys\":[" + List.of(keys).stream().map(k -> k.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
                .collect(Collectors.joining(",")) + "]}";
    }

    private void serve(String body, String cacheControl) {
        handler.set(exchange -> send(exchange, 200, body, cacheControl));
    }

    private static void send(HttpExchange exchange, int status, String body, String cacheControl) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (cacheControl != null) {
            exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Intervals on the test's clock too. */
    private RemoteKeys.Builder builder(String path) {
        return RemoteKeys.builder(url(path)).clock(clock).nanoTime(() -> clock.instant().toEpochMilli() * 1_000_000L);
    }

    private RemoteKeys remote() {
        return builder("/jwks").minRefresh(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(2)).build();
    }

    private AccessTokenValidator validator(RemoteKeys keys) {
        return AccessTokenValidator.builder().keyRing(keys.keyRing()).issuer(ISSUER).audience("orders-api").clock(clock)
                .revocationRegistry(RevocationRegistry.none()).build();
    }

    /** An RFC 9068 access token as any issuer makes it, signed by {@code key} under its kid. */
    private String token(PublicJsonWebKey key, String kid) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience("orders-api");
        claims.setSubject("alice");
        claims.setClaim("client_id", "mobile-app");
        claims.setJwtId(UUID.randomUUID().toString());
        long now = clock.instant().getEpochSecond();
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now + 300));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", "at+jwt");
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }

    @Test
    void aTokenOfAnyRfc9068IssuerIsAcceptedAndTheSetKeptAsLongAsItsMaxAgeSays() throws Exception {
        RemoteKeys keys = remote();
        assertTrue(keys.load());
        assertTrue(validator(keys).validate(token(first, first.getKeyId())).isValid(), "its kid is the issuer's own name");
        clock.advance(Duration.ofSeconds(60));
        assertFalse(keys.refreshIfStale(), "within max-age=120 nothing is fetched");
        clock.advance(Duration.ofSeconds(61));
        assertTrue(keys.refreshIfStale());
        assertEquals(2, requests.get());
    }

    @Test
    void aKeyPublishedAfterTheStartIsAcceptedAtOnceByOneFetch() throws Exception {
        RemoteKeys keys = remote();
        keys.load();
        clock.advance(Duration.ofSeconds(31));
        serve(jwks(first, second), "max-age=300");
        assertTrue(validator(keys).validate(token(second, second.getKeyId())).isValid());
        assertEquals(2, requests.get());
    }

    @Test
    void aKidAnotherRequestsFetchBroughtIsKnownEvenWhileFetchingIsRateLimited() throws Exception {
        RemoteKeys keys = remote();
        keys.load();
        clock.advance(Duration.ofSeconds(31));
        serve(jwks(first, second), "max-age=300");
        assertFalse(keys.keyRing().refreshFor("random-kid"), "this fetch brings the second key, not the random one");
        assertEquals(2, requests.get());
        // a request that looked the second key up in the set before that fetch asks now, within the interval
        assertTrue(keys.keyRing().refreshFor(second.getKeyId()), "answered from the newest set, no fetch needed");
        assertEquals(2, requests.get());
    }

    @Test
    void aFloodOfTokensWithRandomKidsCausesAtMostOneFetchPerInterval() throws Exception {
        RemoteKeys keys = remote();
        keys.load();
        clock.advance(Duration.ofSeconds(31));
        AccessTokenValidator validator = validator(keys);
        String genuine = token(first, first.getKeyId());
        String rest = genuine.substring(genuine.indexOf('.')); // payload and signature: the kid is refused before either is read
        List<String> forged = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"random-" + i + "\"}";
            forged.add(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + rest);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ValidationResult>> results = new ArrayList<>();
            for (String t : forged) {
                results.add(pool.submit(() -> validator.validate(t)));
            }
            for (Future<ValidationResult> r : results) {
                assertEquals(FailureReason.UNKNOWN_KEY, ((ValidationResult.Invalid) r.get(30, TimeUnit.SECONDS)).reason());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, requests.get(), "the start's fetch and one for the whole flood");
        clock.advance(Duration.ofSeconds(31));
        validator.validate(token(first, "random-again"));
        assertEquals(3, requests.get(), "one more once the interval has passed");
    }

    @Test
    void theLastGoodSetStaysWhileTheIssuerFailsAnswersGarbageOrIsGone() throws Exception {
        RemoteKeys keys = remote();
        keys.load();
        AccessTokenValidator validator = validator(keys);
        for (Handler failing : List.<Handler>of(e -> send(e, 500, "oops", null), e -> send(e, 200, "<html>not json</html>", null),
                e -> send(e, 200, "{\"no\":\"keys\"}", null))) {
            handler.set(failing);
            clock.advance(Duration.ofSeconds(121));
            assertFalse(keys.refreshIfStale());
            assertTrue(validator.validate(token(first, first.getKeyId())).isValid(), "validation goes on with the cached keys");
        }
        server.stop(0);
        clock.advance(Duration.ofSeconds(121));
        assertFalse(keys.refreshIfStale());
        assertTrue(validator.validate(token(first, first.getKeyId())).isValid());
    }

    @Test
    void aHugeResponseIsCutOffAndRefused() {
        handler.set(e -> {
            e.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
            try (OutputStream out = e.getResponseBody()) {
                byte[] junk = new byte[64 * 1024];
                for (int i = 0; i < 64; i++) { // 4 MiB
                    out.write(junk);
                }
            }
        });
        RemoteKeys keys = builder("/jwks").maxBytes(256 * 1024).build();
        assertFalse(keys.load());
        assertTrue(keys.keyRing().current().verificationKeys(clock.instant()).isEmpty());
    }

    @Test
    void aSlowResponseTimesOut() {
        handler.set(e -> {
            Thread.sleep(3_000);
            send(e, 200, jwks(first), null);
        });
        RemoteKeys keys = builder("/jwks").timeout(Duration.ofMillis(300)).build();
        long started = System.nanoTime();
        assertFalse(keys.load());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "gave up long before the issuer answered");
    }

    @Test
    void redirectsAreFollowedWithinTheOriginOnly() throws Exception {
        String body = jwks(first);
        int port = server.getAddress().getPort();
        handler.set(e -> {
            switch (e.getRequestURI().getPath()) {
                case "/jwks" -> redirect(e, "/keys/current");
                case "/keys/current" -> send(e, 200, body, null);
                case "/elsewhere" -> redirect(e, "http://localhost:" + port + "/keys/current"); // another host name
                default -> send(e, 404, "{}", null);
            }
        });
        assertTrue(builder("/jwks").build().load());
        assertFalse(builder("/elsewhere").build().load());
        handler.set(e -> redirect(e, "/a b")); // not a URI: refused, never thrown
        assertFalse(builder("/jwks").build().load());
    }

    private static void redirect(HttpExchange e, String location) throws IOException {
        e.getResponseHeaders().set("Location", location);
        e.sendResponseHeaders(302, -1);
    }

    @Test
    void aSetWithoutAnyUsableKeyIsAFailureAndTheLastGoodSetStays() throws Exception {
        RemoteKeys keys = remote();
        keys.load();
        AccessTokenValidator validator = validator(keys);
        JsonWebKey hmac = OctJwkGenerator.generateJwk(256);
        hmac.setKeyId("hmac");
        for (String useless : List.of("{\"keys\":[]}", "{\"keys\":[" + hmac.toJson(JsonWebKey.OutputControlLevel.INCLUDE_SYMMETRIC) + "]}")) {
            serve(useless, null);
            clock.advance(Duration.ofSeconds(121));
            assertFalse(keys.refreshIfStale());
            assertTrue(validator.validate(token(first, first.getKeyId())).isValid());
        }
    }

    @Test
    void noStoreKeepsTheSetForTheLeastIntervalAndAnUnchangedSetKeepsItsInstance() throws Exception {
        serve(jwks(first), "no-store");
        RemoteKeys keys = remote();
        keys.load();
        KeySet before = keys.keyRing().current();
        clock.advance(Duration.ofSeconds(31));
        assertTrue(keys.refreshIfStale(), "no-store: kept for minRefresh only");
        assertTrue(before == keys.keyRing().current(), "the same keys: the verified-token cache stays valid");
        serve(jwks(first, second), "max-age=600, no-cache");
        clock.advance(Duration.ofSeconds(31));
        assertTrue(keys.refreshIfStale());
        assertEquals(Set.of(first.getKeyId(), second.getKeyId()), keys.keyRing().current().describe().keySet());
    }

    @Test
    void theBuilderRefusesWhatWouldDisarmIt() {
        assertThrows(IllegalArgumentException.class, () -> builder("/jwks").minRefresh(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder("/jwks").timeout(Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> RemoteKeys.builder(URI.create("https://user@login.example/jwks")).build());
        assertThrows(IllegalArgumentException.class, () -> RemoteKeys.builder(URI.create("https:///jwks")).build());
        assertThrows(IllegalArgumentException.class, () -> RemoteKeys.builder(URI.create("https://login.example/jwks#x")).build());
    }

    @Test
    void theUrlMustBeHttpsOrLoopback() {
        assertThrows(IllegalArgumentException.class, () -> RemoteKeys.builder(URI.create("http://login.example/jwks")).build());
        assertThrows(IllegalArgumentException.class, () -> RemoteKeys.builder(URI.create("ftp://127.0.0.1/jwks")).build());
        RemoteKeys.builder(URI.create("https://login.example/jwks")).build();
        RemoteKeys.builder(URI.create("http://localhost:8080/jwks")).build();
    }

    @Test
    void onlySignatureKeysOfAllowedAlgorithmsAreTaken() throws Exception {
        JsonWebKey hmac = OctJwkGenerator.generateJwk(256);
        hmac.setKeyId("hmac");
        hmac.setAlgorithm("HS256");
        PublicJsonWebKey weak = RsaJwkGenerator.generateJwk(1024);
        weak.setKeyId("weak-rsa");
        PublicJsonWebKey encryption = RsaJwkGenerator.generateJwk(2048);
        encryption.setKeyId("for-encryption");
        encryption.setUse("enc");
        PublicJsonWebKey otherAlg = RsaJwkGenerator.generateJwk(2048);
        otherAlg.setKeyId("rs512");
        otherAlg.setAlgorithm("RS512");
        PublicJsonWebKey noKid = RsaJwkGenerator.generateJwk(2048);
        PublicJsonWebKey ed = OkpJwkGenerator.generateJwk("Ed25519");
        ed.setKeyId("ed");
        PublicJsonWebKey ecNoAlg = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ecNoAlg.setKeyId("ec-no-alg");
        PublicJsonWebKey encryptOnly = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        encryptOnly.setKeyId("encrypt-only");
        encryptOnly.setKeyOps(List.of("encrypt"));
        String body = "{\"keys\":[" + hmac.toJson(JsonWebKey.OutputControlLevel.INCLUDE_SYMMETRIC) + ","
                + String.join(",", List.of(weak, encryption, otherAlg, noKid, ed, ecNoAlg, encryptOnly, first).stream()
                .map(k -> k.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)).toList())
                + "," + first.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).replace("RS256", "PS256") + "]}";
        KeySet set = PublishedKeys.parse(body);
        Map<String, String> kids = set.describe();
        assertEquals(Set.of("ed", "ec-no-alg"), kids.keySet(), "HS256, weak RSA, enc, RS512, encrypt-only, no kid and both entries of a repeated kid left out");
        assertEquals(SigningAlgorithm.EdDSA, set.verificationKey("ed", Instant.now()).orElseThrow().algorithm());
        assertEquals(SigningAlgorithm.ES256, set.verificationKey("ec-no-alg", Instant.now()).orElseThrow().algorithm());
        assertTrue(set.isPublished());
        assertThrows(KeySetException.class, set::active, "another issuer's keys sign nothing here");
    }
}
