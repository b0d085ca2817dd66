package io.tokengate.core.endpoint;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.refresh.RefreshOutcome;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.TokenPair;

/** {@code grant_type=refresh_token} (RFC 6749 §6): the token from the body, or for a cookie-mode client from its cookie. */
final class RefreshTokenGrant implements GrantHandler {
    private final RefreshTokenService refreshTokens;

    RefreshTokenGrant(RefreshTokenService refreshTokens) {
        this.refreshTokens = refreshTokens;
    }


    @Override
    public TokenPair grant(ClientRegistration client, FormParameters p, EndpointRequest request, String dpopJkt) {
        String token = p.get("refresh_token");
        if (token == null && client.cookieMode()) {
            token = request.refreshTokenCookie();
        }
        if (token == null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "refresh_token is required");
        }
        RefreshOutcome outcome = refreshTokens.refresh(client, token, p.scopes(), request.remoteAddress(), dpopJkt);
        if (outcome instanceof RefreshOutcome.Refreshed refreshed) {
            return refreshed.pair();
        }
        RefreshOutcome.Reason reason = ((RefreshOutcome.Rejected) outcome).reason();
        throw new OAuthException(errorOf(reason), reason.description());
    }

    /** RFC 6749 §5.2: a scope wider than the grant is invalid_scope, a secret roll-out in progress a 503, the rest invalid_grant. */
    static OAuthError errorOf(RefreshOutcome.Reason reason) {
        return switch (reason) {
            case SCOPE_EXCEEDS_GRANT -> OAuthError.INVALID_SCOPE;
            case SECRET_UNKNOWN_HERE -> OAuthError.TEMPORARILY_UNAVAILABLE;
            default -> OAuthError.INVALID_GRANT;
        };
    }
}
