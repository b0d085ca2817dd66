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
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.findFamily("h"));
            assertTrue(e.getMessage().contains("jdbc/test"), e.getMessage());
        }
        assertEquals(1, attempts.get(), "requests inside the retry interval do not knock on the database");
        clock.advance(Duration.ofSeconds(5));
        assertThrows(StoreUnavailableException.class, () -> store.findFamily("h"));
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
        assertTrue(store.findFamily("h").isEmpty(), "the first request after the interval opens it");
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

    @Test
    void aStartUpTaskThatFailsIsTriedAgainAfterTheIntervalUntilItSucceeds() {
        databaseUp.set(true);
        assertTrue(store.open());
        AtomicInteger runs = new AtomicInteger();
        store.whenAvailable(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new StoreUnavailableException("the reload failed", null);
            }
        });
        assertEquals(1, runs.get());
        store.findFamily("h");
        assertEquals(1, runs.get(), "not again inside the interval");
        clock.advance(Duration.ofSeconds(5));
        store.findFamily("h");
        assertEquals(2, runs.get(), "again after it, on the next use of the store");
        clock.advance(Duration.ofSeconds(5));
        store.findFamily("h");
        assertEquals(2, runs.get(), "and never once it succeeded");
    }

    /** The application stops while the database is being reached: what the attempt opens is closed, nothing opens later. */
    @Test
    void closingWhileAnAttemptIsUnderWayClosesWhatItOpensAndStopsForGood() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean closedStore = new AtomicBoolean();
        AutoCloseable resource = () -> closedStore.set(true);
        DeferredStore slow = new DeferredStore(() -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ClosingStore(resource);
        }, "jdbc/test", clock, Duration.ofSeconds(5));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> attempt = pool.submit(slow::open);
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            slow.close();
            release.countDown();
            assertFalse(attempt.get(10, TimeUnit.SECONDS), "the stopped application's store does not open");
            assertTrue(closedStore.get(), "what the attempt opened is closed");
            assertFalse(slow.open());
            assertThrows(StoreUnavailableException.class, () -> slow.findFamily("h"));
        } finally {
            pool.shutdownNow();
        }
    }

    /** An in-memory store that closes a resource with itself. */
    private static final class ClosingStore implements RefreshTokenStore, AutoCloseable {
        private final InMemoryRefreshTokenStore delegate = new InMemoryRefreshTokenStore();
        private final AutoCloseable resource;

        ClosingStore(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        public void close() throws Exception {
            resource.close();
        }

        @Override
        public void createFamily(RefreshTokenFamily family, CurrentToken firstToken) {
            delegate.createFamily(family, firstToken);
        }

        @Override
        public java.util.Optional<FamilyAndToken> findFamilyAndToken(String familyId) {
            return delegate.findFamilyAndToken(familyId);
        }

        @Override
        public java.util.Optional<RefreshTokenFamily> findFamily(String familyId) {
            return delegate.findFamily(familyId);
        }

        @Override
        public RotationResult advance(String familyId, long generation, CurrentToken successor, java.time.Instant now, java.time.Instant idle) {
            return delegate.advance(familyId, generation, successor, now, idle);
        }

        @Override
        public boolean revokeFamily(String familyId, java.time.Instant now, String reason) {
            return delegate.revokeFamily(familyId, now, reason);
        }

        @Override
        public List<String> revokeFamiliesOfSubject(String subject, java.time.Instant now, String reason) {
            return delegate.revokeFamiliesOfSubject(subject, now, reason);
        }

        @Override
        public List<String> revokeFamiliesOfClient(String clientId, java.time.Instant now, String reason) {
            return delegate.revokeFamiliesOfClient(clientId, now, reason);
        }

        @Override
        public List<RefreshTokenFamily> familiesOfSubject(String subject) {
            return delegate.familiesOfSubject(subject);
        }

        @Override
        public int deleteExpired(java.time.Instant now, java.time.Instant revokedBefore, int batchSize) {
            return delegate.deleteExpired(now, revokedBefore, batchSize);
        }

        @Override
        public void saveRevocation(io.tokengate.core.revocation.Revocation revocation) {
            delegate.saveRevocation(revocation);
        }

        @Override
        public List<io.tokengate.core.revocation.Revocation> liveRevocations(java.time.Instant now, Duration notBeforeLife) {
            return delegate.liveRevocations(now, notBeforeLife);
        }

        @Override
        public int deleteExpiredRevocations(java.time.Instant now, int batchSize) {
            return delegate.deleteExpiredRevocations(now, batchSize);
        }
    }
}
