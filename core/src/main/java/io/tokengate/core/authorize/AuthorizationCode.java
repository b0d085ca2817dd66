package io.tokengate.core.authorize;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What the store keeps of one authorization code (RFC 6749 §4.1.2): never the code, only its keyed hash, and everything
 * the code is bound to — client, redirect URI, PKCE challenge, user — so the token request can be checked against it.
 *
 * @param codeHash      base64url HMAC-SHA-256 of the code; the lookup key
 * @param clientId      the client it was issued to
 * @param redirectUri   the redirect URI of the authorization request, which the token request must repeat exactly
 * @param codeChallenge the PKCE S256 challenge
 * @param subject       the user who signed in
 * @param groups        their groups
 * @param scopes        the scopes granted
 * @param authTime      when the user authenticated
 * @param issuedAt      when the code was issued
 * @param expiresAt     the code is refused at or after this instant (60 s after issue)
 */
public record AuthorizationCode(String codeHash, String clientId, String redirectUri, String codeChallenge, String subject,
                                Set<String> groups, Set<String> scopes, Instant authTime, Instant issuedAt, Instant expiresAt) {
    public AuthorizationCode {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(subject, "subject");
        groups = Set.copyOf(groups);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
