package io.tokengate.core.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

import io.tokengate.core.log.CoreLog;

/**
 * Generated keys shared by every server of one issuer through a {@link KeySetStore} (the store's database): every
 * server signs with the same active key and publishes the same JWKS. A change — rotation, retirement, the schedule —
 * is made on one server as a compare-and-set of the stored record, and every other server adopts it at its next
 * check, every {@link #CHECK_INTERVAL}; a token whose {@code kid} a server does not know makes it check at once (at most
 * once per interval), so a key another server has just started signing with is found on the first request that
 * carries it. The private keys are stored only encrypted ({@link KeySealer}).
 *
 * <p>With a rotation interval, the schedule runs on every server and the first to act wins: a next key is generated
 * and published {@code publishAhead} (the JWKS {@code max-age}) before the active key's time is up, then rotated to;
 * the old key verifies for the ring's retention (the longest access-token lifetime plus the skew).
 *
 * <p>The record's version is sealed with it, so an older record written back under a newer version does not open; a
 * stored version older than the one a server has (a restored backup, or a write by someone else) is not adopted nor
 * written over (TG-0210). Changes and checks hold a lock around the database; the request path never waits for it.
 */
public final class SharedKeySet implements ManagedKeys, AutoCloseable {
    /** How often a server checks the stored key set for another server's change. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(SharedKeySet.class.getName());
    private static final String ACTIVE_SINCE = "tokengate_active_since_ms";
    private static final String NEXT_SINCE = "tokengate_next_since_ms";
    private static final int ATTEMPTS = 10;
    /** How often a failure that goes on is logged again. */
    private static final Duration LOG_AGAIN = Duration.ofMinutes(1);

    /** The stored key set as adopted: its version, keys, and since when the active and next keys have held their place. */
    record State(long version, KeySet keys, Instant activeSince, Instant nextSince) {
    }

    private final String issuer;
    private final KeySetStore store;
    private final KeySealer sealer;
    private final SigningAlgorithm algorithm;
    private final Clock clock;
    private final Duration publishAhead;
    private final Duration rotationInterval;
    private final KeyRing ring;
    /**
     * Kids this server retired, each with the key that takes its place if it was the active key: kept out of whatever
     * this server reads back, also when its write did not reach the database (the next check stores it again).
     */
    private final Map<String, SigningKey> retiredHere = new ConcurrentHashMap<>();
    private final AtomicBoolean checking = new AtomicBoolean();
    /** Held around every read and change of the stored record; never waited for on a request thread. */
    private final ReentrantLock lock = new ReentrantLock();
    /** This server's key set as adopted (less what it retired itself), with the stored version it came from. */
    private volatile State state;
    /** The stored record as last read, before this server's own retirements are taken out. */
    private volatile State stored;
    private volatile Instant quietUntil = Instant.MIN;
    private volatile Instant scheduleQuietUntil = Instant.MIN;
    private volatile Consumer<String> onRetired = kid -> { };
    private volatile long nextUnknownKidCheck;
    private ScheduledExecutorService timer;

    private SharedKeySet(String issuer, KeySetStore store, KeySealer sealer, SigningAlgorithm algorithm, Clock clock, Duration retention,
            Duration publishAhead, Duration rotationInterval, State initial) {
        this.issuer = issuer;
        this.store = store;
        this.sealer = sealer;
        this.algorithm = algorithm;
        this.clock = clock;
        this.publishAhead = publishAhead;
        this.rotationInterval = rotationInterval;
        this.state = initial;
        this.stored = initial;
        this.ring = new KeyRing(initial.keys(), clock, retention);
        this.ring.onUnknownKid(kid -> checkForUnknownKid());
        this.nextUnknownKidCheck = System.nanoTime();
    }

    /**
     * Opens the issuer's shared key set: the stored one, or, when none is stored yet, one generated active key (when
     * several servers start at once, one stores its key and the others adopt it). A record sealed under an older
     * key-encryption key is sealed again under the current one.
     *
     * @param retention        how long a rotated-out key keeps verifying
     * @param publishAhead     how long a scheduled next key is published before it signs: the JWKS max-age, plus the
     *                         clock skew between servers and a check or two
     * @param rotationInterval how long a key signs before the schedule replaces it; null: no schedule
     * @throws KeySetException when the stored record cannot be opened (wrong key-encryption key)
     * @throws io.tokengate.core.refresh.StoreUnavailableException when the database cannot be reached
     */
    public static SharedKeySet open(String issuer, KeySetStore store, KeySealer sealer, SigningAlgorithm algorithm, Clock clock,
            Duration retention, Duration publishAhead, Duration rotationInterval) {
        Objects.requireNonNull(store, "store");
        if (rotationInterval != null && rotationInterval.compareTo(publishAhead) <= 0) {
            throw new KeySetException("the rotation interval must be longer than the JWKS max-age, which a next key is published ahead");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<KeySetStore.Stored> stored = store.load();
            if (stored.isPresent()) {
                State s = decode(stored.get(), sealer, algorithm);
                SharedKeySet shared = new SharedKeySet(issuer, store, sealer, algorithm, clock, retention, publishAhead, rotationInterval, s);
                if (!KeySealer.idOf(stored.get().sealed()).equals(sealer.currentId())) {
                    shared.change(latest -> new State(latest.version(), latest.keys(), latest.activeSince(), latest.nextSince()), "sealed again under "
                            + "key-encryption key " + sealer.currentId(), true);
                }
                return shared;
            }
            Instant now = clock.instant();
            State first = new State(1, KeySet.of(KeyGenerator.generate(algorithm)), now, null);
            if (store.compareAndSet(0, sealer.seal(encode(first), 1))) {
                CoreLog.SHARED_KEYS_CHANGED.log(LOG, issuer, 1, "created", first.keys().describe());
                return new SharedKeySet(issuer, store, sealer, algorithm, clock, retention, publishAhead, rotationInterval, first);
            }
        }
        throw new KeySetException("the shared key set kept changing while this server started; start it again");
    }

    @Override
    public KeyRing keyRing() {
        return ring;
    }

    /** Called with the kid of every key retired, here or on another server (so the revocation feed can tell resource servers). */
    public void onRetired(Consumer<String> listener) {
        this.onRetired = Objects.requireNonNull(listener, "listener");
    }

    /** Checks every {@link #CHECK_INTERVAL}, on a daemon thread of its own (with the caller's context class loader), until {@link #close()}. */
    public synchronized SharedKeySet start() {
        if (timer == null) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tokengate-shared-keys");
                t.setDaemon(true);
                t.setContextClassLoader(loader);
                return t;
            });
            timer.scheduleWithFixedDelay(this::tick, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * One check: another server's change adopted, this server's retirements the database did not take stored again,
     * then the schedule. A failure is logged (TG-0208 for the database, TG-0210 for a record this server cannot use,
     * again every minute while it lasts) and tried again at the next check.
     */
    public void tick() {
        try {
            check();
            storeRetirementsAgain();
            if (!clock.instant().isBefore(scheduleQuietUntil)) {
                try {
                    rotateOnSchedule();
                } catch (RuntimeException e) {
                    scheduleQuietUntil = clock.instant().plus(LOG_AGAIN); // e.g. a set too large: not a new key every second
                    throw e;
                }
            }
            quietUntil = Instant.MIN;
        } catch (RuntimeException e) {
            Instant now = clock.instant();
            if (!now.isBefore(quietUntil)) {
                quietUntil = now.plus(LOG_AGAIN);
                if (e instanceof KeySetException) {
                    CoreLog.SHARED_KEYS_UNTRUSTED.log(LOG, issuer, e.getMessage());
                } else {
                    CoreLog.SHARED_KEYS_UNREADABLE.log(LOG, issuer, e.getMessage());
                }
            }
        }
    }

    /**
     * Reads the stored key set and adopts it if another server changed it: true when it did.
     *
     * @throws KeySetException when the stored record does not open, or is older than what this server has
     */
    public boolean check() {
        lock.lock();
        try {
            return checkLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean checkLocked() {
        Optional<KeySetStore.Stored> found = store.load();
        if (found.isEmpty()) {
            throw new KeySetException("the shared key set is no longer in the database (version " + state.version() + " was)");
        }
        long version = found.get().version();
        if (version == state.version()) {
            return false;
        }
        if (version < state.version()) {
            throw new KeySetException("the database holds version " + version + ", older than version " + state.version()
                    + " this server has (restored from a backup, or written by someone else): restart the servers once it is checked");
        }
        adopt(decode(found.get(), sealer, algorithm), "changed by another server");
        return true;
    }

    /** A token with a kid this server lacks: another server may have just started signing with a new key. */
    private boolean checkForUnknownKid() {
        long now = System.nanoTime();
        if (now - nextUnknownKidCheck < 0 || !checking.compareAndSet(false, true)) {
            return false;
        }
        try {
            nextUnknownKidCheck = now + CHECK_INTERVAL.toNanos();
            if (!lock.tryLock()) {
                return false; // a change or check is under way: never wait for the database on a request
            }
            try {
                return checkLocked();
            } finally {
                lock.unlock();
            }
        } catch (RuntimeException e) {
            return false;
        } finally {
            checking.set(false);
        }
    }

    /** Retirements of this server that the stored record still lacks (the database failed when they were made). */
    private void storeRetirementsAgain() {
        for (Map.Entry<String, SigningKey> r : retiredHere.entrySet()) {
            if (stored.keys().describe().containsKey(r.getKey())) {
                storeRetirement(r.getKey(), r.getValue(), "retired " + r.getKey() + " (stored again)");
            }
        }
    }

    /** The schedule: stage a next key {@code publishAhead} before the active key's time is up, rotate once it is up. */
    void rotateOnSchedule() {
        if (rotationInterval == null) {
            return;
        }
        Instant now = clock.instant();
        State s = state;
        if (s.activeSince() == null) {
            return;
        }
        Instant due = s.activeSince().plus(rotationInterval);
        if (s.keys().next().isEmpty() && !now.isBefore(due.minus(publishAhead))) {
            change(latest -> latest.version() != s.version() || latest.keys().next().isPresent() ? latest
                    : new State(latest.version(), latest.keys().withNext(KeyGenerator.generate(algorithm)), latest.activeSince(), now),
                    "scheduled rotation: next key published", false);
        } else if (s.keys().next().isPresent() && !now.isBefore(due) && s.nextSince() != null && !now.isBefore(s.nextSince().plus(publishAhead))) {
            change(latest -> latest.version() != s.version() ? latest : rotated(latest, now), "scheduled rotation", false);
        }
    }

    /** Planned rotation now: a generated next key if none is staged, then next → active, for every server. */
    @Override
    public KeySet rotate() {
        return change(latest -> {
            Instant now = clock.instant();
            State staged = latest.keys().next().isPresent() ? latest
                    : new State(latest.version(), latest.keys().withNext(KeyGenerator.generate(algorithm)), latest.activeSince(), now);
            return rotated(staged, now);
        }, "rotated by an administrator", false).keys();
    }

    private State rotated(State s, Instant now) {
        return new State(s.version(), s.keys().rotate(now, now.plus(ring.previousKeyRetention())), now, null);
    }

    /**
     * Emergency retirement for every server: this one refuses the key at once, whatever the database says (a
     * generated key takes the active key's place when no next key is staged), then the stored set is changed; if the
     * database fails, the next checks store it again (the same successor).
     *
     * @throws KeySetException when no key has that kid
     * @throws io.tokengate.core.refresh.StoreUnavailableException when the change could not be stored yet: this server
     *         refuses the key all the same and stores the change at its next checks
     */
    @Override
    public KeySet retire(String kid) {
        SigningKey successor = KeyGenerator.generate(algorithm);
        boolean here = false;
        synchronized (ring) { // not the database lock: a stuck database does not delay the refusal
            KeySet mine = ring.current();
            if (mine.describe().containsKey(kid)) {
                SigningKey previous = retiredHere.putIfAbsent(kid, successor);
                successor = previous != null ? previous : successor;
                KeySet local = withoutKid(mine, kid, successor);
                ring.adopt(local);
                State s = state;
                state = new State(s.version(), local, local.active().kid().equals(s.keys().active().kid()) ? s.activeSince() : clock.instant(),
                        local.next().isPresent() ? s.nextSince() : null);
                here = true;
            }
        }
        if (here) {
            onRetired.accept(kid);
        }
        return storeRetirement(kid, successor, "retired " + kid + " by an administrator").keys();
    }

    private State storeRetirement(String kid, SigningKey successor, String why) {
        return change(latest -> {
            if (!latest.keys().describe().containsKey(kid)) {
                if (!retiredHere.containsKey(kid)) {
                    throw new KeySetException(KeySetException.Fault.ENTRY, kid, "no key with kid " + kid + " in the key set");
                }
                return latest;
            }
            boolean active = latest.keys().active().kid().equals(kid);
            KeySet after = withoutKid(latest.keys(), kid, successor);
            Instant now = clock.instant();
            return active ? new State(latest.version(), after, now, null) : new State(latest.version(), after, latest.activeSince(),
                    after.next().isPresent() ? latest.nextSince() : null);
        }, why, false);
    }

    /** {@code keys} without {@code kid}; {@code successor} takes the active key's place when no next key is staged. */
    private static KeySet withoutKid(KeySet keys, String kid, SigningKey successor) {
        boolean needsSuccessor = keys.active().kid().equals(kid) && keys.next().isEmpty();
        if (needsSuccessor && keys.describe().containsKey(successor.kid())) {
            throw new KeySetException("the successor of " + kid + " is already in the key set");
        }
        return (needsSuccessor ? keys.withNext(successor) : keys).retire(kid);
    }

    /**
     * A change for every server: {@code change} applied to the latest stored state and stored by compare-and-set,
     * again on the newer state when another server changed it first; adopted here once stored. A change that
     * returns its input unchanged stores nothing (unless {@code always}: sealed again).
     */
    private State change(UnaryOperator<State> change, String why, boolean always) {
        lock.lock();
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                KeySetStore.Stored found = store.load().orElseThrow(() -> new KeySetException("the shared key set is no longer in the database"));
                if (found.version() < state.version()) {
                    throw new KeySetException("the database holds version " + found.version() + ", older than version " + state.version()
                            + " this server has (restored from a backup, or written by someone else): nothing is changed; restart the servers"
                            + " once it is checked");
                }
                State latest = decode(found, sealer, algorithm); // never this server's own view: it may lack a key it retired
                State proposed = change.apply(latest);
                if (proposed == latest && !always) {
                    adopt(latest, "changed by another server");
                    return state;
                }
                State next = new State(latest.version() + 1, proposed.keys(), proposed.activeSince(), proposed.nextSince());
                String sealed = sealer.seal(encode(next), next.version());
                if (sealed.length() > KeySetStore.MAX_SEALED_LENGTH) {
                    throw new KeySetException("the key set would be too large to store (" + sealed.length() + " characters sealed, at most "
                            + KeySetStore.MAX_SEALED_LENGTH + "): retire previous keys first");
                }
                if (store.compareAndSet(latest.version(), sealed)) {
                    adopt(next, why);
                    return state;
                }
            }
            throw new KeySetException("the shared key set kept changing on other servers; try again");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@code next} (as stored) this server's key set, less what it retired itself — a retired active key is
     * replaced by its successor, never let back in; tells {@link #onRetired} of keys other servers retired. Called with
     * the lock held.
     */
    private void adopt(State next, String why) {
        if (next.version() <= state.version()) {
            return; // this server has it, or a newer one
        }
        stored = next;
        List<String> retiredElsewhere = new ArrayList<>();
        KeySet keys;
        synchronized (ring) {
            keys = next.keys();
            for (Map.Entry<String, SigningKey> r : retiredHere.entrySet()) {
                if (keys.describe().containsKey(r.getKey())) {
                    keys = withoutKid(keys, r.getKey(), r.getValue());
                }
            }
            Instant now = clock.instant();
            KeySet before = ring.current();
            for (SigningKey k : before.verificationKeys(now)) {
                if (!keys.describe().containsKey(k.kid()) && !retiredHere.containsKey(k.kid()) && !dropped(before, k.kid(), now)) {
                    retiredElsewhere.add(k.kid());
                }
            }
            ring.adopt(keys);
            boolean sameActive = keys.active().kid().equals(next.keys().active().kid());
            state = new State(next.version(), keys, sameActive ? next.activeSince() : now, keys.next().isPresent() ? next.nextSince() : null);
        }
        retiredElsewhere.forEach(onRetired);
        CoreLog.SHARED_KEYS_CHANGED.log(LOG, issuer, next.version(), why, keys.describe());
    }

    /** A previous key dropped because its window closes within a check or two: expiry, not retirement. */
    private static boolean dropped(KeySet before, String kid, Instant now) {
        return before.verifyUntil(kid).map(until -> !now.plus(CHECK_INTERVAL.multipliedBy(2)).isBefore(until)).orElse(false);
    }

    static String encode(State s) {
        try {
            Map<String, Object> root = new LinkedHashMap<>(JsonUtil.parseJson(KeySetJson.writeWithPrivateKeys(s.keys())));
            root.put(ACTIVE_SINCE, s.activeSince().toEpochMilli());
            if (s.nextSince() != null) {
                root.put(NEXT_SINCE, s.nextSince().toEpochMilli());
            }
            return JsonUtil.toJson(root);
        } catch (JoseException e) {
            throw new KeySetException("cannot write the key set: " + e.getMessage(), e);
        }
    }

    static State decode(KeySetStore.Stored stored, KeySealer sealer, SigningAlgorithm algorithm) {
        String json = sealer.open(stored.sealed(), stored.version());
        try {
            Map<String, Object> root = JsonUtil.parseJson(json);
            KeySet keys = KeySetJson.read(json, null, null, algorithm == SigningAlgorithm.PS256 ? SigningAlgorithm.PS256 : SigningAlgorithm.RS256);
            return new State(stored.version(), keys, instant(root.get(ACTIVE_SINCE)), instant(root.get(NEXT_SINCE)));
        } catch (JoseException e) {
            throw new KeySetException("the stored key set is not valid JSON");
        }
    }

    private static Instant instant(Object o) {
        return o instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
    }

    /** Kids of the stored keys by status, for logs and tests. */
    public Map<String, String> describe() {
        return ring.current().describe();
    }

    /** Stops the checks, waiting (at most 5 s) for one under way, so nothing reads the database after its store closes. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }

    @Override
    public String toString() {
        return "SharedKeySet[" + issuer + ", version " + state.version() + ", " + describe() + "]";
    }
}
