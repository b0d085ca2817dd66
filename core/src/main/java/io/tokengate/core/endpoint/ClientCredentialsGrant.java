package io.tokengate.core.endpoint;

import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.TokenPair;

/** {@code grant_type=client_credentials} (RFC 6749 §4.4): the client is the subject; never a refresh token (§4.4.3). */
final class ClientCredentialsGrant implements GrantHandler {
    private final RefreshTokenService refreshTokens;

    ClientCredentialsGrant(RefreshTokenService refreshTokens) {
        this.refreshTokens = refreshTokens;
    }


    @Override
    public TokenPair grant(ClientRegistration client, FormParameters p, EndpointRequest request, String dpopJkt) {
        Set<String> scopes = GrantHandler.granted(client, p.scopes());
        return refreshTokens.issueAccessTokenOnly(new RefreshTokenService.Grant(client, GrantType.CLIENT_CREDENTIALS.value(),
                client.clientId(), Set.of(), scopes, null, null, request.remoteAddress(), dpopJkt));
    }
}
