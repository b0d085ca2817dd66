package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A refresh-token family: one grant, i.e. one device or browser session, and every refresh token rotated
 * within it. Access tokens minted from it carry its {@link #familyId()} as {@code sid}. Immutable; stores
 * return new instances on change.
 *
 * @param familyId          random id, also the {@code sid} claim
 * @param subject           the resource owner ({@code sub}); for client_credentials there is no family
 * @param clientId          the client the grant was issued to
 * @param scopes            the scopes granted; a refresh may narrow per request, never widen
 * @param groups            the groups at grant time, carried into every access token of the family
 * @param authTime          when the user authenticated, or null
 * @param createdAt         when the grant was made
 * @param lastUsedAt        the last refresh (or creation)
 * @param idleExpiresAt     no refresh at or after this instant (slides with every refresh)
 * @param absoluteExpiresAt no refresh at or after this instant, whatever the activity
 * @param state             active or revoked
 * @param revokedAt         when it was revoked, or null
 * @param revokedReason     why (e.g. {@code logout}, {@code reuse_detected}), or null
 * @param userAgent         the client's User-Agent at grant time, for the device inventory, or null
 * @param remoteAddress     the client's address at grant time, or null
 * @param dpopJkt           the JWK thumbprint (RFC 7638) of the DPoP key its refresh tokens are bound to (RFC 9449 §5: a
 *                          public client that sent a proof with its grant), or null for an unbound family
 */
public record RefreshTokenFamily(String familyId, String subject, String clientId, Set<String> scopes, Set<String> groups,
                                 Instant authTime, Instant createdAt, Instant lastUsedAt, Instant idleExpiresAt,
                                 Instant absoluteExpiresAt, FamilyState state, Instant revokedAt, String revokedReason,
                                 String userAgent, String remoteAddress, String dpopJkt) {
    /** A family not bound to a DPoP key. */
    public RefreshTokenFamily(String familyId, String subject, String clientId, Set<String> scopes, Set<String> groups, Instant authTime,
                              Instant createdAt, Instant lastUsedAt, Instant idleExpiresAt, Instant absoluteExpiresAt, FamilyState state,
                              Instant revokedAt, String revokedReason, String userAgent, String remoteAddress) {
        this(familyId, subject, clientId, scopes, groups, authTime, createdAt, lastUsedAt, idleExpiresAt, absoluteExpiresAt, state, revokedAt,
                revokedReason, userAgent, remoteAddress, null);
    }

    public RefreshTokenFamily {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Set.copyOf(scopes);
        groups = Set.copyOf(groups);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt");
        Objects.requireNonNull(state, "state");
    }

    /** Whether a refresh is allowed at {@code now}: active, and before both expiries. */
    public boolean usableAt(Instant now) {
        return state == FamilyState.ACTIVE && now.isBefore(idleExpiresAt) && now.isBefore(absoluteExpiresAt);
    }

    /** The instant a refresh token of this family stops working if not used: the earlier expiry. */
    public Instant expiresAt() {
        return idleExpiresAt.isBefore(absoluteExpiresAt) ? idleExpiresAt : absoluteExpiresAt;
    }

    public RefreshTokenFamily touched(Instant now, Instant newIdleExpiresAt) {
        return new RefreshTokenFamily(familyId, subject, clientId, scopes, groups, authTime, createdAt, now, newIdleExpiresAt,
                absoluteExpiresAt, state, revokedAt, revokedReason, userAgent, remoteAddress, dpopJkt);
    }

    public RefreshTokenFamily revoked(Instant now, String reason) {
        return new RefreshTokenFamily(familyId, subject, clientId, scopes, groups, authTime, createdAt, lastUsedAt, idleExpiresAt,
                absoluteExpiresAt, FamilyState.REVOKED, now, reason, userAgent, remoteAddress, dpopJkt);
    }
}
