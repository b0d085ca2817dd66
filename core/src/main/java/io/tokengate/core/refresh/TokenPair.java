package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.Set;

import io.tokengate.core.token.IssuedAccessToken;

/**
 * What a grant or a refresh hands to the client.
 *
 * @param accessToken           the access token
 * @param refreshToken          the refresh token, or null (client_credentials, or a client without refresh_token)
 * @param refreshTokenExpiresAt when the refresh token stops working if unused (idle expiry capped by absolute), or null
 * @param scopes                the scopes of the access token
 * @param familyId              the family, or null
 * @param grantedAt             the instant the grant or refresh was served at, which every lifetime in the response counts from
 */
public record TokenPair(IssuedAccessToken accessToken, String refreshToken, Instant refreshTokenExpiresAt, Set<String> scopes,
                        String familyId, Instant grantedAt) {
    public TokenPair {
        scopes = Set.copyOf(scopes);
    }

    /**
     * Whole seconds the refresh token has left, counted from {@link #grantedAt()} (not from whenever the response is written, which
     * may be a second boundary later), so an uncapped fresh token always reports exactly its idle timeout.
     *
     * @throws IllegalStateException for a pair without a refresh token
     */
    public long refreshTokenExpiresInSeconds() {
        if (refreshTokenExpiresAt == null) {
            throw new IllegalStateException("no refresh token");
        }
        return Math.max(0, refreshTokenExpiresAt.getEpochSecond() - grantedAt.getEpochSecond());
    }

    @Override
    public String toString() {
        return "TokenPair[" + accessToken + ", family=" + familyId + "]";
    }
}
