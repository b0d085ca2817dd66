package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.cache.Cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers' registries on one shared cache (a map standing in for the cluster's JCache): what one revokes the
 * other enforces after a poll, including after the counter expired and started again, after a writer took a number
 * but had not written its entry yet, and after a publication failed.
 */
class JCacheRevocationRegistryTest {
    private final Map<String, String> shared = new ConcurrentHashMap<>();
    private final AtomicBoolean putFails = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final Instant iat = Instant.now().minusSeconds(10);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private Cache<String, String> cache() {
        return (Cache<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Cache.class}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "get":
                    return shared.get((String) args[0]);
                case "put":
                    if (putFails.get()) {
                        throw new javax.cache.CacheException("cluster unreachable");
                    }
                    shared.put((String) args[0], (String) args[1]);
                    return null;
                case "putIfAbsent":
                    return shared.putIfAbsent((String) args[0], (String) args[1]) == null;
                case "replace":
                    return args.length == 3 && shared.replace((String) args[0], (String) args[1], (String) args[2]);
                case "getName":
                    return "test";
                case "iterator":
                    Iterator<Map.Entry<String, String>> it = Map.copyOf(shared).entrySet().iterator();
                    return new Iterator<Cache.Entry<String, String>>() {
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        public Cache.Entry<String, String> next() {
                            Map.Entry<String, String> e = it.next();
                            return entry(e.getKey(), e.getValue());
                        }
                    };
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    private static Cache.Entry<String, String> entry(String key, String value) {
        return new Cache.Entry<>() {
            public String getKey() {
                return key;
            }

            public String getValue() {
                return value;
            }

            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private JCacheRevocationRegistry server() {
        return JCacheRevocationRegistry.on(cache(), Duration.ofHours(1), Duration.ofSeconds(30), java.time.Clock.systemUTC(), executor);
    }

    @Test
    void whatOneServerRevokesTheOtherEnforcesAfterAPoll() {
        JCacheRevocationRegistry a = server();
        JCacheRevocationRegistry b = server();
        a.revokeSubject("alice", Instant.now());
        assertTrue(a.isRevoked("j1", "alice", null, iat), "at once on the server that revoked");
        b.poll();
        assertTrue(b.isRevoked("j1", "alice", null, iat));
        a.revokeFamily("fam-1", Instant.now());
        a.revokeAccessToken("jti-9", Instant.now().plusSeconds(60));
        b.poll();
        assertTrue(b.isRevoked("x", "bob", "fam-1", iat));
        assertTrue(b.isRevoked("jti-9", "carol", null, iat));
        assertFalse(b.isRevoked("jti-8", "carol", "fam-2", iat));
    }

    @Test
    void aServerStartingLaterLearnsWhatWasRevokedBefore() {
        server().revokeSubject("alice", Instant.now());
        assertTrue(server().isRevoked("j1", "alice", null, iat));
    }

    @Test
    void aCounterThatExpiredAndStartedAgainIsNotMistakenForOneAlreadyRead() {
        JCacheRevocationRegistry a = server();
        JCacheRevocationRegistry b = server();
        a.revokeSubject("alice", Instant.now());
        b.poll(); // b has applied entry 1
        shared.clear(); // a quiet hour: the counter and its entries expired
        a.revokeSubject("bob", Instant.now()); // entry 1 again, of a new counter
        b.poll();
        assertTrue(b.isRevoked("j2", "bob", null, iat), "the new counter's entry 1 is new to b");
    }

    @Test
    void anEntryWhoseNumberWasTakenButNotYetWrittenIsReadWhenItAppears() {
        JCacheRevocationRegistry a = server();
        a.revokeSubject("alice", Instant.now());
        String counter = shared.get("seq");
        String epoch = counter.split(":")[0];
        shared.put("seq", epoch + ":2"); // a writer took number 2 and has not written e:EPOCH:2 yet
        JCacheRevocationRegistry late = server(); // starts in between
        shared.put("e:" + epoch + ":2", "s|" + Instant.now().toEpochMilli() + "|bob");
        late.poll();
        assertTrue(late.isRevoked("j", "bob", null, iat), "the gap seen at start-up is filled at the next poll");
        assertTrue(late.isRevoked("j", "alice", null, iat));
    }

    @Test
    void aRevocationThatCouldNotBePublishedIsPublishedAtTheNextPoll() {
        JCacheRevocationRegistry a = server();
        JCacheRevocationRegistry b = server();
        putFails.set(true);
        a.revokeFamily("fam-7", Instant.now());
        assertTrue(a.isRevoked("j", "alice", "fam-7", iat), "enforced locally although the cluster did not take it");
        putFails.set(false);
        a.poll();
        b.poll();
        assertTrue(b.isRevoked("j", "alice", "fam-7", iat), "published once the cluster answered again");
    }
}
