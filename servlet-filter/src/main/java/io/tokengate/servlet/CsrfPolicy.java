package io.tokengate.servlet;

import java.util.Set;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The CSRF defence of requests a browser authenticates by itself (a cookie, a session, BASIC credentials): an
 * allowed {@code Origin} and, where the request changes state, the header {@value #HEADER}{@code : 1}, which a
 * cross-site form cannot send. A request without {@code Origin} does not pass.
 */
public final class CsrfPolicy {
    /** The header a browser client sends with its cookie- or session-authenticated requests. */
    public static final String HEADER = "X-TokenGate-Refresh";

    private final Set<String> allowedOrigins;

    CsrfPolicy(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** The application's policy, as read at start-up. */
    public static CsrfPolicy of(ServletContext context) throws ServletException {
        return HttpSettings.of(context).csrf();
    }

    /** An allowed {@code Origin} and {@value #HEADER}{@code : 1}. */
    public boolean passed(HttpServletRequest request) {
        return originAllowed(request) && "1".equals(request.getHeader(HEADER));
    }

    /** The request names an allowed {@code Origin}. */
    public boolean originAllowed(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        return origin != null && allowedOrigins.contains(origin);
    }

    Set<String> allowedOrigins() {
        return allowedOrigins;
    }
}
