package io.tokengate.ee;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.tokengate.core.random.SecureRandoms;
import io.tokengate.servlet.CsrfPolicy;

/**
 * What the authorization endpoint and TokenGate's login page keep in the user's HTTP session: its CSRF token, the user
 * signed in by TokenGate's login page, the authorization request to return to after it, and the requests waiting for
 * consent. Only serializable values, so a session may be replicated or persisted.
 */
final class BrowserSession {
    private static final String CSRF = "io.tokengate.csrf";
    private static final String SIGNED_IN = "io.tokengate.signedIn";
    private static final String RETURN_TO = "io.tokengate.loginReturn";
    private static final String PENDING = "io.tokengate.pendingConsent";
    private static final String FIRST_SEEN = "io.tokengate.authTime";
    /** Consents a session may have open at once (tabs); the oldest is dropped beyond. */
    private static final int MAX_PENDING = 8;

    /** A user signed in by TokenGate's login page. */
    record SignedIn(String subject, Set<String> groups, Instant authTime) implements Serializable {
        SignedIn {
            groups = Set.copyOf(groups);
        }
    }

    private BrowserSession() {
    }

    /** The session's CSRF token, made on first use. */
    static String csrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object token = session.getAttribute(CSRF);
        if (token instanceof String s) {
            return s;
        }
        String made = Base64.getUrlEncoder().withoutPadding().encodeToString(SecureRandoms.bytes(32));
        session.setAttribute(CSRF, made);
        return made;
    }

    /**
     * The CSRF defence of a form post: an allowed {@code Origin} (browsers send it with every POST) and the form's
     * {@code csrf} equal to the session's token.
     */
    static boolean csrfPassed(HttpServletRequest request, CsrfPolicy policy) {
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(CSRF);
        String[] sent = request.getParameterValues("csrf");
        return policy.originAllowed(request) && expected instanceof String e && sent != null && sent.length == 1
                && MessageDigest.isEqual(e.getBytes(StandardCharsets.US_ASCII), sent[0].getBytes(StandardCharsets.US_ASCII));
    }

    static SignedIn signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(SIGNED_IN) instanceof SignedIn s ? s : null;
    }

    /** Signs the user in: a new session id first (no fixation), the CSRF token renewed. */
    static void signIn(HttpServletRequest request, SignedIn user) {
        request.changeSessionId();
        HttpSession session = request.getSession();
        session.setAttribute(SIGNED_IN, user);
        session.removeAttribute(CSRF);
    }

    /** When this session was first seen signed in by the application's own login: the best {@code auth_time} there is. */
    static Instant firstSeen(HttpServletRequest request, String subject, Instant now) {
        HttpSession session = request.getSession(true);
        String key = FIRST_SEEN + " " + subject;
        if (session.getAttribute(key) instanceof Instant t) {
            return t;
        }
        session.setAttribute(key, now);
        return now;
    }

    /** Remembers the authorization request (path and query) to go back to after the login page. */
    /**
     * The path of the servlet serving {@code request} in this application, for form actions and return addresses:
     * built from the application's context path and the servlet mapping, never from the raw request URI (which may
     * hold {@code //host}, {@code ;} parameters or dot segments the container ignores when it routes the request).
     */
    static String ownPath(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletContext().getContextPath() + request.getServletPath() + (info == null ? "" : info);
    }

    /** {@code path} (starting with {@code /}) inside this application. */
    static String inApplication(HttpServletRequest request, String path) {
        return request.getServletContext().getContextPath() + path;
    }

    /** Whether {@code location} is a path on this server: one leading {@code /}, not {@code //} or {@code /\}. */
    static boolean localPath(String location) {
        return location != null && location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\");
    }

    static void returnAfterLogin(HttpServletRequest request, String pathAndQuery) {
        request.getSession(true).setAttribute(RETURN_TO, pathAndQuery);
    }

    /** The remembered authorization request, once; null if none. */
    static String takeReturn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(RETURN_TO) instanceof String s)) {
            return null;
        }
        session.removeAttribute(RETURN_TO);
        return s;
    }

    /** Keeps an authorization request's query for its consent; the id to post back. */
    static String awaitConsent(HttpServletRequest request, Map<String, List<String>> query) {
        HttpSession session = request.getSession(true);
        LinkedHashMap<String, ArrayList<String>> copy = new LinkedHashMap<>();
        query.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(SecureRandoms.bytes(16));
        synchronized (session) {
            LinkedHashMap<String, LinkedHashMap<String, ArrayList<String>>> pending = pending(session);
            while (pending.size() >= MAX_PENDING) {
                pending.remove(pending.keySet().iterator().next());
            }
            pending.put(id, copy);
            session.setAttribute(PENDING, pending);
        }
        return id;
    }

    /** The query of the request awaiting consent under {@code id}, removed (a consent is used once); null if none. */
    static Map<String, List<String>> takeConsent(HttpServletRequest request, String id) {
        HttpSession session = request.getSession(false);
        if (session == null || id == null) {
            return null;
        }
        synchronized (session) {
            LinkedHashMap<String, LinkedHashMap<String, ArrayList<String>>> pending = pending(session);
            LinkedHashMap<String, ArrayList<String>> query = pending.remove(id);
            session.setAttribute(PENDING, pending);
            return query == null ? null : new LinkedHashMap<>(query);
        }
    }

    @SuppressWarnings("unchecked")
    private static LinkedHashMap<String, LinkedHashMap<String, ArrayList<String>>> pending(HttpSession session) {
        Object p = session.getAttribute(PENDING);
        return p instanceof LinkedHashMap ? (LinkedHashMap<String, LinkedHashMap<String, ArrayList<String>>>) p : new LinkedHashMap<>();
    }
}
