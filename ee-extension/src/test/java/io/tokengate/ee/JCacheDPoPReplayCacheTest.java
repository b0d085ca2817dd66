package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.Cache;

import org.junit.jupiter.api.Test;

import io.tokengate.core.dpop.InMemoryDPoPReplayCache;

/**
 * Two servers' proof caches on one shared cache (a map standing in for the cluster's JCache): a replay on the same
 * server is refused from memory without a cache call, one to another server by the shared cache, and a cache that
 * cannot be written leaves each server refusing its own replays.
 */
class JCacheDPoPReplayCacheTest {
    private final Map<String, String> shared = new ConcurrentHashMap<>();
    private final AtomicBoolean fails = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final Instant window = Instant.now().plusSeconds(60);

    @SuppressWarnings("unchecked")
    private Cache<String, String> cache() {
        return (Cache<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Cache.class}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "putIfAbsent":
                    calls.incrementAndGet();
                    if (fails.get()) {
                        throw new javax.cache.CacheException("cluster unreachable");
                    }
                    return shared.putIfAbsent((String) args[0], (String) args[1]) == null;
                case "getName":
                    return "test";
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    private JCacheDPoPReplayCache server() {
        return new JCacheDPoPReplayCache(cache(), new InMemoryDPoPReplayCache(1000, Clock.systemUTC()), Clock.systemUTC());
    }

    @Test
    void aReplayIsRefusedOnTheSameServerWithoutACacheCallAndOnAnotherThroughTheCache() {
        JCacheDPoPReplayCache a = server();
        JCacheDPoPReplayCache b = server();
        assertTrue(a.firstUse("k1", window));
        assertEquals(1, calls.get());
        assertFalse(a.firstUse("k1", window), "replayed to the same server");
        assertEquals(1, calls.get(), "refused from memory: no cache call");
        assertFalse(b.firstUse("k1", window), "replayed to another server");
        assertEquals(2, calls.get());
    }

    @Test
    void anUnwritableCacheLeavesEachServerRefusingItsOwnReplays() {
        JCacheDPoPReplayCache a = server();
        fails.set(true);
        assertTrue(a.firstUse("k2", window), "the proof is judged by this server's memory during the outage");
        assertFalse(a.firstUse("k2", window), "and a replay to this server is still refused");
        fails.set(false);
        assertTrue(server().firstUse("k2", window), "the outage's proof never reached the cluster: the documented gap of TG-0418");
    }

    @Test
    void anOutageIsLoggedAsTg0418AtMostOnceAMinute() {
        try (io.tokengate.core.support.LogCapture log = io.tokengate.core.support.LogCapture.of(JCacheDPoPReplayCache.class.getName())) {
            JCacheDPoPReplayCache a = server();
            fails.set(true);
            assertTrue(a.firstUse("k3", window));
            assertTrue(a.firstUse("k4", window));
            java.util.List<String> lines = log.lines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("TG-0418 the cluster's DPoP proof cache test cannot be written"), lines.get(0));
        }
    }
}
