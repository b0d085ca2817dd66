package io.tokengate.core.keys;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.remote.RemoteFetch;

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
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,9})\"?");
    private static final Pattern NOT_CACHED = Pattern.compile("(?:^|[,\\s])(?:no-store|no-cache)(?:$|[,\\s=])");
    private static final System.Logger LOG = System.getLogger(RemoteKeys.class.getName());

    private final Callable<URI> jwksUri;
    private final Duration minRefresh;
    private final Duration timeout;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RemoteFetch http;
    private final ExecutorService fetcher;
    private final KeyRing ring;
    private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
    private final AtomicLong fetches = new AtomicLong();
    /** Keys the issuer retired (its revocation feed said so), kept out of every set until the instant given. */
    private final Map<String, Instant> retired = new ConcurrentHashMap<>();
    private volatile URI resolved;
    private volatile long lastAttempt;
    private volatile long staleAt;

    private RemoteKeys(Builder b) {
        this.jwksUri = b.jwksUri;
        this.minRefresh = b.minRefresh;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.nanoTime = b.nanoTime;
        this.http = new RemoteFetch(timeout, b.maxBytes, nanoTime);
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

    /** @throws IllegalArgumentException for a URL that is not https (nor http to loopback) */
    public static Builder builder(URI jwksUri) {
        URI checked = checkedUri(jwksUri);
        return new Builder(() -> checked);
    }

    /**
     * Keys at a URL found when first needed (the issuer's metadata names it): {@code jwksUri} is asked on the fetch
     * thread before each fetch until it answers, and may fail with an {@link IOException} (then the fetch failed).
     */
    public static Builder builder(Callable<URI> jwksUri) {
        return new Builder(Objects.requireNonNull(jwksUri, "jwksUri"));
    }

    /** HTTPS, or plain HTTP to a loopback host only (tests and development); a host, no user info, no fragment. */
    static URI checkedUri(URI uri) {
        return RemoteFetch.checkedUri(uri, "the JWKS URL");
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
            resolved = checkedUri(jwksUri.call());
            RemoteFetch.Answer f = http.get(resolved, Map.of("Accept", "application/jwk-set+json, application/json"));
            if (f.status() != 200) {
                throw new IOException("HTTP " + f.status() + " to a request that was not conditional");
            }
            KeySet set = PublishedKeys.parse(f.body());
            if (set.verificationKeys(clock.instant()).isEmpty()) {
                throw new KeySetException("the JWKS holds no key TokenGate may verify with");
            }
            synchronized (ring) { // not over a retirement made meanwhile
                set = withoutRetired(set);
                if (!sameKeys(set, ring.current())) { // an unchanged set keeps its instance, and the verified-token cache
                    ring.replace(set);
                }
            }
            staleAt = nanoTime.getAsLong() + maxAge(f.headers()).toNanos();
            fetches.incrementAndGet();
            return true;
        } catch (Exception e) { // a URL refused by checkedUri is an IllegalArgumentException
            staleAt = nanoTime.getAsLong() + minRefresh.toNanos();
            CoreLog.KEYS_UNREACHABLE.log(LOG, where(), String.valueOf(e.getMessage()));
            return false;
        }
    }

    private String where() {
        URI at = resolved;
        return at != null ? at.toString() : "(the JWKS URL is not known yet)";
    }

    /**
     * The issuer retired {@code kid} (its revocation feed says so): its tokens are refused from now on, and a set fetched
     * later that still holds it (a cache of the old JWKS) does not bring it back before {@code until}, when every
     * token it signed has expired.
     */
    public void retire(String kid, Instant until) {
        Instant now = clock.instant();
        retired.values().removeIf(u -> !u.isAfter(now));
        if (!until.isAfter(now)) {
            return;
        }
        retired.merge(kid, until, (a, b) -> a.isAfter(b) ? a : b);
        synchronized (ring) {
            KeySet current = ring.current();
            if (current.verificationKey(kid, now).isPresent()) {
                ring.replace(withoutRetired(current));
            }
        }
    }

    private KeySet withoutRetired(KeySet set) {
        if (retired.isEmpty()) {
            return set;
        }
        Instant now = clock.instant();
        List<SigningKey> kept = set.verificationKeys(now).stream()
                .filter(k -> !retired.getOrDefault(k.kid(), Instant.MIN).isAfter(now)).toList();
        return kept.size() == set.verificationKeys(now).size() ? set : KeySet.published(kept);
    }

    private static boolean sameKeys(KeySet a, KeySet b) {
        return fingerprints(a).equals(fingerprints(b));
    }

    private static Map<String, String> fingerprints(KeySet set) {
        return set.verificationKeys(Instant.MIN).stream().collect(Collectors.toMap(SigningKey::kid,
                k -> k.algorithm() + ":" + Base64.getEncoder().encodeToString(k.publicKey().getEncoded())));
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

    public static final class Builder {
        private final Callable<URI> jwksUri;
        private Duration minRefresh = DEFAULT_MIN_REFRESH;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxBytes = DEFAULT_MAX_BYTES;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(Callable<URI> jwksUri) {
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

        public RemoteKeys build() {
            return new RemoteKeys(this);
        }
    }
}
