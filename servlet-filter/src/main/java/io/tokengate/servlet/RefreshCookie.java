package io.tokengate.servlet;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The refresh-token cookie of cookie-mode (browser) clients: {@code __Secure-} (not {@code __Host-}, which browsers
 * accept only with {@code Path=/}), host-only (no Domain), {@code Secure}, {@code HttpOnly}, {@code SameSite=Strict},
 * and a Path limited to the folder of the token and revocation endpoints, so the browser sends it there and nowhere
 * else. For http://localhost development only it may go without {@code Secure} and the prefix.
 */
final class RefreshCookie {
    static final String SECURE_NAME = "__Secure-tokengate-refresh";
    static final String LOCALHOST_NAME = "tokengate-refresh";

    private final String name;
    private final String path;
    private final boolean secure;

    RefreshCookie(String path, boolean insecureLocalhost) {
        this.name = insecureLocalhost ? LOCALHOST_NAME : SECURE_NAME;
        this.path = path;
        this.secure = !insecureLocalhost;
    }

    /** The non-empty values of the cookie in the request: more than one may have been planted from a sibling domain. */
    List<String> values(HttpServletRequest request) {
        List<String> values = new ArrayList<>(1);
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (name.equals(c.getName()) && !c.getValue().isEmpty()) {
                    values.add(c.getValue());
                }
            }
        }
        return values;
    }

    /** The {@code Set-Cookie} value; an empty value with max age 0 clears it. */
    String header(String value, long maxAgeSeconds) {
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAgeSeconds + "; HttpOnly" + (secure ? "; Secure" : "")
                + "; SameSite=Strict";
    }

    boolean secure() {
        return secure;
    }
}
