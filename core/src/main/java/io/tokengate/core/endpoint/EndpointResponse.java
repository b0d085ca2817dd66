package io.tokengate.core.endpoint;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an OAuth endpoint answers: status, headers and a JSON body (empty for RFC 7009 revocation). For a client
 * in cookie mode, the refresh token is not in the body but in {@link #refreshTokenCookie()}, with its max age,
 * for the HTTP layer to set as an httpOnly cookie; an empty value with a max age of zero clears the cookie (sign-out).
 */
public record EndpointResponse(int status, Map<String, String> headers, String body, String refreshTokenCookie,
                               Duration refreshTokenCookieMaxAge) {
    public EndpointResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Whether the answer clears the refresh cookie. */
    public boolean clearsRefreshTokenCookie() {
        return "".equals(refreshTokenCookie);
    }

    /** Never prints a token. */
    @Override
    public String toString() {
        return "EndpointResponse[" + status + ", " + headers + "]";
    }
}
