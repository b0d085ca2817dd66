package io.tokengate.core.endpoint;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.TokenPair;

/**
 * {@code grant_type=password} (RFC 6749 §4.3, deprecated by RFC 9700 §2.4): only for clients whose grants name it,
 * and only with a {@link CredentialVerifier}.
 */
final class PasswordGrant implements GrantHandler {
    private static final System.Logger LOG = System.getLogger(PasswordGrant.class.getName());
    private final RefreshTokenService refreshTokens;
    private final CredentialVerifier credentials;
    private final Clock clock;

    PasswordGrant(RefreshTokenService refreshTokens, CredentialVerifier credentials, Clock clock) {
        this.refreshTokens = refreshTokens;
        this.credentials = credentials;
        this.clock = clock;
    }


    @Override
    public TokenPair grant(ClientRegistration client, FormParameters p, EndpointRequest request, String dpopJkt) {
        if (credentials == null) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "The password grant is not configured");
        }
        if (!p.has("username") || !p.has("password")) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "username and password are required");
        }
        Set<String> scopes = GrantHandler.granted(client, p.scopes());
        Optional<CredentialVerifier.AuthenticatedUser> user;
        try {
            user = credentials.verify(p.get("username"), p.get("password"));
        } catch (RuntimeException e) {
            CoreLog.IDENTITY_STORE_FAILED.log(LOG, e.toString());
            throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, "The identity store is unavailable; try again later");
        }
        CredentialVerifier.AuthenticatedUser u = user.orElseThrow(() ->
                new OAuthException(OAuthError.INVALID_GRANT, "The username or password is incorrect"));
        return refreshTokens.issue(new RefreshTokenService.Grant(client, GrantType.PASSWORD.value(), u.subject(), u.groups(), scopes, clock.instant(),
                request.header("User-Agent"), request.remoteAddress(), dpopJkt));
    }
}
