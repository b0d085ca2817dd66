package io.tokengate.servlet;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;

/** RFC 6750 §3 answers of a resource: the {@code WWW-Authenticate: Bearer} challenge with its status and a JSON body. */
final class BearerChallenge {
    private final String realm;

    BearerChallenge(String realm) {
        this.realm = realm;
    }

    String realm() {
        return realm;
    }

    /** 401, {@code Bearer realm="..."} and no error code (§3.1): the resource needs a token and none came. */
    void missing(HttpServletResponse response) throws IOException {
        HttpAnswers.write(response, OAuthErrors.bearerChallenge(realm, null, null, null));
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
        HttpAnswers.write(response, OAuthErrors.bearerChallenge(realm, refused.error(), refused.description(), refused.scope()));
    }
}
