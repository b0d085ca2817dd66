package io.tokengate.core.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokengate.core.log.CoreLog;

/**
 * Another issuer's signing keys as a resource server sees them: its JWKS, fetched over HTTPS (plain HTTP only to
 * loopback) from a URL that comes from configuration, never from a token; kept as long as its {@code Cache-Control:
 * max-age} says; fetched again early when a token names a {@code kid} the set lacks — at most once per
 * {@code minRefresh}, one fetch at a time, whatever the number of such tokens — and the last good set kept while the
 * issuer cannot be reached, answers garbage or a set without any key TokenGate may use (TG-0203). Fetches run on a
 * thread of their own, with one deadline for the whole answer (redirects included), a size limit, and redirects
 * followed within the same origin only. The validator reads the keys from {@link #keyRing()} without locking or
 * I/O; a token with an unknown {@code kid} waits half a second at most for a fetch, never longer. Intervals are
 * measured on a monotonic clock, so a step of the wall clock neither stops nor hurries fetching.
 */
public final class RemoteKeys implements AutoCloseable {
    public static final Duration DEFAULT_MIN_REFRESH = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;
    /** The longest a request with an unknown {@code kid} waits for a fetch. */
    static final Duration REQUEST_WAIT = Duration.ofMillis(500);
    private static final Duration LONGEST_MAX_AGE = Duration.ofDays(1);
    private static final int MAX_REDIRECTS = 3;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,9})\"?");
    private static final Pattern NOT_CACHED = Pattern.compile("(?:^|[,\\s])(?:no-store|no-cache)(?:$|[,\\s=])");
    private static final System.Logger LOG = System.getLogger(RemoteKeys.class.getName());

    private final URI jwksUri;
    private final Duration minRefresh;
    private final Duration timeout;
    private final int maxBytes;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final HttpClient http;
    private final ExecutorService fetcher;
    private final KeyRing ring;
    private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
    private final AtomicLong fetches = new AtomicLong();
    private volatile long lastAttempt;
    private volatile long staleAt;

    private RemoteKeys(Builder b) {
        this.jwksUri = checkedUri(b.jwksUri);
        this.minRefresh = b.minRefresh;
        this.timeout = b.timeout;
        this.maxBytes = b.maxBytes;
        this.clock = b.clock;
        this.nanoTime = b.nanoTime;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tokengate-jwks-fetch");
            t.setDaemon(true);
            return t;
        });
        long now = nanoTime.getAsLong();
        this.lastAttempt = now - minRefresh.toNanos() - 1;
        this.staleAt = now;
        this.ring = new KeyRing(KeySet.published(List.of()), clock, Duration.ZERO);
        ring.onUnknownKid(this::refreshFor);
    }

    public static Builder builder(URI jwksUri) {
        return new Builder(jwksUri);
    }

    /** HTTPS, or plain HTTP to a loopback host only (tests and development); a host, no user info, no fragment. */
    static URI checkedUri(URI uri) {
        Objects.requireNonNull(uri, "jwksUri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the JWKS URL needs a host and no user info or fragment: " + uri);
        }
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException("the JWKS URL must be https (plain http only to localhost): " + uri);
        }
        return uri;
    }

    /** The keys, current as of the last good fetch; the validator's ring. */
    public KeyRing keyRing() {
        return ring;
    }

    /** How many fetches succeeded (for tests and monitoring). */
    public long fetches() {
        return fetches.get();
    }

    /** Fetches now (at start-up, before the first token) and waits for it: whether a key set was fetched. */
    public boolean load() {
        return await(start(false), timeout.plusSeconds(1));
    }

    /**
     * Fetches when the kept set's max-age has passed, and waits for it (the container calls this every few seconds,
     * from a thread of its own): whether it fetched.
     */
    public boolean refreshIfStale() {
        return nanoTime.getAsLong() - staleAt >= 0 && await(start(true), timeout.plusSeconds(1));
    }

    /** For a {@code kid} the set lacks: a fetch, unless one was tried within {@code minRefresh}; whether it is known now. */
    boolean refreshFor(String kid) {
        if (!known(kid)) {
            await(start(true), REQUEST_WAIT);
        }
        return known(kid); // also when another thread's fetch brought it meanwhile
    }

    private boolean known(String kid) {
        return ring.current().verificationKey(kid, clock.instant()).isPresent();
    }

    /** The fetch under way, or a new one on the fetch thread; with {@code rateLimited}, none within {@code minRefresh}. */
    private CompletableFuture<Boolean> start(boolean rateLimited) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        long now = nanoTime.getAsLong();
        if (rateLimited && now - lastAttempt < minRefresh.toNanos()) {
            inFlight.set(null);
            mine.complete(false);
            return mine;
        }
        lastAttempt = now;
        try {
            fetcher.execute(() -> {
                boolean fetched = false;
                try {
                    fetched = fetchOnce();
                } finally {
                    inFlight.set(null);
                    mine.complete(fetched);
                }
            });
        } catch (RuntimeException e) { // closed
            inFlight.set(null);
            mine.complete(false);
        }
        return mine;
    }

    private static boolean await(CompletableFuture<Boolean> fetch, Duration atMost) {
        try {
            return fetch.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private boolean fetchOnce() {
        try {
            Fetched f = fetch();
            KeySet set = PublishedKeys.parse(f.body());
            if (set.verificationKeys(clock.instant()).isEmpty()) {
                throw new KeySetException("the JWKS holds no key TokenGate may verify with");
            }
            if (!sameKeys(set, ring.current())) { // an unchanged set keeps its instance, and the verified-token cache
                ring.replace(set);
            }
            staleAt = nanoTime.getAsLong() + f.maxAge().toNanos();
            fetches.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) { // a bad redirect target is an IllegalArgumentException
            staleAt = nanoTime.getAsLong() + minRefresh.toNanos();
            CoreLog.KEYS_UNREACHABLE.log(LOG, jwksUri, String.valueOf(e.getMessage()));
            return false;
        }
    }

    private static boolean sameKeys(KeySet a, KeySet b) {
        return fingerprints(a).equals(fingerprints(b));
    }

    private static Map<String, String> fingerprints(KeySet set) {
        return set.verificationKeys(Instant.MIN).stream().collect(Collectors.toMap(SigningKey::kid,
                k -> k.algorithm() + ":" + Base64.getEncoder().encodeToString(k.publicKey().getEncoded())));
    }

    private record Fetched(String body, Duration maxAge) {
    }

    /** The JWKS, redirects within the origin followed, the whole answer within one timeout. */
    private Fetched fetch() throws IOException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        URI uri = jwksUri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                break;
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
                    .header("Accept", "application/jwk-set+json, application/json").GET().build();
            CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, info -> new Limited(maxBytes));
            HttpResponse<byte[]> response;
            try {
                response = call.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                break;
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } catch (ExecutionException e) {
                throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
            }
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                URI next = uri.resolve(response.headers().firstValue("Location").orElseThrow(() -> new IOException(status + " without Location")));
                if (!sameOrigin(jwksUri, next)) {
                    throw new IOException("a redirect to another origin is not followed: " + next);
                }
                uri = next;
                continue;
            }
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            return new Fetched(new String(response.body(), StandardCharsets.UTF_8), maxAge(response.headers()));
        }
        throw new IOException("no complete answer within " + timeout + " (or more than " + MAX_REDIRECTS + " redirects)");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return scheme(a).equals(scheme(b)) && a.getHost() != null && b.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static String scheme(URI u) {
        return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(scheme(u)) ? 443 : 80;
    }

    /**
     * How long a fetched set is kept: its max-age less its {@code Age}, between {@code minRefresh} and a day;
     * {@code no-store}/{@code no-cache} keep it {@code minRefresh}; without either, five minutes.
     */
    private Duration maxAge(HttpHeaders headers) {
        String cacheControl = String.join(",", headers.allValues("Cache-Control")).toLowerCase(Locale.ROOT);
        if (NOT_CACHED.matcher(cacheControl).find()) {
            return minRefresh;
        }
        Matcher m = MAX_AGE.matcher(cacheControl);
        Duration age = m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1))) : DEFAULT_MAX_AGE;
        long servedFor = headers.firstValue("Age").filter(v -> v.matches("\\d{1,9}")).map(Long::parseLong).orElse(0L);
        age = age.minusSeconds(servedFor);
        if (age.compareTo(minRefresh) < 0) {
            return minRefresh;
        }
        return age.compareTo(LONGEST_MAX_AGE) > 0 ? LONGEST_MAX_AGE : age;
    }

    /** Stops the fetch thread (at the application's end). */
    @Override
    public void close() {
        fetcher.shutdownNow();
    }

    /** A response body of at most {@code max} bytes; a longer one is cut off and fails. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > max) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the JWKS is larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    public static final class Builder {
        private final URI jwksUri;
        private Duration minRefresh = DEFAULT_MIN_REFRESH;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxBytes = DEFAULT_MAX_BYTES;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(URI jwksUri) {
            this.jwksUri = jwksUri;
        }

        /** The least time between two fetches for unknown {@code kid}s (default 30 s, at least 1 s). */
        public Builder minRefresh(Duration value) {
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("minRefresh must be at least one second");
            }
            this.minRefresh = value;
            return this;
        }

        /** Connect timeout and the time a whole answer may take, redirects included (default 5 s, at most a minute). */
        public Builder timeout(Duration value) {
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout must be positive and at most a minute");
            }
            this.timeout = value;
            return this;
        }

        /** The largest JWKS accepted (default 256 KiB). */
        public Builder maxBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxBytes is too small for any JWKS");
            }
            this.maxBytes = value;
            return this;
        }

        /** The time of keys and tokens (default the system's UTC clock). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** The monotonic time of intervals (default {@code System::nanoTime}; tests drive it). */
        Builder nanoTime(LongSupplier value) {
            this.nanoTime = Objects.requireNonNull(value);
            return this;
        }

        /** @throws IllegalArgumentException for a URL that is not https (nor http to loopback) */
        public RemoteKeys build() {
            return new RemoteKeys(this);
        }
    }
}
