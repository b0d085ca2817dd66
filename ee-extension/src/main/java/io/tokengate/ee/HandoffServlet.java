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
import io.tokengate.servlet.EndpointServlet;
import io.tokengate.servlet.JsonResponses;
import io.tokengate.servlet.TokenGateListener;

/**
 * The container-login hand-off: {@code POST} with {@code client_id} (and optionally {@code scope}) by a caller the
 * server has already authenticated (FORM, BASIC, OIDC, ...) returns the first token pair, the refresh token as the
 * httpOnly cookie for cookie-mode (browser) clients. Only public clients that may refresh are served (a browser must
 * not get a confidential or service client's tokens), and never to a caller authenticated by a TokenGate token. The caller's session authenticates the request, so it must
 * pass the CSRF defence: an allowed {@code Origin} and {@code X-TokenGate-Refresh: 1}. The groups claim holds the
 * groups the application's identity stores give for the caller.
 */
final class HandoffServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(HandoffServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            JsonResponses.error(response, 405, "invalid_request", "Use POST");
            return;
        }
        Principal caller = request.getUserPrincipal();
        if (caller == null) {
            JsonResponses.error(response, 401, "invalid_request", "Sign in first");
            return;
        }
        if (caller instanceof io.tokengate.core.validation.AccessTokenPrincipal
                || request.getAttribute(io.tokengate.servlet.BearerTokenFilter.TOKEN_ATTRIBUTE) != null) {
            JsonResponses.error(response, 400, "invalid_request", "The hand-off is for callers signed in by the server's login, not by a token");
            return;
        }
        TokenGate tokenGate = TokenGateListener.of(request.getServletContext());
        if (!EndpointServlet.csrfSafe(request)) {
            JsonResponses.error(response, 400, "invalid_request", "The hand-off needs an allowed Origin and the "
                    + EndpointServlet.CSRF_HEADER + " header");
            return;
        }
        String[] clientIds = request.getParameterValues("client_id");
        String[] scopes = request.getParameterValues("scope");
        if (clientIds == null || clientIds.length != 1 || (scopes != null && scopes.length != 1)) {
            JsonResponses.error(response, 400, "invalid_request", "Send one client_id (and at most one scope)");
            return;
        }
        java.util.Optional<io.tokengate.core.client.ClientRegistration> client = tokenGate.clients().find(clientIds[0]);
        if (client.isPresent() && (client.get().isConfidential() || !client.get().allows(io.tokengate.core.client.GrantType.REFRESH_TOKEN))) {
            // a browser must not obtain the tokens (and scopes) of a server-side or service client
            JsonResponses.error(response, 400, "unauthorized_client", "The hand-off serves public clients that may refresh (browser apps) only");
            return;
        }
        Set<String> groups;
        try {
            groups = groupsOf(caller);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TG-0408 an identity store failed to give the groups of a hand-off caller: {0}", String.valueOf(e));
            JsonResponses.error(response, 503, "temporarily_unavailable", "The identity store is unavailable; try again");
            return;
        }
        EndpointResponse r = tokenGate.endpoint().issueForAuthenticatedUser(clientIds[0], caller.getName(), groups,
                scopes == null ? null : scopes[0], null, request.getHeader("User-Agent"), request.getRemoteAddr());
        EndpointServlet.send(request, response, r);
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
