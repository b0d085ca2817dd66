package io.tokengate.core.token;

import java.time.Instant;

/**
 * A minted access token: the compact JWS and what a token response and a revocation need of it.
 *
 * @param value     the compact serialization, sent as {@code access_token}
 * @param jti       its unique id, for the denylist
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param kid       the key that signed it
 * @param dpopJkt   the DPoP key it is bound to ({@code cnf.jkt}; {@code token_type} DPoP), or null for a bearer token
 */
public record IssuedAccessToken(String value, String jti, Instant issuedAt, Instant expiresAt, String kid, String dpopJkt) {
    /** The {@code token_type} of the token response (RFC 9449 §5). */
    public String tokenType() {
        return dpopJkt == null ? "Bearer" : "DPoP";
    }

    /** Seconds until expiry, for {@code expires_in}. */
    public long expiresInSeconds() {
        return expiresAt.getEpochSecond() - issuedAt.getEpochSecond();
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "IssuedAccessToken[jti=" + jti + ", exp=" + expiresAt + ", kid=" + kid + "]";
    }
}
