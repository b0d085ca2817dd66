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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 */
public final class SharedKeySet implements ManagedKeys, AutoCloseable {
    /** How often a server checks the stored key set for another server's change. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(SharedKeySet.class.getName());
    private static final String ACTIVE_SINCE = "tokengate_active_since";
    private static final String NEXT_SINCE = "tokengate_next_since";
    private static final int ATTEMPTS = 10;

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
    /** Kids this server retired: kept out of whatever it reads back, also when its write did not reach the database. */
    private final Set<String> retiredHere = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile State state;
    private volatile Consumer<String> onRetired = kid -> { };
    private volatile long nextUnknownKidCheck;
    private volatile boolean unreadable;
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
     * @param publishAhead     how long a scheduled next key is published before it signs (the JWKS max-age)
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
            if (store.compareAndSet(0, sealer.seal(encode(first)))) {
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

    /** The stored version this server has adopted. */
    public long version() {
        return state.version();
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

    /** One check: another server's change adopted, then the schedule; a database that fails is logged (TG-0208) and tried again. */
    public void tick() {
        try {
            check();
            rotateOnSchedule();
            unreadable = false;
        } catch (RuntimeException e) {
            if (!unreadable) {
                unreadable = true;
                CoreLog.SHARED_KEYS_UNREADABLE.log(LOG, issuer, e.getMessage());
            }
        }
    }

    /** Reads the stored key set and adopts it if another server changed it: true when it did. */
    public boolean check() {
        Optional<KeySetStore.Stored> stored = store.load();
        if (stored.isEmpty() || stored.get().version() == state.version()) {
            return false;
        }
        State latest = decode(stored.get(), sealer, algorithm);
        adopt(latest, "changed by another server");
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
            return check();
        } catch (RuntimeException e) {
            return false;
        } finally {
            checking.set(false);
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
     * generated key takes the active key's place when no next key is staged), then the stored set is changed.
     *
     * @throws KeySetException when no key has that kid
     * @throws io.tokengate.core.refresh.StoreUnavailableException when the change could not be stored: this server
     *         refuses the key all the same, the others do not yet — retire it again
     */
    @Override
    public synchronized KeySet retire(String kid) {
        SigningKey successor = KeyGenerator.generate(algorithm);
        KeySet mine = ring.current();
        if (mine.describe().containsKey(kid)) {
            KeySet local = withoutKid(mine, kid, successor);
            retiredHere.add(kid);
            ring.adopt(local);
            state = new State(state.version(), local, state.activeSince(), state.nextSince());
            onRetired.accept(kid);
        }
        return change(latest -> {
            if (!latest.keys().describe().containsKey(kid)) {
                if (!retiredHere.contains(kid)) {
                    throw new KeySetException(KeySetException.Fault.ENTRY, kid, "no key with kid " + kid + " in the key set");
                }
                return latest;
            }
            boolean active = latest.keys().active().kid().equals(kid);
            KeySet after = withoutKid(latest.keys(), kid, successor);
            Instant now = clock.instant();
            return active ? new State(latest.version(), after, now, null) : new State(latest.version(), after, latest.activeSince(),
                    after.next().isPresent() ? latest.nextSince() : null);
        }, "retired " + kid + " by an administrator", false).keys();
    }

    private static KeySet withoutKid(KeySet keys, String kid, SigningKey successor) {
        KeySet k = keys.active().kid().equals(kid) && keys.next().isEmpty() ? keys.withNext(successor) : keys;
        return k.retire(kid);
    }

    /**
     * A change for every server: {@code change} applied to the latest stored state and stored by compare-and-set,
     * again on the newer state when another server changed it first; adopted here once stored. A change that
     * returns its input unchanged stores nothing.
     */
    private synchronized State change(UnaryOperator<State> change, String why, boolean always) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            KeySetStore.Stored stored = store.load().orElseThrow(() -> new KeySetException("the shared key set is no longer in the database"));
            State latest = decode(stored, sealer, algorithm); // never this server's own view: it may lack a key it retired
            State proposed = change.apply(latest);
            if (proposed == latest && !always) {
                adopt(latest, "changed by another server");
                return state;
            }
            State next = new State(latest.version() + 1, proposed.keys(), proposed.activeSince(), proposed.nextSince());
            if (store.compareAndSet(latest.version(), sealer.seal(encode(next)))) {
                adopt(next, why);
                return state;
            }
        }
        throw new KeySetException("the shared key set kept changing on other servers; try again");
    }

    /** Makes {@code next} this server's key set, less what it retired itself; tells {@link #onRetired} of keys other servers retired. */
    private synchronized void adopt(State next, String why) {
        if (next.version() <= state.version()) {
            return; // this server has it, or a newer one (a check that read before a change of this server's)
        }
        KeySet keys = next.keys();
        for (String kid : retiredHere) {
            if (keys.describe().containsKey(kid)) {
                if (keys.active().kid().equals(kid) && keys.next().isEmpty()) {
                    continue; // cannot refuse it without a successor here: the other servers' state wins until retired again
                }
                keys = keys.retire(kid);
            }
        }
        Instant now = clock.instant();
        KeySet before = ring.current();
        for (SigningKey k : before.verificationKeys(now)) {
            boolean expired = before.verifyUntil(k.kid()).map(until -> !now.isBefore(until)).orElse(false);
            if (!keys.describe().containsKey(k.kid()) && !expired && !retiredHere.contains(k.kid()) && !dropped(before, k.kid(), now)) {
                onRetired.accept(k.kid());
            }
        }
        ring.adopt(keys);
        state = new State(next.version(), keys, next.activeSince(), next.nextSince());
        CoreLog.SHARED_KEYS_CHANGED.log(LOG, issuer, next.version(), why, keys.describe());
    }

    /** A previous key dropped because its window closes within a check or two: expiry, not retirement. */
    private static boolean dropped(KeySet before, String kid, Instant now) {
        return before.verifyUntil(kid).map(until -> !now.plus(CHECK_INTERVAL.multipliedBy(2)).isBefore(until)).orElse(false);
    }

    static String encode(State s) {
        try {
            Map<String, Object> root = new LinkedHashMap<>(JsonUtil.parseJson(KeySetJson.writeWithPrivateKeys(s.keys())));
            root.put(ACTIVE_SINCE, s.activeSince().getEpochSecond());
            if (s.nextSince() != null) {
                root.put(NEXT_SINCE, s.nextSince().getEpochSecond());
            }
            return JsonUtil.toJson(root);
        } catch (JoseException e) {
            throw new KeySetException("cannot write the key set: " + e.getMessage(), e);
        }
    }

    static State decode(KeySetStore.Stored stored, KeySealer sealer, SigningAlgorithm algorithm) {
        String json = sealer.open(stored.sealed());
        try {
            Map<String, Object> root = JsonUtil.parseJson(json);
            KeySet keys = KeySetJson.read(json, null, null, algorithm == SigningAlgorithm.PS256 ? SigningAlgorithm.PS256 : SigningAlgorithm.RS256);
            return new State(stored.version(), keys, instant(root.get(ACTIVE_SINCE)), instant(root.get(NEXT_SINCE)));
        } catch (JoseException e) {
            throw new KeySetException("the stored key set is not valid JSON");
        }
    }

    private static Instant instant(Object o) {
        return o instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    /** Kids of the stored keys by status, for logs and tests. */
    public Map<String, String> describe() {
        return ring.current().describe();
    }

    /** When the active key started signing (the schedule counts from it). */
    public Instant activeSince() {
        return state.activeSince();
    }

    List<String> retiredHere() {
        return new ArrayList<>(retiredHere);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public String toString() {
        return "SharedKeySet[" + issuer + ", version " + state.version() + ", " + describe() + "]";
    }
}
