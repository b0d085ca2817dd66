package io.tokengate.ee;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;

import io.tokengate.core.dpop.DPoPConfig;
import io.tokengate.core.dpop.DPoPReplayCache;
import io.tokengate.core.dpop.InMemoryDPoPReplayCache;

/**
 * DPoP proofs used anywhere in the cluster (RFC 9449 §11.1): a proof is checked against this server's memory first
 * (a replay here never leaves the JVM), then recorded in a JCache cache shared by the cluster with
 * {@code putIfAbsent}, so the same proof sent to another server is refused there. Entries expire when the proof's
 * acceptance window has passed ({@code max-age} plus twice the clock skew). On Hazelcast the cache never evicts (an
 * evicted proof could be replayed to another server): it is bounded all the same, since a proof reaches it only after
 * passing a server's memory, which holds at most {@code tokengate.dpop.replay-cache-size} live proofs and refuses
 * beyond — the cluster's cache holds at most that many per server. Costs one cache call per accepted proof,
 * and only for DPoP requests. If the cluster's cache cannot be written, the proof is judged by this server's memory
 * alone (TG-0418, at most once a minute) rather than refusing every DPoP client during the outage.
 */
final class JCacheDPoPReplayCache implements DPoPReplayCache {
    private static final System.Logger LOG = System.getLogger(JCacheDPoPReplayCache.class.getName());
    private static final long WARN_EVERY_MILLIS = 60_000;

    private final Cache<String, String> cache;
    private final DPoPReplayCache local;
    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2); // MIN_VALUE itself would overflow now - last

    JCacheDPoPReplayCache(Cache<String, String> cache, DPoPReplayCache local, Clock clock) {
        this.cache = cache;
        this.local = local;
        this.clock = clock;
    }

    /** Opens (or joins) the proof cache of this issuer in {@code manager}. */
    static JCacheDPoPReplayCache open(CacheManager manager, String issuer, DPoPConfig dpop, Duration clockSkew, Clock clock) {
        String name = "tokengate-dpop-" + Integer.toHexString(issuer.hashCode());
        Cache<String, String> cache = manager.getCache(name, String.class, String.class);
        if (cache == null) {
            long window = dpop.maxAge().plus(clockSkew.multipliedBy(2)).plusSeconds(1).toMillis();
            MutableConfiguration<String, String> config = new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                    .setStoreByValue(true).setStatisticsEnabled(false)
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, window)));
            try {
                cache = manager.createCache(name, JCacheRevocationRegistry.hazelcast(manager) ? HazelcastCaches.withoutEviction(config) : config);
            } catch (CacheException e) { // another server created it meanwhile
                cache = manager.getCache(name, String.class, String.class);
            }
        }
        return new JCacheDPoPReplayCache(cache, new InMemoryDPoPReplayCache(dpop.replayCacheSize(), clock), clock);
    }

    String cacheName() {
        return cache.getName();
    }

    @Override
    public boolean firstUse(String key, Instant forgetAfter) {
        if (!local.firstUse(key, forgetAfter)) {
            return false;
        }
        try {
            return cache.putIfAbsent(key, "");
        } catch (CacheException | IllegalStateException e) {
            long now = clock.millis();
            long last = lastWarning.get();
            if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
                EeLog.DPOP_CACHE_UNAVAILABLE.log(LOG, cache.getName(), e.toString());
            }
            return true; // recorded here: a replay to this server is still refused
        }
    }
}
