package io.tokengate.ee;

import java.io.IOException;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.Handoff;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.servlet.BearerTokenFilter;
import io.tokengate.servlet.CsrfPolicy;
import io.tokengate.servlet.HttpAnswers;
import io.tokengate.servlet.TokenGateListener;

/**
 * The container-login hand-off: {@code POST} with {@code client_id} (and optionally {@code scope}) by a caller the
 * server has already authenticated (FORM, BASIC, OIDC, ...) returns the first token pair, the refresh token as the
 * httpOnly cookie for cookie-mode (browser) clients. Which clients are served is the core's {@link Handoff} rule;
 * never a caller authenticated by a TokenGate token. The caller's session authenticates the request, so it must
 * pass the CSRF defence: an allowed {@code Origin} and {@code X-TokenGate-Refresh: 1}. The groups claim holds the
 * groups the application's identity stores give for the caller.
 */
final class HandoffServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(HandoffServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            HttpAnswers.write(response, OAuthErrors.methodNotAllowed("POST", "Use POST"));
            return;
        }
        Principal caller = request.getUserPrincipal();
        if (caller == null) {
            HttpAnswers.error(response, OAuthError.UNAUTHORIZED, "Sign in first");
            return;
        }
        if (caller instanceof AccessTokenPrincipal || request.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE) != null) {
            HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "The hand-off is for callers signed in by the server's login, not by a token");
            return;
        }
        if (!CsrfPolicy.of(request.getServletContext()).passed(request)) {
            HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "The hand-off needs an allowed Origin and the " + CsrfPolicy.HEADER + " header");
            return;
        }
        String[] clientIds = request.getParameterValues("client_id");
        String[] scopes = request.getParameterValues("scope");
        if (clientIds == null || clientIds.length != 1 || (scopes != null && scopes.length != 1)) {
            HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "Send one client_id (and at most one scope)");
            return;
        }
        Set<String> groups;
        try {
            groups = groupsOf(caller);
        } catch (RuntimeException e) {
            EeLog.HANDOFF_GROUPS_FAILED.log(LOG, String.valueOf(e));
            HttpAnswers.error(response, OAuthError.TEMPORARILY_UNAVAILABLE, "The identity store is unavailable; try again");
            return;
        }
        TokenGate tokenGate = TokenGateListener.of(request.getServletContext());
        EndpointResponse r = tokenGate.handoff().issue(new Handoff.Request(clientIds[0], caller.getName(), groups,
                scopes == null ? null : scopes[0], null, request.getHeader("User-Agent"), request.getRemoteAddr()));
        HttpAnswers.writeTokenResponse(request, response, r);
    }

    /** The caller's groups as the application's identity stores provide them (stores that provide groups). */
    static Set<String> groupsOf(Principal caller) {
        Set<String> groups = new LinkedHashSet<>();
        Instance<IdentityStore> stores = CDI.current().select(IdentityStore.class);
        CredentialValidationResult who = new CredentialValidationResult(caller.getName());
        for (IdentityStore store : stores) {
            if (store.validationTypes().contains(IdentityStore.ValidationType.PROVIDE_GROUPS)) {
                groups.addAll(store.getCallerGroups(who));
            }
        }
        return groups;
    }
}
