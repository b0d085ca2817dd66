package io.tokengate.ee;

import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;
import io.tokengate.core.authorize.AuthorizationRequest;
import io.tokengate.core.endpoint.AuthorizationEndpoint;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.servlet.BearerTokenFilter;
import io.tokengate.servlet.CsrfPolicy;
import io.tokengate.servlet.HttpAnswers;
import io.tokengate.servlet.TokenGateListener;

/**
 * The authorization endpoint over HTTP (RFC 6749 §4.1): {@code GET} checks the request ({@link AuthorizationEndpoint}),
 * signs the user in — with TokenGate's login page where TokenGate is the application's mechanism, otherwise with the
 * application's own login ({@code request.authenticate}: its FORM or custom-form mechanism), or an existing session —
 * then asks a third-party client's user to consent and redirects back with the code. {@code POST} is the consent form,
 * defended against CSRF by an allowed {@code Origin} and the session's token. Pages are never framed.
 */
final class AuthorizationServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(AuthorizationServlet.class.getName());
    private final boolean ownLoginPage;
    private final String loginPath;
    private transient TokenGate tokenGate;
    private transient CsrfPolicy csrf;

    /** @param loginPath TokenGate's login page (where TokenGate is the mechanism), or null for the application's own login */
    AuthorizationServlet(String loginPath) {
        this.ownLoginPage = loginPath != null;
        this.loginPath = loginPath;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        tokenGate = TokenGateListener.of(config.getServletContext());
        csrf = CsrfPolicy.of(config.getServletContext());
    }

    /** A signed-in user, as the authorization endpoint needs them. */
    private record User(String subject, Set<String> groups, Instant authTime) {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if ("GET".equals(request.getMethod())) {
            authorize(request, response);
        } else if ("POST".equals(request.getMethod())) {
            consent(request, response);
        } else {
            HttpAnswers.write(response, io.tokengate.core.endpoint.OAuthErrors.methodNotAllowed("GET, POST", "Use GET (or POST the consent form)"));
        }
    }

    private void authorize(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, List<String>> query = query(request);
        AuthorizationRequest valid = checked(request, response, query);
        if (valid == null) {
            return;
        }
        User user = user(request, response, true);
        if (user == null) {
            return; // the login page or the application's mechanism answered
        }
        if (tokenGate.authorizationEndpoint().needsConsent(valid)) {
            String id = BrowserSession.awaitConsent(request, query);
            AuthorizationPages.consent(response, BrowserSession.ownPath(request), valid.client().clientId(), valid.scopes(), user.subject(), id,
                    BrowserSession.csrfToken(request));
            return;
        }
        redirect(response, tokenGate.authorizationEndpoint().approved(valid, user.subject(), user.groups(), user.authTime()));
    }

    private void consent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!BrowserSession.csrfPassed(request, csrf)) {
            AuthorizationPages.error(request, response, OAuthError.INVALID_REQUEST,
                    "The consent form is stale or was not sent from this site; start again from the application");
            return;
        }
        String[] ids = request.getParameterValues("request");
        String[] decisions = request.getParameterValues("consent");
        Map<String, List<String>> query = ids == null || ids.length != 1 ? null : BrowserSession.takeConsent(request, ids[0]);
        if (query == null || decisions == null || decisions.length != 1) {
            AuthorizationPages.error(request, response, OAuthError.INVALID_REQUEST, "This consent is not pending (any more)");
            return;
        }
        AuthorizationRequest valid = checked(request, response, query); // the client may have changed meanwhile
        if (valid == null) {
            return;
        }
        User user = user(request, response, false);
        if (user == null) {
            return;
        }
        switch (decisions[0]) {
            case "approve" -> redirect(response, tokenGate.authorizationEndpoint().approved(valid, user.subject(), user.groups(), user.authTime()));
            case "deny" -> redirect(response, tokenGate.authorizationEndpoint().denied(valid));
            default -> AuthorizationPages.error(request, response, OAuthError.INVALID_REQUEST, "consent is approve or deny");
        }
    }

    /** The request if every check passed; otherwise the error page or the error redirect was sent, and null. */
    private AuthorizationRequest checked(HttpServletRequest request, HttpServletResponse response, Map<String, List<String>> query)
            throws IOException {
        AuthorizationEndpoint.Outcome outcome = tokenGate.authorizationEndpoint().check(query);
        if (outcome instanceof AuthorizationEndpoint.Outcome.ErrorPage page) {
            AuthorizationPages.error(request, response, page.error(), page.description());
            return null;
        }
        if (outcome instanceof AuthorizationEndpoint.Outcome.Redirect r) {
            redirect(response, r.location());
            return null;
        }
        return ((AuthorizationEndpoint.Outcome.Valid) outcome).request();
    }

    /**
     * The signed-in user; else, with {@code startLogin}, sends the user to the login (and null), or the error page. Never a
     * caller authenticated by a bearer token: a token must not mint codes.
     */
    private User user(HttpServletRequest request, HttpServletResponse response, boolean startLogin) throws IOException {
        if (ownLoginPage) {
            BrowserSession.SignedIn s = BrowserSession.signedIn(request);
            if (s != null) {
                return new User(s.subject(), s.groups(), s.authTime());
            }
            if (!startLogin) {
                AuthorizationPages.error(request, response, OAuthError.ACCESS_DENIED, "Sign in first");
                return null;
            }
            BrowserSession.returnAfterLogin(request, BrowserSession.ownPath(request) + "?" + request.getQueryString());
            response.setStatus(303);
            response.setHeader("Location", BrowserSession.inApplication(request, loginPath));
            AuthorizationPages.secure(response);
            return null;
        }
        Principal caller = request.getUserPrincipal();
        if (caller instanceof AccessTokenPrincipal || request.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE) != null) {
            AuthorizationPages.error(request, response, OAuthError.INVALID_REQUEST, "Sign in with the application's login, not with a token");
            return null;
        }
        if (caller == null) {
            if (!startLogin) {
                AuthorizationPages.error(request, response, OAuthError.ACCESS_DENIED, "Sign in first");
                return null;
            }
            try {
                if (!request.authenticate(response)) {
                    return null; // the application's mechanism sent its login page or challenge
                }
            } catch (ServletException e) {
                EeLog.NO_LOGIN_FOR_AUTHORIZATION.log(LOG, String.valueOf(e));
                AuthorizationPages.error(request, response, OAuthError.TEMPORARILY_UNAVAILABLE, "This application has no login for the sign-in request");
                return null;
            }
            caller = request.getUserPrincipal();
            if (caller == null) {
                AuthorizationPages.error(request, response, OAuthError.ACCESS_DENIED, "Sign in first");
                return null;
            }
        }
        Set<String> groups;
        try {
            groups = HandoffServlet.groupsOf(caller);
        } catch (RuntimeException e) {
            EeLog.HANDOFF_GROUPS_FAILED.log(LOG, String.valueOf(e));
            AuthorizationPages.error(request, response, OAuthError.TEMPORARILY_UNAVAILABLE, "The identity store is unavailable; try again");
            return null;
        }
        return new User(caller.getName(), groups, BrowserSession.firstSeen(request, caller.getName(), Clock.systemUTC().instant()));
    }

    private static Map<String, List<String>> query(HttpServletRequest request) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> q.put(k, new ArrayList<>(List.of(v))));
        return q;
    }

    private static void redirect(HttpServletResponse response, String location) {
        AuthorizationPages.secure(response);
        response.setStatus(302);
        response.setHeader("Location", location);
    }
}
