package io.tokengate.ee;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;

/**
 * TokenGate's caches on Hazelcast (Payara's data grid): a JCache cache created there evicts entries beyond 10,000
 * unless its Hazelcast configuration says otherwise. An evicted revocation would let a revoked token back in on a
 * server that joins later, an evicted DPoP proof could be replayed to another server: neither cache evicts. Used only when the server's cache manager is Hazelcast's (Payara exposes its API
 * to applications; TokenGate never bundles it).
 */
final class HazelcastCaches {
    private HazelcastCaches() {
    }

    static boolean isHazelcast(CacheManager manager) {
        return manager.getClass().getName().startsWith("com.hazelcast.");
    }

    /** {@code config} as a Hazelcast cache configuration that never evicts. */
    static <K, V> CompleteConfiguration<K, V> withoutEviction(MutableConfiguration<K, V> config) {
        CacheConfig<K, V> hazelcast = new CacheConfig<>(config);
        hazelcast.setEvictionConfig(new EvictionConfig().setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT).setSize(Integer.MAX_VALUE)
                .setEvictionPolicy(EvictionPolicy.LRU));
        return hazelcast;
    }

    /** Whether the cache keeps every entry until it expires. */
    static boolean evictionFree(Cache<?, ?> cache) {
        @SuppressWarnings("unchecked")
        CacheConfig<Object, Object> config = cache.getConfiguration(CacheConfig.class);
        EvictionConfig eviction = config.getEvictionConfig();
        return eviction.getMaxSizePolicy() == MaxSizePolicy.ENTRY_COUNT && eviction.getSize() == Integer.MAX_VALUE;
    }
}
