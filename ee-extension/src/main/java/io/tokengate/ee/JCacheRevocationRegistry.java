package io.tokengate.ee;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.spi.CachingProvider;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.revocation.Revocation;
import io.tokengate.core.revocation.RevocationRegistry;

/**
 * Revocations shared by every server of a cluster through a JCache cache (Payara's Hazelcast), while each
 * server answers {@link #isRevoked} from its own memory: the per-request check never leaves the JVM.
 * <p>
 * A revocation is applied here at once and appended to the cache as a numbered entry ({@code e:EPOCH:N}, N taken
 * from the counter entry {@code seq} = {@code EPOCH:N} by compare-and-set); every server reads the entries it has
 * not seen every {@value #POLL_MILLIS} ms and applies them to its memory. Keys and values are strings, so the cache
 * needs none of the application's classes. Entries expire {@code max-token-lifetime + clock-skew} after they were
 * written (and the counter that long after its last change): by then every token they concern has expired. A
 * counter that expired (or was evicted) starts again under a new random EPOCH, so no server mistakes new entries
 * for ones it has seen. An entry that cannot be published is kept and published again at the next poll.
 */
final class JCacheRevocationRegistry implements RevocationRegistry {
    static final long POLL_MILLIS = 500;
    /** An entry number taken but not yet readable is waited for this long (its writer may have died). */
    private static final long GAP_MILLIS = 10_000;
    private static final String SEQ = "seq";
    private static final System.Logger LOG = System.getLogger(JCacheRevocationRegistry.class.getName());

    private final Cache<String, String> cache;
    private final InMemoryRevocationRegistry local;
    private final Clock clock;
    private final ScheduledFuture<?> poller;
    /** The counter's epoch and the last entry number applied here. */
    private String epoch = "";
    private long applied;
    /** Entry numbers taken by a writer but not readable yet, with when they were first missed. */
    private final Map<Long, Long> gaps = new HashMap<>();
    /** Entries applied here whose publication failed, published again at the next poll. */
    private final Queue<String> unpublished = new ConcurrentLinkedQueue<>();

    private JCacheRevocationRegistry(Cache<String, String> cache, InMemoryRevocationRegistry local, Clock clock,
                                     ScheduledExecutorService executor) {
        this.cache = cache;
        this.local = local;
        this.clock = clock;
        synchronized (this) {
            String[] counter = counter();
            this.epoch = counter[0];
            this.applied = Long.parseLong(counter[1]);
            Set<Long> seen = new HashSet<>();
            for (Iterator<Cache.Entry<String, String>> it = cache.iterator(); it.hasNext(); ) {
                Cache.Entry<String, String> e = it.next();
                if (e != null && e.getKey().startsWith("e:")) {
                    apply(e.getValue());
                    String prefix = "e:" + epoch + ":";
                    if (e.getKey().startsWith(prefix)) {
                        seen.add(Long.parseLong(e.getKey().substring(prefix.length())));
                    }
                }
            }
            long now = clock.millis();
            for (long n = Math.max(1, applied - 100); n <= applied; n++) { // numbers taken whose entries were not written yet
                if (!seen.contains(n)) {
                    gaps.put(n, now);
                }
            }
        }
        if (executor == null) {
            throw new IllegalStateException("no managed scheduled executor to read other servers' revocations");
        }
        this.poller = executor.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** JNDI names under which servers publish their JCache {@code CacheManager} (Payara: when clustering is on). */
    static final List<String> SERVER_CACHE_MANAGERS = List.of("payara/CacheManager");

    /**
     * The server's own cache manager when it publishes one; with {@code portable} also the JCache provider found
     * through {@link Caching} (on Payara without clustering that provider is a Hazelcast client that retries a
     * cluster forever, so it is asked only when JCache is required explicitly).
     *
     * @return null when there is none
     */
    static CacheManager cacheManager(ClassLoader loader, boolean portable) {
        for (String name : SERVER_CACHE_MANAGERS) {
            try {
                Object found = new InitialContext().lookup(name);
                if (found instanceof CacheManager manager) {
                    return manager;
                }
            } catch (NamingException | RuntimeException e) {
                // not this server
            }
        }
        if (!portable) {
            return null;
        }
        CachingProvider provider = Caching.getCachingProvider(loader);
        return provider.getCacheManager(provider.getDefaultURI(), loader);
    }

    /** Opens (or joins) the cache of this issuer in {@code manager}. */
    static JCacheRevocationRegistry open(CacheManager manager, String issuer, Duration maxTokenLifetime, Duration clockSkew, Clock clock,
                                         ScheduledExecutorService executor) {
        String name = "tokengate-revocation-" + Integer.toHexString(issuer.hashCode());
        Cache<String, String> cache = manager.getCache(name, String.class, String.class);
        long ttl = maxTokenLifetime.plus(clockSkew).toMillis();
        if (cache != null) {
            @SuppressWarnings("unchecked")
            CompleteConfiguration<String, String> existing = cache.getConfiguration(
                    CompleteConfiguration.class);
            javax.cache.expiry.Duration kept = existing.getExpiryPolicyFactory().create().getExpiryForCreation();
            if (kept != null && !kept.isEternal() && kept.getTimeUnit().toMillis(kept.getDurationAmount()) < ttl) {
                throw new ConfigurationException(Setting.MAX_TOKEN_LIFETIME,
                        "the cluster's revocation cache " + name + " keeps entries " + kept.getTimeUnit().toMillis(kept.getDurationAmount())
                        + " ms, less than this server's max-token-lifetime + clock-skew (" + ttl + " ms): configure every server alike");
            }
        }
        if (cache == null) {
            MutableConfiguration<String, String> config = new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                    .setStoreByValue(true).setStatisticsEnabled(false)
                    .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttl)));
            try {
                cache = manager.createCache(name, hazelcast(manager) ? HazelcastCaches.withoutEviction(config) : config);
            } catch (CacheException e) { // another server created it meanwhile
                cache = manager.getCache(name, String.class, String.class);
            }
        }
        if (!evictionFree(cache)) {
            EeLog.CACHE_EVICTS.log(LOG, name);
        }
        return on(cache, maxTokenLifetime, clockSkew, clock, executor);
    }

    /** Whether the manager is Hazelcast's and its API is visible here (Payara shows it to applications). */
    static boolean hazelcast(CacheManager manager) {
        try {
            return HazelcastCaches.isHazelcast(manager) && Class.forName("com.hazelcast.config.CacheConfig", false,
                    JCacheRevocationRegistry.class.getClassLoader()) != null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether the cache keeps every entry until it expires (as far as this server can tell: only Hazelcast's are checked). */
    static boolean evictionFree(Cache<String, String> cache) {
        return !hazelcast(cache.getCacheManager()) || HazelcastCaches.evictionFree(cache);
    }

    /** A registry on a cache opened by the caller. */
    static JCacheRevocationRegistry on(Cache<String, String> cache, Duration maxTokenLifetime, Duration clockSkew, Clock clock,
                                       ScheduledExecutorService executor) {
        return new JCacheRevocationRegistry(cache, new InMemoryRevocationRegistry(clock, maxTokenLifetime, clockSkew), clock, executor);
    }

    String cacheName() {
        return cache.getName();
    }

    /** The cache for the start-up line: its name and whether it is known never to evict. */
    String describe() {
        return cache.getName() + (hazelcast(cache.getCacheManager()) ? (evictionFree(cache) ? " (Hazelcast, without eviction)"
                : " (Hazelcast, EVICTS: see TG-0409)") : " (eviction not checked on this cache provider)");
    }

    @Override
    public void checkRetention(Duration maxTokenLifetime, Duration clockSkew) {
        local.checkRetention(maxTokenLifetime, clockSkew);
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        local.revokeAccessToken(jti, expiresAt);
        publish("j|" + expiresAt.toEpochMilli() + "|" + jti);
    }

    @Override
    public void revokeSubject(String subject, Instant notBefore) {
        local.revokeSubject(subject, notBefore);
        publish("s|" + notBefore.toEpochMilli() + "|" + subject);
    }

    @Override
    public void revokeFamily(String familyId, Instant notBefore) {
        local.revokeFamily(familyId, notBefore);
        publish("f|" + notBefore.toEpochMilli() + "|" + familyId);
    }

    @Override
    public Instant notBefore(String subject, String familyId) {
        return local.notBefore(subject, familyId);
    }

    /** A cut read back from the store at start: this server's memory only (the cluster has it, or reads it itself). */
    @Override
    public void restore(Revocation revocation) {
        revocation.applyTo(local);
    }

    /** Every cut, this server's and the cluster's, reaches this server's memory: the listener hears them there. */
    @Override
    public boolean listen(Consumer<Revocation> listener) {
        return local.listen(listener);
    }

    @Override
    public boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt) {
        return local.isRevoked(jti, subject, familyId, issuedAt);
    }

    private void publish(String entry) {
        try {
            append(entry);
        } catch (RuntimeException e) {
            unpublished.add(entry);
            EeLog.CLUSTER_WRITE_PENDING.log(LOG, String.valueOf(e));
        }
    }

    private void append(String entry) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String current = cache.get(SEQ);
            String next;
            if (current == null) {
                next = UUID.randomUUID().toString().substring(0, 8) + ":1";
                if (!cache.putIfAbsent(SEQ, next)) {
                    continue;
                }
            } else {
                String[] c = current.split(":", 2);
                next = c[0] + ":" + (Long.parseLong(c[1]) + 1);
                if (!cache.replace(SEQ, current, next)) {
                    continue;
                }
            }
            cache.put("e:" + next, entry);
            return;
        }
        throw new IllegalStateException("the revocation counter stayed contended for 1000 attempts");
    }

    /** {epoch, number} of the counter; {"", "0"} when there is none. */
    private String[] counter() {
        String s = cache.get(SEQ);
        return s == null ? new String[] {"", "0"} : s.split(":", 2);
    }

    /** Publishes what failed before, then applies what other servers appended since the last poll. */
    synchronized void poll() {
        try {
            for (String entry; (entry = unpublished.peek()) != null; unpublished.remove()) {
                append(entry);
            }
            String[] counter = counter();
            long seq = Long.parseLong(counter[1]);
            if (!counter[0].equals(epoch)) { // a new counter: its entries are all new to this server
                epoch = counter[0];
                applied = 0;
                gaps.clear();
            }
            long now = clock.millis();
            for (Iterator<Map.Entry<Long, Long>> it = gaps.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Long> gap = it.next();
                String entry = cache.get("e:" + epoch + ":" + gap.getKey());
                if (entry != null) {
                    apply(entry);
                    it.remove();
                } else if (now - gap.getValue() > GAP_MILLIS) {
                    it.remove();
                    EeLog.CLUSTER_ENTRY_LOST.log(LOG, gap.getKey());
                }
            }
            for (long n = applied + 1; n <= seq; n++) {
                String entry = cache.get("e:" + epoch + ":" + n);
                if (entry != null) {
                    apply(entry);
                } else {
                    gaps.put(n, now);
                }
            }
            applied = Math.max(applied, seq);
        } catch (RuntimeException e) {
            EeLog.CLUSTER_UNREADABLE.log(LOG, String.valueOf(e));
        }
    }

    /** Entries are idempotent: applying one twice changes nothing. */
    private void apply(String entry) {
        String[] parts = entry.split("\\|", 3);
        if (parts.length != 3) {
            return;
        }
        Instant at = Instant.ofEpochMilli(Long.parseLong(parts[1]));
        switch (parts[0]) {
            case "j" -> local.revokeAccessToken(parts[2], at);
            case "s" -> local.revokeSubject(parts[2], at);
            case "f" -> local.revokeFamily(parts[2], at);
            default -> { }
        }
    }

    void close() {
        poller.cancel(false);
    }
}
