package io.tokengate.core.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;

/**
 * An immutable snapshot of the signing keys: exactly one <em>active</em> key that signs, an optional
 * <em>next</em> key that is published in the JWKS (and verifies) before it signs, so caches everywhere
 * know it by the time it does, and <em>previous</em> keys that still verify until their
 * {@code verifyUntil} instant (set to "now + the longest access-token lifetime" when they are rotated out).
 * A key that is not in the set verifies nothing: that is how a retired key stops working.
 *
 * <p>A {@link #published} set is another issuer's keys as a resource server holds them: no active key (it signs
 * nothing: {@link #active()}, {@link #withNext}, {@link #rotate} and {@link #retire} throw {@link KeySetException}),
 * every key verifying until the issuer stops publishing it.
 *
 * <p>Changes return a new snapshot; {@link KeyRing} holds the current one.
 */
public final class KeySet {

    /** A previous key and the instant after which it verifies nothing ({@code null}: until an administrator removes it). */
    public static final class PreviousKey {
        private final SigningKey key;
        private final Instant verifyUntil;

        public PreviousKey(SigningKey key, Instant verifyUntil) {
            this.key = Objects.requireNonNull(key, "key");
            this.verifyUntil = verifyUntil;
        }

        public SigningKey key() {
            return key;
        }

        public Optional<Instant> verifyUntil() {
            return Optional.ofNullable(verifyUntil);
        }

        boolean verifiesAt(Instant now) {
            return verifyUntil == null || now.isBefore(verifyUntil);
        }
    }

    private final SigningKey active;
    private final SigningKey next;
    private final List<PreviousKey> previous;
    /** kid → key for every key that may verify, with the instant its verification ends (null = no end). */
    private final Map<String, SigningKey> verifiers;
    private final Map<String, Instant> verifyUntil;

    private KeySet(SigningKey active, SigningKey next, List<PreviousKey> previous) {
        this(Objects.requireNonNull(active, "active key"), next, previous, false);
    }

    private KeySet(SigningKey active, SigningKey next, List<PreviousKey> previous, boolean published) {
        this.active = active;
        if (!published && !active.canSign()) {
            throw new KeySetException("the active key " + active.kid() + " has no private key");
        }
        if (next != null && !next.canSign()) {
            throw new KeySetException("the next key " + next.kid() + " has no private key");
        }
        this.next = next;
        this.previous = List.copyOf(previous);
        Map<String, SigningKey> byKid = new HashMap<>();
        Map<String, Instant> until = new HashMap<>();
        if (active != null) {
            put(byKid, active);
        }
        if (next != null) {
            put(byKid, next);
        }
        for (PreviousKey p : this.previous) {
            put(byKid, p.key());
            if (p.verifyUntil != null) {
                until.put(p.key().kid(), p.verifyUntil);
            }
        }
        this.verifiers = Map.copyOf(byKid);
        this.verifyUntil = Map.copyOf(until);
    }

    private static void put(Map<String, SigningKey> byKid, SigningKey key) {
        if (byKid.putIfAbsent(key.kid(), key) != null) {
            throw new KeySetException("key " + key.kid() + " appears twice in the key set");
        }
    }

    /** A key set of one active key. */
    public static KeySet of(SigningKey active) {
        return new KeySet(active, null, List.of());
    }

    /**
     * The keys another issuer publishes, which only verify here (a resource server's view of its issuer): no active
     * key, nothing to rotate or retire; every key verifies until the issuer stops publishing it.
     */
    public static KeySet published(List<SigningKey> keys) {
        List<PreviousKey> verifying = new ArrayList<>(keys.size());
        for (SigningKey key : keys) {
            verifying.add(new PreviousKey(key, null));
        }
        return new KeySet(null, null, verifying, true);
    }

    /** Whether this is another issuer's published key set, which signs nothing. */
    public boolean isPublished() {
        return active == null;
    }

    /** A key set with its three parts; {@code next} may be null. */
    public static KeySet of(SigningKey active, SigningKey next, List<PreviousKey> previous) {
        return new KeySet(active, next, previous);
    }

    /** The key that signs new access tokens. */
    public SigningKey active() {
        if (active == null) {
            throw new KeySetException("another issuer's published key set signs nothing");
        }
        return active;
    }

    /** The key published ahead of its turn to sign. */
    public Optional<SigningKey> next() {
        return Optional.ofNullable(next);
    }

    /** Keys rotated out that still verify until their {@code verifyUntil}. */
    public List<PreviousKey> previous() {
        return previous;
    }

    /**
     * The key that verifies tokens with this {@code kid} at {@code now}, or empty. Only keys held in this
     * set are ever returned: a {@code kid} from a token is a map key here, never a path or a URL.
     */
    public Optional<SigningKey> verificationKey(String kid, Instant now) {
        if (kid == null) {
            return Optional.empty();
        }
        SigningKey key = verifiers.get(kid);
        if (key == null) {
            return Optional.empty();
        }
        Instant until = verifyUntil.get(kid);
        if (until != null && !now.isBefore(until)) {
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /** Until when a key of this set verifies: empty for the active and next keys, and for previous keys kept without end. */
    public Optional<Instant> verifyUntil(String kid) {
        return Optional.ofNullable(verifyUntil.get(kid));
    }

    /** Every key that verifies at {@code now}: next, active, then previous keys still in their window. */
    public List<SigningKey> verificationKeys(Instant now) {
        List<SigningKey> keys = new ArrayList<>();
        if (next != null) {
            keys.add(next);
        }
        if (active != null) {
            keys.add(active);
        }
        for (PreviousKey p : previous) {
            if (p.verifiesAt(now)) {
                keys.add(p.key());
            }
        }
        return Collections.unmodifiableList(keys);
    }

    /** The JWK Set (RFC 7517 §5) of the public parts of every key that verifies at {@code now}. */
    public String toJwksJson(Instant now) {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey key : verificationKeys(now)) {
            set.addJsonWebKey(key.toPublicJwk());
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** This set with {@code key} staged as the next key (replacing any earlier next key, which never signed). */
    public KeySet withNext(SigningKey key) {
        Objects.requireNonNull(key, "key");
        active();
        if (verifiers.containsKey(key.kid()) && (next == null || !next.kid().equals(key.kid()))) {
            throw new KeySetException("key " + key.kid() + " is already in the key set");
        }
        return new KeySet(active, key, previous);
    }

    /**
     * Planned rotation: next → active, active → previous (verifying until {@code previousVerifyUntil}).
     * Previous keys whose window has passed at {@code now} are dropped.
     *
     * @throws KeySetException if no next key is staged
     */
    public KeySet rotate(Instant now, Instant previousVerifyUntil) {
        active();
        if (next == null) {
            throw new KeySetException("cannot rotate: no next key is staged");
        }
        List<PreviousKey> kept = new ArrayList<>();
        kept.add(new PreviousKey(active, previousVerifyUntil));
        for (PreviousKey p : previous) {
            if (p.verifiesAt(now)) {
                kept.add(p);
            }
        }
        return new KeySet(next, null, kept);
    }

    /**
     * Emergency retirement: the key leaves the set now, so every token it signed fails from now on.
     * Retiring the active key promotes the next key.
     *
     * @throws KeySetException if the key is not in the set, or is the active key and no next key is staged
     */
    public KeySet retire(String kid) {
        if (active().kid().equals(kid)) {
            if (next == null) {
                throw new KeySetException("cannot retire the active key " + kid + ": stage a next key first, it becomes active");
            }
            return new KeySet(next, null, previous);
        }
        if (next != null && next.kid().equals(kid)) {
            return new KeySet(active, null, previous);
        }
        List<PreviousKey> kept = new ArrayList<>(previous.size());
        boolean found = false;
        for (PreviousKey p : previous) {
            if (p.key().kid().equals(kid)) {
                found = true;
            } else {
                kept.add(p);
            }
        }
        if (!found) {
            throw new KeySetException("no key with kid " + kid + " in the key set");
        }
        return new KeySet(active, next, kept);
    }

    /** Status of each key by kid, for logs and admin views: "active", "next" or "previous"; "published" in a published set. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        if (next != null) {
            out.put(next.kid(), "next");
        }
        if (active != null) {
            out.put(active.kid(), "active");
        }
        for (PreviousKey p : previous) {
            out.put(p.key().kid(), active == null ? "published" : "previous");
        }
        return out;
    }

    @Override
    public String toString() {
        return "KeySet" + describe();
    }
}
