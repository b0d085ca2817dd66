package io.tokengate.core.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The live key set of one server: readers (minting, validation, JWKS) take the current immutable
 * {@link KeySet} without locking; the administrative operations swap in a new snapshot.
 *
 * <p>Rotation keeps the old active key verifying for {@code previousKeyRetention}, which must be at
 * least the longest access-token lifetime plus the clock skew, so a planned rotation fails no request.
 * Retirement removes a key at once, so every token it signed fails from then on.
 */
public final class KeyRing {
    private final AtomicReference<KeySet> current;
    private final Clock clock;
    private final Duration previousKeyRetention;
    private final Consumer<KeySet> onChange;
    /** Asked for a kid no key of the current set has: may fetch a newer set (another issuer's), true when it did. */
    private volatile Predicate<String> unknownKid = kid -> false;

    /**
     * @param initial              the key set to start with
     * @param clock                the time source
     * @param previousKeyRetention how long a rotated-out key keeps verifying
     * @param onChange             called (under the ring's lock) with every new key set, e.g. to persist it
     */
    public KeyRing(KeySet initial, Clock clock, Duration previousKeyRetention, Consumer<KeySet> onChange) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.clock = Objects.requireNonNull(clock, "clock");
        if (previousKeyRetention.isNegative()) {
            throw new IllegalArgumentException("previousKeyRetention must not be negative");
        }
        this.previousKeyRetention = previousKeyRetention;
        this.onChange = onChange == null ? k -> { } : onChange;
    }

    public KeyRing(KeySet initial, Clock clock, Duration previousKeyRetention) {
        this(initial, clock, previousKeyRetention, null);
    }

    /** The current key set (lock-free). */
    public KeySet current() {
        return current.get();
    }

    public Clock clock() {
        return clock;
    }

    public Duration previousKeyRetention() {
        return previousKeyRetention;
    }

    /**
     * For a ring that follows another issuer's published keys: {@code refresher} is asked, on a {@code kid} the
     * current set lacks, to fetch a newer set (and {@link #replace} it); it decides how often that may happen.
     */
    void onUnknownKid(Predicate<String> refresher) {
        this.unknownKid = Objects.requireNonNull(refresher, "refresher");
    }

    /** Called by the validator for a {@code kid} no current key has: true when a newer key set is now current. */
    public boolean refreshFor(String kid) {
        return unknownKid.test(kid);
    }

    /** Makes {@code next} current, as fetched from another issuer (no persistence, no retention: the issuer decides). */
    synchronized void replace(KeySet next) {
        if (!next.isPublished() || !current.get().isPublished()) {
            throw new KeySetException("only a ring of another issuer's published keys takes a fetched key set");
        }
        current.set(next);
    }

    /**
     * Makes {@code next} current as another server of the same issuer stored it ({@link SharedKeySet}): persisted
     * already, so nothing is written.
     */
    synchronized void adopt(KeySet next) {
        if (next.isPublished() || current.get().isPublished()) {
            throw new KeySetException("only a ring of this issuer's own keys adopts a shared key set");
        }
        current.set(next);
    }

    /** Publishes {@code key} as the next key: in the JWKS now, signing after the next {@link #rotate()}. */
    public synchronized KeySet stageNext(SigningKey key) {
        return swap(current.get().withNext(key));
    }

    /** next → active → previous. The old active key verifies for {@link #previousKeyRetention()}. */
    public synchronized KeySet rotate() {
        Instant now = clock.instant();
        return swap(current.get().rotate(now, now.plus(previousKeyRetention)));
    }

    /**
     * Removes a key now; tokens it signed fail from now on. Retiring the active key promotes the next key.
     * The change takes effect in memory first, so a failure to persist it (thrown afterwards) never leaves a
     * compromised key verifying.
     */
    public synchronized KeySet retire(String kid) {
        KeySet next = current.get().retire(kid);
        current.set(next);
        onChange.accept(next);
        return next;
    }

    /** Persists first, then publishes: a planned change that cannot be persisted does not happen. */
    private KeySet swap(KeySet next) {
        onChange.accept(next);
        current.set(next);
        return next;
    }
}
