package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.RawHttp;
import io.tokengate.servlet.it.Wars;

/**
 * The sample as README's first command starts it, attacked from outside: it answers nothing before it is ready,
 * never an HTML page, and a few thousand malformed requests to its OAuth endpoints get JSON errors with RFC codes and
 * no 5xx; a stalled body is answered within the sample's read timeout.
 */
class SampleHardeningIT {
    /** Error codes of RFC 6749 §5.2 / §4.1.2.1, RFC 6750 §3.1, RFC 7009 §2.2.1, and the sample's error pages. */
    static final Set<String> RFC_CODES = Set.of("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
            "unsupported_grant_type", "invalid_scope", "server_error", "temporarily_unavailable", "invalid_token", "insufficient_scope",
            "unsupported_token_type", "access_denied", "unauthorized", "not_found");
    static final long SEED = Long.getLong("tokengate.fuzz.seed", 20261202L);
    static final int CASES = Integer.getInteger("tokengate.fuzz.cases", 3000);

    static SampleScript sample;
    static int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        Path work = Wars.freshWork("sample-hardening");
        Path data = Files.createDirectories(work.resolve("data"));
        port = PayaraProcess.freePort();
        sample = new SampleScript(data, port, Map.of()).start("/.well-known/oauth-authorization-server");
    }

    @AfterAll
    static void stop() throws Exception {
        if (sample != null) {
            sample.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String password(String user) throws Exception {
        HttpResponse<String> r = send("POST", "/oauth/token", "grant_type=password&username=" + user + "&password=" + user + "-password",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", basic());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes());
    }

    private static void assertJsonError(String what, int status, String contentType, String body) throws Exception {
        assertTrue(status >= 400, what + ": " + status);
        assertTrue(contentType != null && contentType.startsWith("application/json"), what + ": content type " + contentType + ", body " + body);
        assertFalse(body.toLowerCase(java.util.Locale.ROOT).contains("<html"), what + ": an HTML page");
        Object code = JsonUtil.parseJson(body).get("error");
        assertTrue(RFC_CODES.contains(code), what + ": error code " + code + " in " + body);
    }

    @Test
    void whileItStartsTheSampleAnswersNothingRatherThanPayarasErrorPages() {
        // start-sample.sh turns the listener on after the deployment: connections are refused until the application is ready
        assertEquals(1, sample.answersWhileStarting.size(), "the first answer is the ready one: " + sample.answersWhileStarting);
        assertTrue(sample.answersWhileStarting.get(0).startsWith("200 application/json"), sample.answersWhileStarting.toString());
    }

    @Test
    void everyErrorTheSampleAnswersIsJsonWithAnRfcStyleCode() throws Exception {
        String alice = (String) JsonUtil.parseJson(password("alice")).get("access_token");
        HttpResponse<String> admin = send("GET", "/tokengate/admin/keys", null, "Authorization", "Bearer " + alice);
        assertEquals(403, admin.statusCode());
        assertJsonError("alice on the admin API", admin.statusCode(), admin.headers().firstValue("Content-Type").orElse(null), admin.body());
        assertEquals("access_denied", JsonUtil.parseJson(admin.body()).get("error"));
        for (String[] call : List.of(new String[] {"PUT", "/public"}, new String[] {"DELETE", "/public"}, new String[] {"PATCH", "/oauth/token/"},
                new String[] {"PUT", "/oauth/token/"}, new String[] {"DELETE", "/oauth/token/"}, new String[] {"GET", "/no-such-page"},
                new String[] {"POST", "/secret"}, new String[] {"GET", "/secret"}, new String[] {"DELETE", "/oauth/jwks"})) {
            HttpResponse<String> r = send(call[0], call[1], call[0].equals("GET") ? null : "x=1");
            String body = r.body();
            if (r.statusCode() == 401) {
                assertEquals("{}", body, "RFC 6750 §3.1: no error code without credentials"); // and the challenge says Bearer
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
                continue;
            }
            assertJsonError(call[0] + " " + call[1], r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), body);
        }
        RawHttp.Answer foo = RawHttp.send(port, "FOO /public HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", false, 10_000);
        assertJsonError("FOO /public", foo.status(), foo.header("Content-Type"), foo.body());
        assertEquals(400, foo.status(), "a method nobody knows is the client's error, not the server's: " + foo.body());
        RawHttp.Answer trace = RawHttp.send(port, "TRACE /public HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", false, 10_000);
        assertEquals(405, trace.status(), "Payara refuses TRACE itself, before any application");
        assertEquals("", trace.body(), "with no page at all");
    }

    @Test
    void theDeviceListIsNeverCachedAndSaysItsCharset() throws Exception {
        String alice = (String) JsonUtil.parseJson(password("alice")).get("access_token");
        HttpResponse<String> r = send("GET", "/me/devices", null, "Authorization", "Bearer " + alice);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), "addresses and user agents are not for caches");
        assertEquals("application/json;charset=UTF-8", r.headers().firstValue("Content-Type").orElse(null));
    }

    /**
     * A few thousand malformed requests from a seed ({@code -Dtokengate.fuzz.seed}, {@code -Dtokengate.fuzz.cases}),
     * and meanwhile two bodies that stall: not one 5xx, not one HTML page, every error JSON with an RFC code; stalled
     * bodies are answered after the sample's 10 s read timeout, not Payara's 30 s.
     */
    @Test
    void fuzzingTheOAuthEndpointsGivesJsonErrorsWithRfcCodesAndNo5xx() throws Exception {
        String refresh = (String) JsonUtil.parseJson(password("alice")).get("refresh_token");
        List<EndpointFuzz.Case> cases = new EndpointFuzz(SEED, refresh).cases(CASES);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<RawHttp.Answer>> stalls = new ArrayList<>();
            for (String endpoint : List.of("/oauth/token", "/oauth/introspect")) {
                stalls.add(pool.submit(() -> RawHttp.send(port, "POST " + endpoint + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basic()
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoken=abc", false, 60_000)));
            }
            List<Future<?>> runs = new ArrayList<>();
            for (EndpointFuzz.Case c : cases) {
                runs.add(pool.submit(() -> {
                    try {
                        check(c, RawHttp.send(port, c.bytes(), c.halfClose(), 30_000));
                    } catch (AssertionError | Exception e) {
                        failures.add(c.description() + " -> " + e.getMessage());
                    }
                }));
            }
            for (Future<?> f : runs) {
                f.get(5, TimeUnit.MINUTES);
            }
            for (Future<RawHttp.Answer> f : stalls) {
                RawHttp.Answer a = f.get(1, TimeUnit.MINUTES);
                assertJsonError("a stalled body", a.status(), a.header("Content-Type"), a.body());
                assertEquals(400, a.status());
                assertTrue(a.millis() >= 9_000 && a.millis() < 20_000, "answered after the sample's 10 s read timeout: " + a.millis() + " ms");
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " answers broke the rules (seed " + SEED + "):\n"
                + String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
        assertTrue(PROTOCOL_REFUSALS.get() < cases.size() / 3, "most requests reach TokenGate: " + PROTOCOL_REFUSALS.get()
                + " of " + cases.size() + " were refused below the application");
        System.out.println("fuzz: " + cases.size() + " requests (seed " + SEED + "), " + PROTOCOL_REFUSALS.get()
                + " refused by Payara's HTTP layer or left unanswered (malformed HTTP, or a stream ended mid-body), the rest answered by"
                + " the application in JSON");
        assertEquals(200, send("GET", "/public", null).statusCode(), "the sample is still serving");
        assertNotNull(JsonUtil.parseJson(password("alice")).get("access_token"));
    }

    /** Payara's HTTP layer refused the request before any application: status 400, no content type, no body. */
    private static boolean protocolRefusal(RawHttp.Answer a) {
        return a.status() == 400 && a.header("Content-Type") == null && a.body().isEmpty();
    }

    private static void check(EndpointFuzz.Case c, RawHttp.Answer a) throws Exception {
        if (c.halfClose() || c.malformedHttp()) {
            // a request that breaks HTTP, or a client that ended its stream in the middle of a body, may be refused by
            // Payara's HTTP layer (an empty 400) or left without an answer, before TokenGate sees anything
            if (a.status() == 0 || protocolRefusal(a)) {
                PROTOCOL_REFUSALS.incrementAndGet();
                return;
            }
        }
        assertTrue(a.status() != 0, "no answer at all: " + a.body());
        assertTrue(a.status() < 500, "status " + a.status() + ": " + a.body());
        String type = a.header("Content-Type");
        String body = a.body();
        assertFalse(body.toLowerCase(java.util.Locale.ROOT).contains("<html"), "an HTML page: " + body);
        assertFalse(body.contains("Exception"), "a stack trace: " + body);
        if (a.status() >= 400) {
            if (c.description().contains(" HEAD ") && body.isEmpty()) {
                return; // HEAD answers carry no body
            }
            assertJsonError("status " + a.status(), a.status(), type, body);
        } else if (!body.isEmpty()) {
            assertTrue(type != null && type.startsWith("application/json"), "a 2xx answer that is not JSON: " + type + " " + body);
            JsonUtil.parseJson(body);
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger PROTOCOL_REFUSALS = new java.util.concurrent.atomic.AtomicInteger();
}
