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
 */
public record TokenPair(IssuedAccessToken accessToken, String refreshToken, Instant refreshTokenExpiresAt, Set<String> scopes,
                        String familyId) {
    public TokenPair {
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "TokenPair[" + accessToken + ", family=" + familyId + "]";
    }
}
