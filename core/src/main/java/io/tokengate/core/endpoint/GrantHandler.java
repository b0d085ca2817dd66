package io.tokengate.core.endpoint;

import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.refresh.TokenPair;

/**
 * One grant of the token endpoint (RFC 6749 §4, §6), registered under its {@code grant_type}: from an authenticated
 * client's request to its token pair.
 */
interface GrantHandler {
    /**
     * @param dpopJkt the key of the request's checked DPoP proof, or null: what the tokens are bound to
     * @throws OAuthException when the grant is refused (nothing was issued)
     */
    TokenPair grant(ClientRegistration client, FormParameters params, EndpointRequest request, String dpopJkt);

    /** The scopes a new grant gets: the request's, which must be allowed to the client, or all the client's. */
    static Set<String> granted(ClientRegistration client, Set<String> requested) {
        if (requested == null) {
            return client.scopes();
        }
        if (!client.scopes().containsAll(requested)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is not allowed for this client");
        }
        return requested;
    }
}
