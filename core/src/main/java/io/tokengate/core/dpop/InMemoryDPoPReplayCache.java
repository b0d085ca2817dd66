package io.tokengate.core.dpop;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proofs used on this server, at most {@code capacity} at a time: entries are dropped once their acceptance window
 * has passed (a replay of such a proof fails its {@code iat} check anyway); when the cache is full of live entries a new
 * proof is refused rather than remembered nowhere. Lock-free; a sweep of expired entries runs when the cache is full,
 * at most once a second.
 */
public final class InMemoryDPoPReplayCache implements DPoPReplayCache {
    static final long SWEEP_INTERVAL_MILLIS = 1000;
    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    private final int capacity;
    private final Clock clock;

    public InMemoryDPoPReplayCache(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String key, Instant forgetAfter) {
        if (size.get() >= capacity) {
            long now = clock.millis();
            long next = nextSweep.get();
            if (now >= next && nextSweep.compareAndSet(next, now + SWEEP_INTERVAL_MILLIS)) {
                sweep(); // at most once a second: a flood of proofs keeping the cache full costs no sweep per request
            }
            if (size.get() >= capacity) {
                return false; // full of live proofs: refuse rather than forget
            }
        }
        if (used.putIfAbsent(key, forgetAfter) != null) {
            return false;
        }
        size.incrementAndGet();
        return true;
    }

    private void sweep() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Instant>> it = used.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (!e.getValue().isAfter(now) && used.remove(e.getKey(), e.getValue())) {
                size.decrementAndGet();
            }
        }
    }

    /** Entries held (for tests). */
    int size() {
        return size.get();
    }
}
