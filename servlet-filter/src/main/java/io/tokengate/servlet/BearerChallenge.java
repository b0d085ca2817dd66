package io.tokengate.servlet;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;

/**
 * RFC 6750 §3 answers of a resource: the {@code WWW-Authenticate: Bearer} challenge with its status and a JSON body;
 * with DPoP accepted (RFC 9449 §7.1), a missing token is challenged with {@code DPoP} and its {@code algs} too, and a
 * refused DPoP request with {@code DPoP}.
 */
final class BearerChallenge {
    private final String realm;
    private final String dpopAlgorithms; // null: DPoP not accepted

    BearerChallenge(String realm, String dpopAlgorithms) {
        this.realm = realm;
        this.dpopAlgorithms = dpopAlgorithms;
    }

    String realm() {
        return realm;
    }

    /** 401, {@code Bearer realm="..."} and no error code (§3.1): the resource needs a token and none came. */
    void missing(HttpServletResponse response) throws IOException {
        HttpAnswers.write(response, dpopAlgorithms == null ? OAuthErrors.bearerChallenge(realm, null, null, null)
                : OAuthErrors.challenges(realm, dpopAlgorithms));
    }

    /**
     * The refusal's status, error, description and (for {@code insufficient_scope}) the scope needed; a check that
     * could not be made is a 503 with {@code Retry-After} and no challenge (another token would not help).
     */
    void refused(HttpServletResponse response, BearerAuthenticator.Refused refused) throws IOException {
        if (refused.error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
            HttpAnswers.write(response, OAuthErrors.error(refused.error(), refused.description()));
            return;
        }
        HttpAnswers.write(response, refused.dpop() && dpopAlgorithms != null
                ? OAuthErrors.dpopChallenge(realm, dpopAlgorithms, refused.error(), refused.description(), refused.scope())
                : OAuthErrors.bearerChallenge(realm, refused.error(), refused.description(), refused.scope()));
    }
}
