package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * The cluster caches on a real Hazelcast data grid (the one Payara Micro embeds, as one member on 127.0.0.1 that
 * joins nobody): the revocation cache never evicts a live revocation, however many there are (Hazelcast's JCache
 * default keeps 10,000 entries and evicts beyond that); a DPoP proof used on one server is refused on another.
 */
class JCacheOnHazelcastTest {
    private static HazelcastInstance member;
    private static CachingProvider provider;
    private static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void startMember() {
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "none");
        Config config = new Config().setClusterName("tokengate-test-" + java.util.UUID.randomUUID()).setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().setPort(5970).setPortAutoIncrement(true).setPublicAddress("127.0.0.1");
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        member = Hazelcast.newHazelcastInstance(config);
        provider = Caching.getCachingProvider("com.hazelcast.cache.HazelcastMemberCachingProvider", JCacheOnHazelcastTest.class.getClassLoader());
    }

    @AfterAll
    static void stopMember() {
        EXECUTOR.shutdownNow();
        if (provider != null) {
            provider.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    private static CacheManager manager() {
        return provider.getCacheManager(provider.getDefaultURI(), JCacheOnHazelcastTest.class.getClassLoader(),
                HazelcastCachingProvider.propertiesByInstanceItself(member));
    }

    @Test
    void moreRevokedTokensThanHazelcastsDefaultCacheHoldsAreAllKeptForAJoiningServer() {
        String issuer = "https://issuer.example/" + java.util.UUID.randomUUID();
        JCacheRevocationRegistry first = JCacheRevocationRegistry.open(manager(), issuer, Duration.ofHours(1), Duration.ofSeconds(30), java.time.Clock.systemUTC(), EXECUTOR);
        int revoked = 12_000;
        Instant exp = Instant.now().plus(Duration.ofMinutes(5));
        try {
            for (int i = 0; i < revoked; i++) {
                first.revokeAccessToken("jti-" + i, exp);
            }
        } finally {
            first.close();
        }
        // a server that joins now learns every revocation from the cache
        JCacheRevocationRegistry joining = JCacheRevocationRegistry.open(manager(), issuer, Duration.ofHours(1), Duration.ofSeconds(30), java.time.Clock.systemUTC(), EXECUTOR);
        try {
            int enforced = 0;
            for (int i = 0; i < revoked; i++) {
                if (joining.isRevoked("jti-" + i, "alice", null, Instant.now())) {
                    enforced++;
                }
            }
            assertEquals(revoked, enforced, "no revocation was evicted");
            assertTrue(JCacheRevocationRegistry.evictionFree(manager().getCache(joining.cacheName(), String.class, String.class)),
                    "the cache is configured without eviction");
        } finally {
            joining.close();
        }
    }

    @Test
    void aDpopProofUsedOnOneServerIsRefusedOnAnotherAndTheCacheNeverEvictsButExpires() {
        String issuer = "https://issuer.example/" + java.util.UUID.randomUUID();
        io.tokengate.core.dpop.DPoPConfig dpop = new io.tokengate.core.dpop.DPoPConfig(
                java.util.Set.of(io.tokengate.core.keys.SigningAlgorithm.ES256), Duration.ofSeconds(60), 5000);
        JCacheDPoPReplayCache a = JCacheDPoPReplayCache.open(manager(), issuer, dpop, Duration.ofSeconds(30), java.time.Clock.systemUTC());
        JCacheDPoPReplayCache b = JCacheDPoPReplayCache.open(manager(), issuer, dpop, Duration.ofSeconds(30), java.time.Clock.systemUTC());
        Instant window = Instant.now().plusSeconds(120);
        assertTrue(a.firstUse("jkt proof-1", window), "first use, on server a");
        assertFalse(b.firstUse("jkt proof-1", window), "the same proof sent to server b");
        assertFalse(a.firstUse("jkt proof-1", window), "and again to server a");
        assertTrue(b.firstUse("jkt proof-2", window), "another proof on server b");

        javax.cache.Cache<String, String> cache = manager().getCache(a.cacheName(), String.class, String.class);
        @SuppressWarnings("unchecked")
        com.hazelcast.config.CacheConfig<String, String> config = cache.getConfiguration(com.hazelcast.config.CacheConfig.class);
        assertTrue(JCacheRevocationRegistry.evictionFree(cache), "never evicts a live proof (Hazelcast's default evicts beyond 10,000)");
        javax.cache.expiry.Duration expiry = config.getExpiryPolicyFactory().create().getExpiryForCreation();
        assertEquals(121_000, expiry.getTimeUnit().toMillis(expiry.getDurationAmount()), "kept for max-age + 2 x clock skew + 1 s");
    }
}
