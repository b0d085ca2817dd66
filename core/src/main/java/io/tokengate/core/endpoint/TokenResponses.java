package io.tokengate.core.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.refresh.TokenPair;

/** RFC 6749 §5.1 token responses; a cookie-mode client's refresh token goes to the cookie, never into the JSON. */
final class TokenResponses {
    private TokenResponses() {
    }

    static EndpointResponse of(ClientRegistration client, TokenPair pair) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", pair.accessToken().value());
        body.put("token_type", pair.accessToken().tokenType());
        body.put("expires_in", pair.accessToken().expiresInSeconds());
        String cookie = null;
        Duration cookieMaxAge = null;
        if (pair.refreshToken() != null) {
            long refreshExpiresIn = pair.refreshTokenExpiresInSeconds();
            if (client.cookieMode()) {
                cookie = pair.refreshToken();
                cookieMaxAge = Duration.ofSeconds(refreshExpiresIn);
            } else {
                body.put("refresh_token", pair.refreshToken());
            }
            body.put("refresh_token_expires_in", refreshExpiresIn);
        }
        if (!pair.scopes().isEmpty()) {
            body.put("scope", String.join(" ", pair.scopes()));
        }
        return new EndpointResponse(200, OAuthErrors.jsonHeaders(), JsonUtil.toJson(body), cookie, cookieMaxAge);
    }
}
