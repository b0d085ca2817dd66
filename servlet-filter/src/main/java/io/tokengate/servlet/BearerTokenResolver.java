package io.tokengate.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds the one access-token credential of a request (RFC 6750 §2): the {@code Authorization} header — scheme
 * {@code Bearer}, or {@code DPoP} (RFC 9449 §7.1) for a token bound to a key — and where enabled
 * the {@code access_token} query parameter (§2.3) or a cookie. Two credentials, two {@code Authorization} headers
 * or a malformed one are refused; a cookie-carried token of a state-changing request must come from an allowed
 * origin (a cookie rides along with cross-site requests). Counts without building lists.
 */
final class BearerTokenResolver {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean queryToken;
    private final String cookieName;
    private final CsrfPolicy csrf;

    BearerTokenResolver(boolean queryToken, String cookieName, CsrfPolicy csrf) {
        this.queryToken = queryToken;
        this.cookieName = cookieName;
        this.csrf = csrf;
    }

    /** What the request carries. */
    sealed interface Credential permits None, Malformed, Token {
    }

    /** No bearer credential at all (another scheme, e.g. Basic, is none). */
    record None() implements Credential {
    }

    /** The request is malformed: the description says how. */
    record Malformed(String description) implements Credential {
    }

    /** The one token; {@code dpop} when it came as {@code Authorization: DPoP}. */
    record Token(String value, boolean dpop) implements Credential {
    }

    private static final None NONE = new None();

    Credential resolve(HttpServletRequest request) {
        String credential = null; // the one credential, when there is exactly one
        int credentials = 0;
        int headers = 0;
        boolean malformedHeader = false;
        boolean dpop = false;
        Enumeration<String> values = request.getHeaders("Authorization");
        while (values != null && values.hasMoreElements()) {
            String header = values.nextElement();
            headers++;
            int scheme = header.length() >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7) ? 7
                    : header.length() >= 5 && header.regionMatches(true, 0, "DPoP ", 0, 5) ? 5 : 0;
            if (scheme > 0) {
                String token = header.substring(scheme).trim();
                if (token.isEmpty() || !isB64Token(token)) {
                    malformedHeader = true;
                } else {
                    credential = token;
                    credentials++;
                    dpop = scheme == 5;
                }
            } else if (header.equalsIgnoreCase("Bearer") || header.equalsIgnoreCase("DPoP")) {
                malformedHeader = true;
            }
        }
        if (queryToken && request.getQueryString() != null) {
            for (String pair : request.getQueryString().split("&")) {
                if (pair.startsWith("access_token=")) {
                    credential = decode(pair.substring(13));
                    credentials++;
                }
            }
        }
        boolean fromCookie = false;
        if (cookieName != null && request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (cookieName.equals(c.getName()) && !c.getValue().isEmpty()) {
                    credential = c.getValue();
                    credentials++;
                    fromCookie = true;
                }
            }
        }
        if (credentials > 1 || headers > 1) {
            return new Malformed("The request carries more than one credential");
        }
        if (malformedHeader) {
            return new Malformed("The Authorization header is malformed");
        }
        if (credentials == 0) {
            return NONE;
        }
        if (fromCookie && !SAFE_METHODS.contains(request.getMethod()) && !csrf.originAllowed(request)) {
            return new Malformed("A cookie-authenticated request must come from an allowed Origin");
        }
        return new Token(credential, dpop);
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The characters of an RFC 6750 §2.1 b64token before its trailing {@code =}s. */
    private static final boolean[] B64TOKEN = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".toCharArray()) {
            B64TOKEN[c] = true;
        }
    }

    /** RFC 6750 §2.1 b64token. */
    static boolean isB64Token(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 128 || !B64TOKEN[c]) {
                break;
            }
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < n && s.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }
}
