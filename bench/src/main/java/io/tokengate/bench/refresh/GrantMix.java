package io.tokengate.bench.refresh;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokengate.core.authorize.Pkce;
import io.tokengate.core.support.DPoPKey;

/**
 * The grants of issue 16 next to a plain refresh, on one running sample, from {@code --clients} threads in a closed
 * loop, the kinds alternated in {@code --rounds} rounds of {@code --seconds} each (so a slow minute of the machine
 * hits every kind alike):
 * <ul>
 * <li>{@code plain}: a refresh of {@code demo-client} (confidential, Basic authentication, no DPoP);</li>
 * <li>{@code dpop}: a refresh of {@code demo-native} (public), its family bound to the client's key, each request
 * with a new proof signed by that key (ES256) — the server checks the proof and the binding;</li>
 * <li>{@code code}: a whole sign-in of {@code demo-native} for a user already signed in: the authorization request
 * (its consent page), the consent post (the redirect with a code), and the code redeemed with PKCE and a DPoP proof —
 * the latency printed is the redemption's, the rate that of whole sign-ins.</li>
 * </ul>
 * Every latency is of the token endpoint request alone; the client's own proof signing is outside it. With
 * {@code --cpu}, each line ends with the CPU per operation (per whole sign-in for {@code code}) of the given
 * processes and of this loader, which signs the proofs.
 *
 * <pre>java -cp benchmarks.jar io.tokengate.bench.refresh.GrantMix baseUrl [--clients 8] [--seconds 15] [--rounds 3] [--warmup 20]
 *     [--cpu 'server=pid database=pid,pid']</pre>
 */
public final class GrantMix {
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.US_ASCII));
    private static final String REDIRECT = "http://127.0.0.1:8765/callback";
    private static final String VERIFIER = "grant-mix-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-0123";
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");
    private static final List<String> KINDS = List.of("plain", "dpop", "code");

    private GrantMix() {
    }

    /** One simulated user and app: a browser session, a DPoP key, a confidential and a bound refresh token. */
    private static final class Client {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        final DPoPKey key = new DPoPKey();
        final String base;
        final String tokenUrl;
        String plainRefresh;
        String boundRefresh;

        Client(String base) {
            this.base = base;
            this.tokenUrl = base + "/oauth/token";
        }

        HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String url) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url)));
        }

        HttpResponse<String> post(String url, String form, String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return send(b);
        }

        /** Signs the user in on TokenGate's login page (once), then gets both kinds of refresh token. */
        void setUp() throws Exception {
            HttpResponse<String> start = get(authorizeQuery());
            expect(start, 303);
            String csrf = hidden(get("/oauth/login").body(), "csrf");
            expect(post(base + "/oauth/login", form("csrf", csrf, "username", "alice", "password", "alice-password"), "Origin", base), 303);
            plainRefresh = refreshTokenOf(expect(post(tokenUrl, "grant_type=password&username=alice&password=alice-password",
                    "Authorization", BASIC), 200));
            boundRefresh = refreshTokenOf(redeem(code()));
        }

        /** The authorization request and the consent: a code. */
        String code() throws Exception {
            HttpResponse<String> consent = expect(get(authorizeQuery()), 200);
            HttpResponse<String> approved = expect(post(base + "/oauth/authorize", form("csrf", hidden(consent.body(), "csrf"), "request",
                    hidden(consent.body(), "request"), "consent", "approve"), "Origin", base), 302);
            String location = approved.headers().firstValue("Location").orElseThrow();
            Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(location);
            if (!m.find()) {
                throw new IllegalStateException("no code in " + location);
            }
            return m.group(1);
        }

        HttpResponse<String> redeem(String code) throws Exception {
            return expect(post(tokenUrl, form("grant_type", "authorization_code", "client_id", "demo-native", "code", code, "redirect_uri",
                    REDIRECT, "code_verifier", VERIFIER), "DPoP", key.proof("POST", tokenUrl, null, Instant.now())), 200);
        }

        /** One operation of {@code kind}; returns the token endpoint request's latency in microseconds. */
        long once(String kind) throws Exception {
            switch (kind) {
                case "plain" -> {
                    long t = System.nanoTime();
                    HttpResponse<String> r = post(tokenUrl, "grant_type=refresh_token&refresh_token=" + plainRefresh, "Authorization", BASIC);
                    long micros = (System.nanoTime() - t) / 1000;
                    plainRefresh = refreshTokenOf(expect(r, 200));
                    return micros;
                }
                case "dpop" -> {
                    String proof = key.proof("POST", tokenUrl, null, Instant.now());
                    long t = System.nanoTime();
                    HttpResponse<String> r = post(tokenUrl, "grant_type=refresh_token&client_id=demo-native&refresh_token=" + boundRefresh,
                            "DPoP", proof);
                    long micros = (System.nanoTime() - t) / 1000;
                    boundRefresh = refreshTokenOf(expect(r, 200));
                    return micros;
                }
                default -> {
                    String code = code();
                    String body = form("grant_type", "authorization_code", "client_id", "demo-native", "code", code, "redirect_uri", REDIRECT,
                            "code_verifier", VERIFIER);
                    String proof = key.proof("POST", tokenUrl, null, Instant.now());
                    long t = System.nanoTime();
                    HttpResponse<String> r = post(tokenUrl, body, "DPoP", proof);
                    long micros = (System.nanoTime() - t) / 1000;
                    expect(r, 200);
                    return micros;
                }
            }
        }
    }

    private static String authorizeQuery() {
        return "/oauth/authorize?" + form("response_type", "code", "client_id", "demo-native", "redirect_uri", REDIRECT, "state", "bench",
                "code_challenge", Pkce.challengeOf(VERIFIER), "code_challenge_method", "S256");
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ", expected " + status + ": " + r.body());
        }
        return r;
    }

    private static String refreshTokenOf(HttpResponse<String> r) {
        Matcher m = REFRESH.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no refresh token in " + r.body());
        }
        return m.group(1);
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no hidden " + name + " in " + html);
        }
        return m.group(1);
    }

    private static String form(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            s.append(s.length() == 0 ? "" : "&").append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    /** Every client doing {@code kind} for {@code seconds}; the latencies of the operations that ended in time. */
    private static long[] run(List<Client> clients, String kind, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<long[]> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Client c : clients) {
            long[][] mine = {new long[1 << 12]};
            int[] n = {0};
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long micros = c.once(kind);
                        if (System.nanoTime() <= end) {
                            if (n[0] == mine[0].length) {
                                mine[0] = java.util.Arrays.copyOf(mine[0], n[0] * 2);
                            }
                            mine[0][n[0]++] = micros;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
                synchronized (results) {
                    results.add(java.util.Arrays.copyOf(mine[0], n[0]));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(kind + ": " + failures.get(0), failures.get(0));
        }
        return results.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Map<String, String> options = new LinkedHashMap<>(Map.of("--clients", "8", "--seconds", "15", "--rounds", "3", "--warmup", "20"));
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int clientCount = Integer.parseInt(options.get("--clients"));
        double seconds = Double.parseDouble(options.get("--seconds"));
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            Client c = new Client(base);
            c.setUp();
            clients.add(c);
        }
        double warmup = Double.parseDouble(options.get("--warmup"));
        for (String kind : KINDS) { // the JIT compiles every kind's path before anything is measured
            run(clients, kind, warmup / KINDS.size());
        }
        for (int round = 1; round <= Integer.parseInt(options.get("--rounds")); round++) {
            for (String kind : KINDS) {
                io.tokengate.bench.cpu.CpuMeter cpu = io.tokengate.bench.cpu.CpuMeter.parse(options.get("--cpu"));
                cpu.start();
                long[] latencies = run(clients, kind, seconds);
                System.out.println("round " + round + " " + RefreshLoad.summary(kind, clientCount, latencies, seconds) + "  "
                        + io.tokengate.bench.cpu.CpuMeter.perOperation(cpu.elapsed(), latencies.length));
            }
        }
    }
}
