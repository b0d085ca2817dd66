package io.tokengate.core.refresh;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tokengate.core.authorize.AuthorizationCodeStore;
import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.log.CoreLog;
import io.tokengate.core.revocation.Revocation;

/**
 * A store that is opened once its database answers, so an application starts while its database is down: until
 * then every operation throws {@link StoreUnavailableException} at once (the endpoints answer 503
 * {@code temporarily_unavailable}; bearer validation needs no store). The store is opened by {@link #open()} — the
 * host calls it at start and then every {@link #retryInterval()} until it succeeds — or by an operation, at most
 * once per interval; one attempt at a time. Once open it stays open: a later outage is the opened store's own
 * (each operation fails and recovers with its database). The actions of {@link #whenAvailable} run once, when
 * it opens; one that fails is tried again, at most once per interval, until it succeeds. {@link #close()} stops it
 * for good, also an attempt still under way.
 */
public final class DeferredStore implements RefreshTokenStore, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeferredStore.class.getName());

    /** Opens the store: {@link StoreUnavailableException} when the database cannot be reached (tried again later). */
    @FunctionalInterface
    public interface Opener {
        RefreshTokenStore open();
    }

    private final Opener opener;
    private final String name;
    private final Clock clock;
    private final Duration retryInterval;
    private final Queue<Runnable> whenAvailable = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> failedActions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean opening = new AtomicBoolean();
    private volatile RefreshTokenStore store;
    private volatile StoreUnavailableException lastFailure;
    private volatile Instant nextAttempt = Instant.MIN;
    /** Start-up actions that failed once the store was open, tried again at most once per retry interval. */
    private volatile Instant nextActionRetry = Instant.MIN;
    private volatile boolean closed;

    /**
     * @param opener        opens the real store
     * @param name          what the log lines call it (e.g. the datasource's JNDI name)
     * @param retryInterval how long after a failed attempt an operation may try again
     */
    public DeferredStore(Opener opener, String name, Clock clock, Duration retryInterval) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
    }

    public Duration retryInterval() {
        return retryInterval;
    }

    public boolean isOpen() {
        return store != null;
    }

    /**
     * Tries to open the store now, unless it is open or another thread is trying. A failure to reach the database
     * is logged ({@code TG-1007}, once until it opens) and answered false; any other failure of the first attempt
     * (a configuration error) is thrown.
     *
     * @return whether the store is open
     */
    public boolean open() {
        if (store != null) {
            retryFailedActions();
            return true;
        }
        if (closed || !opening.compareAndSet(false, true)) {
            return store != null;
        }
        boolean first = nextAttempt == Instant.MIN;
        try {
            RefreshTokenStore opened = opener.open();
            if (closed) { // the application stopped while the database was being reached
                closeQuietly(opened);
                return false;
            }
            store = opened;
            if (!first) {
                CoreLog.STORE_CONNECTED.log(LOG, name);
            }
            runWhenAvailable();
            return true;
        } catch (StoreUnavailableException e) {
            failed(e, first);
            return false;
        } catch (RuntimeException e) {
            if (first) {
                throw e; // a configuration error fails the start
            }
            failed(new StoreUnavailableException("opening the store failed: " + e, e), false);
            return false;
        } finally {
            opening.set(false);
        }
    }

    private void failed(StoreUnavailableException e, boolean first) {
        boolean wasFailing = lastFailure != null;
        lastFailure = e;
        nextAttempt = clock.instant().plus(retryInterval);
        if (!wasFailing) {
            CoreLog.STORE_UNREACHABLE.log(LOG, name, describe(e), retryInterval);
        } else {
            LOG.log(Level.DEBUG, "the refresh-token store on {0} still cannot reach its database: {1}", name, describe(e));
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root;
    }

    /** Runs an action; one that fails goes back on the queue, to be tried again once the retry interval has passed. */
    private void runSafely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            CoreLog.STARTUP_TASK_FAILED.log(LOG, retryInterval,
                    String.valueOf(e));
            nextActionRetry = clock.instant().plus(retryInterval);
            failedActions.add(action);
        }
    }

    private void retryFailedActions() {
        if (!failedActions.isEmpty() && !clock.instant().isBefore(nextActionRetry)) {
            for (Runnable action; (action = failedActions.poll()) != null; ) {
                whenAvailable.add(action);
            }
            runWhenAvailable();
        }
    }

    /** The open store, or after a rate-limited attempt to open it, {@link StoreUnavailableException}. */
    private RefreshTokenStore store() {
        RefreshTokenStore s = store;
        if (s != null) {
            if (!failedActions.isEmpty()) {
                retryFailedActions();
            }
            return s;
        }
        if (!closed && !clock.instant().isBefore(nextAttempt) && open()) {
            return store;
        }
        StoreUnavailableException last = lastFailure;
        throw new StoreUnavailableException("the refresh-token store on " + name + " is not connected yet", last);
    }

    @Override
    public void whenAvailable(Runnable action) {
        whenAvailable.add(action);
        if (store != null) {
            runWhenAvailable(); // opened already, or meanwhile
        }
    }

    /** Each queued action runs once, on whichever thread takes it off the queue. */
    private void runWhenAvailable() {
        for (Runnable action; (action = whenAvailable.poll()) != null; ) {
            runSafely(action);
        }
    }

    /** Closes the open store; an attempt still under way closes what it opens, and none starts any more. */
    @Override
    public void close() {
        closed = true;
        RefreshTokenStore s = store;
        if (s != null) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(RefreshTokenStore s) {
        if (s instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "closing the refresh-token store failed: {0}", String.valueOf(e));
            }
        }
    }

    @Override
    public KeySetStore keySets() {
        return store().keySets();
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return store().authorizationCodes();
    }

    @Override
    public void createFamily(RefreshTokenFamily family, CurrentToken firstToken) {
        store().createFamily(family, firstToken);
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        return store().findFamily(familyId);
    }

    @Override
    public Optional<FamilyAndToken> findFamilyAndToken(String familyId) {
        return store().findFamilyAndToken(familyId);
    }

    @Override
    public RotationResult advance(String familyId, long generation, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        return store().advance(familyId, generation, successor, now, newIdleExpiresAt);
    }

    @Override
    public Optional<TokenAndFamily> findTokenAndFamily(String tokenHash) {
        return store().findTokenAndFamily(tokenHash);
    }

    @Override
    public RotationResult rotate(String presentedHash, String familyId, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        return store().rotate(presentedHash, familyId, successor, now, newIdleExpiresAt);
    }

    @Override
    public boolean revokeFamily(String familyId, Instant now, String reason) {
        return store().revokeFamily(familyId, now, reason);
    }

    @Override
    public List<String> revokeFamiliesOfSubject(String subject, Instant now, String reason) {
        return store().revokeFamiliesOfSubject(subject, now, reason);
    }

    @Override
    public List<String> revokeFamiliesOfClient(String clientId, Instant now, String reason) {
        return store().revokeFamiliesOfClient(clientId, now, reason);
    }

    @Override
    public List<RefreshTokenFamily> familiesOfSubject(String subject) {
        return store().familiesOfSubject(subject);
    }

    @Override
    public int deleteExpired(Instant now, Instant revokedBefore, int batchSize) {
        return store().deleteExpired(now, revokedBefore, batchSize);
    }

    @Override
    public int deleteRotatedTokens(Instant rotatedBefore, int batchSize) {
        return store().deleteRotatedTokens(rotatedBefore, batchSize);
    }

    @Override
    public void saveRevocation(Revocation revocation) {
        store().saveRevocation(revocation);
    }

    @Override
    public List<Revocation> liveRevocations(Instant now, Duration notBeforeLife) {
        return store().liveRevocations(now, notBeforeLife);
    }

    @Override
    public int deleteExpiredRevocations(Instant now, int batchSize) {
        return store().deleteExpiredRevocations(now, batchSize);
    }
}
