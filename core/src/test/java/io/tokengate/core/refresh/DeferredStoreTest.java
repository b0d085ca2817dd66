package io.tokengate.core.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tokengate.core.support.MutableClock;

/** A store whose database is down when the application starts: it opens later, without a redeploy. */
class DeferredStoreTest {
    private final MutableClock clock = MutableClock.startingAt("2026-12-02T10:00:00Z");
    private final AtomicBoolean databaseUp = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();
    private final DeferredStore store = new DeferredStore(() -> {
        attempts.incrementAndGet();
        if (!databaseUp.get()) {
            throw new StoreUnavailableException("connection refused", new java.sql.SQLException("refused"));
        }
        return new InMemoryRefreshTokenStore();
    }, "jdbc/test", clock, Duration.ofSeconds(5));

    @Test
    void withTheDatabaseDownEveryOperationIsUnavailableAtOnceAndTriesAtMostOncePerInterval() {
        assertFalse(store.open(), "the start does not fail");
        assertFalse(store.isOpen());
        for (int i = 0; i < 10; i++) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.findToken("h"));
            assertTrue(e.getMessage().contains("jdbc/test"), e.getMessage());
        }
        assertEquals(1, attempts.get(), "requests inside the retry interval do not knock on the database");
        clock.advance(Duration.ofSeconds(5));
        assertThrows(StoreUnavailableException.class, () -> store.findToken("h"));
        assertEquals(2, attempts.get(), "one attempt once the interval has passed");
    }

    @Test
    void itOpensWhenTheDatabaseAnswersAndRunsTheStartUpTasksOnce() {
        List<String> ran = new ArrayList<>();
        assertFalse(store.open());
        store.whenAvailable(() -> ran.add("restore revocations"));
        assertTrue(ran.isEmpty(), "nothing to restore from while the database is down");

        databaseUp.set(true);
        clock.advance(Duration.ofSeconds(5));
        assertTrue(store.findToken("h").isEmpty(), "the first request after the interval opens it");
        assertTrue(store.isOpen());
        assertEquals(List.of("restore revocations"), ran);
        assertTrue(store.open());
        store.findFamily("f");
        assertEquals(List.of("restore revocations"), ran, "once");
        store.whenAvailable(() -> ran.add("later"));
        assertEquals(List.of("restore revocations", "later"), ran, "at once when open");
        assertEquals(2, attempts.get());
    }

    @Test
    void theBackgroundAttemptOpensItWithoutAnyRequest() {
        assertFalse(store.open());
        databaseUp.set(true);
        assertTrue(store.open(), "open() is not rate-limited: the host calls it on its own schedule");
    }

    @Test
    void aConfigurationErrorFailsTheStart() {
        DeferredStore broken = new DeferredStore(() -> {
            throw new IllegalStateException("no JPA provider on the class path");
        }, "jdbc/test", clock, Duration.ofSeconds(5));
        assertThrows(IllegalStateException.class, broken::open);
    }

    @Test
    void oneAttemptAtATime() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger opens = new AtomicInteger();
        DeferredStore slow = new DeferredStore(() -> {
            opens.incrementAndGet();
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InMemoryRefreshTokenStore();
        }, "jdbc/test", clock, Duration.ofSeconds(5));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Boolean> first = pool.submit(slow::open);
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            List<Future<Boolean>> others = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                others.add(pool.submit(slow::open));
            }
            for (Future<Boolean> f : others) {
                assertFalse(f.get(10, TimeUnit.SECONDS), "another attempt is under way: not open yet, and no second attempt");
            }
            release.countDown();
            assertTrue(first.get(10, TimeUnit.SECONDS));
            assertEquals(1, opens.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
