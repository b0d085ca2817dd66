package io.tokengate.ee;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.servlet.BearerAuthenticator;
import io.tokengate.servlet.BearerTokenFilter;
import io.tokengate.servlet.HttpAnswers;

/**
 * TokenGate as the application's Jakarta Security authentication mechanism. A valid bearer token logs the caller
 * in for the request (principal: the token's {@code AccessTokenPrincipal}, groups: its groups claim plus
 * {@code tokengate.scope-roles}); a refused one is answered at once with RFC 6750's 400/401/403 and a JSON body;
 * no token on a protected resource (a container constraint, or a {@code tokengate.required-scopes} rule) is a 401
 * challenge, on an unprotected one the request goes on anonymously. TokenGate's OAuth endpoints are left to
 * themselves: the token, revocation and introspection endpoints authenticate clients, not bearer tokens.
 * Stateless: nothing is kept in a session. Added as a bean by {@link TokenGateExtension} only when activated; its
 * bearer check is injected ({@link MechanismAuthenticator}).
 */
public class TokenGateMechanism implements HttpAuthenticationMechanism {
    @Inject
    MechanismAuthenticator check;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        BearerAuthenticator authenticator = check.get();
        try {
            if (authenticator == null) {
                // TokenGate did not start (the deployment failed): refuse rather than let anyone through
                HttpAnswers.error(response, OAuthError.TEMPORARILY_UNAVAILABLE, "The access check is not configured");
                return sent(response);
            }
            if (authenticator.isOAuthEndpoint(request)) {
                return context.doNothing(); // the endpoint authenticates its client itself (RFC 6749 §2.3)
            }
            BearerAuthenticator.Outcome outcome = authenticator.authenticate(request);
            if (outcome instanceof BearerAuthenticator.Accepted accepted) {
                request.setAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE, accepted.token());
                return context.notifyContainerAboutLogin(accepted.token(), accepted.roles());
            }
            if (outcome instanceof BearerAuthenticator.Refused refused) {
                authenticator.challenge(response, refused);
                return sent(response);
            }
            if (context.isProtected() || authenticator.hasScopeRule(request)) {
                authenticator.challengeMissing(response);
                return sent(response);
            }
            return context.doNothing();
        } catch (IOException e) {
            return AuthenticationStatus.SEND_FAILURE; // the client went away while we answered
        }
    }

    /**
     * SEND_FAILURE for an answer already written, its stream closed first: a container that follows a failed
     * authentication with {@code sendError} unless the response is complete (WildFly's Undertow does) would otherwise
     * replace TokenGate's JSON body with its error page.
     */
    private static AuthenticationStatus sent(HttpServletResponse response) throws IOException {
        response.getOutputStream().close();
        return AuthenticationStatus.SEND_FAILURE;
    }
}
