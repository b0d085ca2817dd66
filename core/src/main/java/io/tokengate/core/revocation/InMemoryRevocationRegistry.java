package io.tokengate.core.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The revocation registry of one JVM. Entries die with the tokens they concern: a {@code jti} entry at the
 * token's {@code exp} plus the validator's clock skew (until then the validator may still accept the token by
 * its time claims); a subject or family "not before" once {@code notBefore + longestTokenLifetime + clockSkew}
 * has passed (every token issued before it has expired by then). Expired entries are dropped by
 * {@link #purgeExpired()}, which writes call at most once per {@code purgeInterval}; lookups treat expired
 * entries as absent whether or not they were purged yet. Thread-safe.
 */
public final class InMemoryRevocationRegistry implements RevocationRegistry {
    private final Clock clock;
    private final Duration longestTokenLifetime;
    private final Duration clockSkew;
    private final Duration purgeInterval;
    /** jti → the instant the entry may go (the token's exp plus the skew). */
    private final Map<String, Instant> deniedJtis = new ConcurrentHashMap<>();
    private final Map<String, NotBefore> subjects = new ConcurrentHashMap<>();
    private final Map<String, NotBefore> families = new ConcurrentHashMap<>();
    private final List<Consumer<Revocation>> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant nextPurge;

    private record NotBefore(Instant instant, Instant dropAt) {
    }

    /**
     * @param clock                time source
     * @param longestTokenLifetime the longest access-token lifetime the validator accepts
     *                             ({@code AccessTokenValidator.Builder.maxTokenLifetime}): how long a not-before entry matters
     * @param clockSkew            the validator's allowed clock skew, added to every entry's life
     */
    public InMemoryRevocationRegistry(Clock clock, Duration longestTokenLifetime, Duration clockSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.longestTokenLifetime = Objects.requireNonNull(longestTokenLifetime, "longestTokenLifetime");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.purgeInterval = Duration.ofSeconds(30);
        this.nextPurge = clock.instant().plus(purgeInterval);
    }

    @Override
    public void checkRetention(Duration maxTokenLifetime, Duration skew) {
        if (maxTokenLifetime.compareTo(longestTokenLifetime) > 0 || skew.compareTo(clockSkew) > 0) {
            throw new IllegalArgumentException("the revocation registry keeps entries for tokens of up to " + longestTokenLifetime
                    + " with " + clockSkew + " skew, but the validator accepts tokens of up to " + maxTokenLifetime + " with "
                    + skew + " skew: revoked tokens would be accepted again; build the registry with the validator's values");
        }
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant dropAt = expiresAt.plus(clockSkew);
        if (dropAt.isAfter(clock.instant())) {
            deniedJtis.merge(jti, dropAt, (a, b) -> a.isAfter(b) ? a : b);
            tell(new Revocation(Revocation.Kind.ACCESS_TOKEN, jti, expiresAt, dropAt));
        }
        maybePurge();
    }

    @Override
    public void revokeSubject(String subject, Instant notBefore) {
        put(subjects, Revocation.Kind.SUBJECT, Objects.requireNonNull(subject, "subject"), notBefore);
    }

    @Override
    public void revokeFamily(String familyId, Instant notBefore) {
        put(families, Revocation.Kind.FAMILY, Objects.requireNonNull(familyId, "familyId"), notBefore);
    }

    private void put(Map<String, NotBefore> map, Revocation.Kind kind, String key, Instant notBefore) {
        Objects.requireNonNull(notBefore, "notBefore");
        NotBefore entry = new NotBefore(notBefore, notBefore.plus(longestTokenLifetime).plus(clockSkew));
        map.merge(key, entry, (a, b) -> a.instant.isAfter(b.instant) ? a : b);
        tell(new Revocation(kind, key, notBefore, entry.dropAt));
        maybePurge();
    }

    private void tell(Revocation cut) {
        for (Consumer<Revocation> l : listeners) {
            l.accept(cut);
        }
    }

    /** Every cut applied here from now on, whichever server made it, is also given to {@code listener} (it must not block). */
    @Override
    public boolean listen(Consumer<Revocation> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return true;
    }

    @Override
    public boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt) {
        Instant now = clock.instant();
        Instant dropAt = deniedJtis.get(jti);
        if (dropAt != null && now.isBefore(dropAt)) {
            return true;
        }
        return issuedNoLaterThan(subjects.get(subject), issuedAt, now)
                || (familyId != null && issuedNoLaterThan(families.get(familyId), issuedAt, now));
    }

    @Override
    public Instant notBefore(String subject, String familyId) {
        Instant now = clock.instant();
        Instant latest = null;
        for (NotBefore nb : new NotBefore[] {subject == null ? null : subjects.get(subject), familyId == null ? null : families.get(familyId)}) {
            if (nb != null && now.isBefore(nb.dropAt) && (latest == null || nb.instant.isAfter(latest))) {
                latest = nb.instant;
            }
        }
        return latest;
    }

    private static boolean issuedNoLaterThan(NotBefore nb, Instant issuedAt, Instant now) {
        // iat has whole seconds: a token from the same second as the revocation is refused too
        return nb != null && now.isBefore(nb.dropAt) && issuedAt.getEpochSecond() <= nb.instant.getEpochSecond();
    }

    private void maybePurge() {
        if (!clock.instant().isBefore(nextPurge)) {
            purgeExpired();
        }
    }

    /** Drops every entry whose token lifetime has passed. */
    public void purgeExpired() {
        Instant now = clock.instant();
        nextPurge = now.plus(purgeInterval);
        deniedJtis.values().removeIf(dropAt -> !now.isBefore(dropAt));
        subjects.values().removeIf(nb -> !now.isBefore(nb.dropAt));
        families.values().removeIf(nb -> !now.isBefore(nb.dropAt));
    }

    /** Number of entries held (denied jtis + subjects + families), expired or not yet purged. */
    public int size() {
        return deniedJtis.size() + subjects.size() + families.size();
    }
}
