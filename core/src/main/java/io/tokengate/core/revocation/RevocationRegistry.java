package io.tokengate.core.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Revocation of access tokens that are still within their lifetime, checked by the validator after the
 * signature on every request (so an implementation's {@link #isRevoked} must be an in-memory lookup):
 * <ul>
 * <li>a {@code jti} denylist (RFC 7009 revocation of one access token); an entry lives until the token's own
 *     {@code exp}, so memory is bounded by live tokens, not by history;</li>
 * <li>a per-subject "not before" instant: every token of that subject issued at or before it is refused
 *     (log out everywhere, suspend a user, password change);</li>
 * <li>a per-family "not before" instant: the same for the access tokens of one refresh-token family
 *     (the {@code sid} claim), used when a family is revoked or its reuse is detected.</li>
 * </ul>
 * The core provides {@link InMemoryRevocationRegistry} and {@link DurableRevocationRegistry}, which keeps the cuts
 * of another registry across restarts; the EE module adds a cluster-wide one.
 */
public interface RevocationRegistry {

    /** Refuses the access token {@code jti} until {@code expiresAt} (its {@code exp}). */
    void revokeAccessToken(String jti, Instant expiresAt);

    /** Refuses every access token of {@code subject} issued at or before {@code notBefore}. */
    void revokeSubject(String subject, Instant notBefore);

    /** Refuses every access token of the refresh-token family {@code familyId} issued at or before {@code notBefore}. */
    void revokeFamily(String familyId, Instant notBefore);

    /**
     * Whether a token with these claims is revoked.
     *
     * @param jti      the token's {@code jti}
     * @param subject  its {@code sub}
     * @param familyId its {@code sid}, or null
     * @param issuedAt its {@code iat}
     */
    boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt);

    /**
     * Called once by the validator at build time: the registry must keep every entry as long as a token it
     * concerns can still be accepted, i.e. for tokens living up to {@code maxTokenLifetime} with
     * {@code clockSkew} tolerance. A registry that would forget entries sooner throws here, so a
     * mismatched configuration fails at start-up instead of letting revoked tokens back in.
     *
     * @throws IllegalArgumentException if this registry's retention is too short
     */
    default void checkRetention(Duration maxTokenLifetime, Duration clockSkew) {
    }

    /**
     * The latest "not before" instant recorded for {@code subject} or for the family {@code familyId} (null for
     * none), to the millisecond: lets the issuer tell a grant made after a revocation from one made before it in
     * the same second (tokens carry {@code iat} in whole seconds).
     */
    default Instant notBefore(String subject, String familyId) {
        return null;
    }

    /**
     * Re-applies a cut read back from a {@link RevocationStore} after a restart, on this server only (a registry
     * shared by a cluster does not publish it again: the others have it, or read it from the store themselves).
     */
    default void restore(Revocation revocation) {
        revocation.applyTo(this);
    }

    /**
     * Asks for every cut this registry applies from now on — made on this server, received from the others of a
     * cluster, or restored at start — to be given to {@code listener} as well (the issuer's revocation feed). The
     * listener runs on the thread applying the cut and must not block.
     *
     * @return false if this registry cannot tell (then the feed has nothing to publish)
     */
    default boolean listen(Consumer<Revocation> listener) {
        return false;
    }

    /**
     * Whether this registry can answer now: a resource server's registry fed from its issuer says no once the feed has
     * been unreachable longer than allowed, and the validator then refuses tokens rather than accept revoked ones. A
     * volatile read at most: it is asked on every request.
     */
    default boolean isCurrent() {
        return true;
    }

    /** A registry that revokes nothing, for resource servers that deliberately rely on expiry alone. */
    static RevocationRegistry none() {
        return NoRevocation.INSTANCE;
    }
}

enum NoRevocation implements RevocationRegistry {
    INSTANCE;

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        throw new UnsupportedOperationException("this validator was built without a revocation registry");
    }

    @Override
    public void revokeSubject(String subject, Instant notBefore) {
        throw new UnsupportedOperationException("this validator was built without a revocation registry");
    }

    @Override
    public void revokeFamily(String familyId, Instant notBefore) {
        throw new UnsupportedOperationException("this validator was built without a revocation registry");
    }

    @Override
    public boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt) {
        return false;
    }
}
