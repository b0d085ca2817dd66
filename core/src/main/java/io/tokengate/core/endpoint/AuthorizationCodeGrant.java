package io.tokengate.core.endpoint;

import io.tokengate.core.authorize.AuthorizationCode;
import io.tokengate.core.authorize.AuthorizationCodes;
import io.tokengate.core.authorize.CodeRedemption;
import io.tokengate.core.authorize.Pkce;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.log.CoreLog;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.TokenPair;

/**
 * {@code grant_type=authorization_code} (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.6): the code is used first — so a
 * stolen code tried with a wrong verifier is spent, never retried — then its bindings are checked: same client, the
 * redirect URI repeated exactly, the verifier of its challenge. A code used a second time revokes the family its first
 * use issued (RFC 6749 §4.1.2). Every refusal is {@code invalid_grant}.
 */
final class AuthorizationCodeGrant implements GrantHandler {
    private static final System.Logger LOG = System.getLogger(AuthorizationCodeGrant.class.getName());
    private final AuthorizationCodes codes;
    private final RefreshTokenService refreshTokens;

    AuthorizationCodeGrant(AuthorizationCodes codes, RefreshTokenService refreshTokens) {
        this.codes = codes;
        this.refreshTokens = refreshTokens;
    }

    @Override
    public TokenPair grant(ClientRegistration client, FormParameters p, EndpointRequest request, String dpopJkt) {
        String presented = p.required("code");
        String redirectUri = p.required("redirect_uri");
        String verifier = p.get("code_verifier");
        if (verifier == null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "code_verifier is required (PKCE)");
        }
        CodeRedemption redemption = codes.redeem(presented);
        if (redemption instanceof CodeRedemption.Replayed replayed) {
            if (replayed.familyId() != null) {
                refreshTokens.revokeFamily(replayed.familyId(), "code_replayed");
            }
            CoreLog.CODE_REPLAYED.log(LOG, replayed.code().clientId(), replayed.code().subject(), request.remoteAddress());
            throw new OAuthException(OAuthError.INVALID_GRANT, "The authorization code was already used; what it issued is revoked");
        }
        if (!(redemption instanceof CodeRedemption.Redeemed redeemed)) {
            throw new OAuthException(OAuthError.INVALID_GRANT, redemption instanceof CodeRedemption.Expired
                    ? "The authorization code expired" : "The authorization code is invalid");
        }
        AuthorizationCode code = redeemed.code();
        if (!code.clientId().equals(client.clientId())) {
            // the same words as for an unknown code: another client learns nothing about codes that are not its own
            throw new OAuthException(OAuthError.INVALID_GRANT, "The authorization code is invalid");
        }
        if (!code.redirectUri().equals(redirectUri)) {
            throw new OAuthException(OAuthError.INVALID_GRANT, "The redirect_uri is not the one of the authorization request");
        }
        if (!Pkce.matches(verifier, code.codeChallenge())) {
            throw new OAuthException(OAuthError.INVALID_GRANT, "The code_verifier does not match the code_challenge");
        }
        TokenPair pair = refreshTokens.issue(new RefreshTokenService.Grant(client, GrantType.AUTHORIZATION_CODE.value(), code.subject(),
                code.groups(), code.scopes(), code.authTime(), request.header("User-Agent"), request.remoteAddress(), dpopJkt));
        if (pair.familyId() != null) {
            codes.recordFamily(code, pair.familyId());
        }
        return pair;
    }
}
