package io.tokengate.core.authorize;

import java.util.Objects;
import java.util.Set;

import io.tokengate.core.client.ClientRegistration;

/**
 * An authorization request (RFC 6749 §4.1.1) that passed every check: a registered client allowed the code grant, one of
 * its redirect URIs, scopes it may have, and a PKCE S256 challenge. What the user approves, and what its code is bound to.
 *
 * @param client        the client
 * @param redirectUri   the redirect URI as requested (matched against the registered ones)
 * @param scopes        the scopes the code grants
 * @param state         the client's {@code state}, returned unchanged, or null
 * @param codeChallenge the PKCE S256 challenge
 */
public record AuthorizationRequest(ClientRegistration client, String redirectUri, Set<String> scopes, String state, String codeChallenge) {
    public AuthorizationRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(codeChallenge, "codeChallenge");
    }
}
