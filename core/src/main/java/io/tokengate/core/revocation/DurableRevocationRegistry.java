package io.tokengate.core.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.Objects;

import io.tokengate.core.log.CoreLog;

/**
 * A revocation registry whose cuts outlive a restart: each cut of an access token or a subject is applied to the
 * registry it wraps (memory, or the cluster's) and then kept in a {@link RevocationStore} (a family's cut is the
 * family's own revoked record); at start {@link #reload()} re-applies the cuts that still matter, families included. The per-request check stays the wrapped registry's memory lookup. A cut the store cannot keep (its
 * database is down) is still enforced here and logged as {@code TG-1010}: it is lost only if this server restarts
 * before the token it concerns expires.
 */
public final class DurableRevocationRegistry implements RevocationRegistry {
    private static final System.Logger LOG = System.getLogger(DurableRevocationRegistry.class.getName());

    private final RevocationRegistry registry;
    private final RevocationStore store;
    private final Clock clock;
    private final Duration longestTokenLifetime;
    private final Duration clockSkew;

    /**
     * @param longestTokenLifetime the validator's maximum access-token lifetime: how long a "not before" cut matters
     * @param clockSkew            the validator's clock skew, added to every cut's life
     */
    public DurableRevocationRegistry(RevocationRegistry registry, RevocationStore store, Clock clock, Duration longestTokenLifetime,
                                     Duration clockSkew) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.longestTokenLifetime = Objects.requireNonNull(longestTokenLifetime, "longestTokenLifetime");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    }

    /** Re-applies every stored cut that still matters, on this server; returns how many. */
    public int reload() {
        int n = 0;
        for (Revocation r : store.liveRevocations(clock.instant(), longestTokenLifetime.plus(clockSkew))) {
            registry.restore(r);
            n++;
        }
        return n;
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        registry.revokeAccessToken(jti, expiresAt);
        keep(new Revocation(Revocation.Kind.ACCESS_TOKEN, jti, expiresAt, expiresAt.plus(clockSkew)));
    }

    @Override
    public void revokeSubject(String subject, Instant notBefore) {
        registry.revokeSubject(subject, notBefore);
        keep(new Revocation(Revocation.Kind.SUBJECT, subject, notBefore, notBefore.plus(longestTokenLifetime).plus(clockSkew)));
    }

    /** A family's cut is kept by the family's own record (revoked, and when), which the store writes with it. */
    @Override
    public void revokeFamily(String familyId, Instant notBefore) {
        registry.revokeFamily(familyId, notBefore);
    }

    private void keep(Revocation r) {
        if (!r.dropAt().isAfter(clock.instant())) {
            return; // every token it concerns has expired already
        }
        try {
            store.saveRevocation(r);
        } catch (RuntimeException e) {
            CoreLog.REVOCATION_NOT_STORED.log(LOG, r.kind(), r.key(), r.dropAt(), String.valueOf(e));
        }
    }

    @Override
    public boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt) {
        return registry.isRevoked(jti, subject, familyId, issuedAt);
    }

    @Override
    public Instant notBefore(String subject, String familyId) {
        return registry.notBefore(subject, familyId);
    }

    @Override
    public void checkRetention(Duration maxTokenLifetime, Duration skew) {
        registry.checkRetention(maxTokenLifetime, skew);
        if (maxTokenLifetime.compareTo(longestTokenLifetime) > 0 || skew.compareTo(clockSkew) > 0) {
            throw new IllegalArgumentException("revocations are stored for tokens of up to " + longestTokenLifetime + " with " + clockSkew
                    + " skew, but the validator accepts tokens of up to " + maxTokenLifetime + " with " + skew + " skew");
        }
    }

    @Override
    public boolean isCurrent() {
        return registry.isCurrent();
    }

    @Override
    public boolean listen(Consumer<Revocation> listener) {
        return registry.listen(listener);
    }

    @Override
    public void restore(Revocation revocation) {
        registry.restore(revocation);
    }
}
