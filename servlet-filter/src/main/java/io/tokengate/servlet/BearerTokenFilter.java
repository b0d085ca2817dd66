package io.tokengate.servlet;

import java.io.IOException;
import java.security.Principal;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Settings;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.validation.AccessTokenPrincipal;

/**
 * Validates the bearer token of every request it is mapped to (RFC 6750) and lets the application's own code see
 * the caller: {@code getUserPrincipal()}, {@code getRemoteUser()}, {@code isUserInRole()} (groups claim, plus
 * {@code tokengate.scope-roles}) and {@code getAuthType()} ({@code BEARER}); the validated token is the request
 * attribute {@value #TOKEN_ATTRIBUTE}. Configured by init-params, falling back to the application's TokenGate settings. No database or
 * network call happens here.
 */
public final class BearerTokenFilter implements Filter {
    /** Request attribute holding the {@link AccessTokenPrincipal} of a validated token. */
    public static final String TOKEN_ATTRIBUTE = "io.tokengate.AccessToken";
    /** {@link HttpServletRequest#getAuthType()} of a bearer-authenticated request. */
    public static final String AUTH_TYPE = "BEARER";

    private static final System.Logger LOG = System.getLogger(BearerTokenFilter.class.getName());

    private BearerAuthenticator authenticator;
    /** Set when start-up failed: every request is refused rather than let through unchecked. */
    private String failure;

    @Override
    public void init(FilterConfig filterConfig) {
        try {
            TokenCheck check = TokenGateListener.check(filterConfig.getServletContext());
            SettingsSource own = filterConfig::getInitParameter;
            this.authenticator = BearerAuthenticator.create(new Settings(own.orElse(check.settings().source())), check,
                    TokenGateInitializer.oauthEndpoints(filterConfig.getServletContext()));
        } catch (ConfigurationException | ServletException e) {
            // never throw: a container may then run the application without its filter, i.e. unprotected
            failure = e.getMessage();
            ServletLog.FILTER_REFUSES_ALL.log(LOG, filterConfig.getFilterName(), failure);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (failure != null) {
            HttpAnswers.error(response, OAuthError.TEMPORARILY_UNAVAILABLE, "The access check is not configured");
            return;
        }
        if (authenticator.isOAuthEndpoint(request)) {
            chain.doFilter(request, response); // the endpoint authenticates its client itself
            return;
        }
        BearerAuthenticator.Outcome outcome = authenticator.authenticate(request);
        if (outcome instanceof BearerAuthenticator.Accepted accepted) {
            request.setAttribute(TOKEN_ATTRIBUTE, accepted.token());
            chain.doFilter(new BearerRequest(request, accepted), response);
        } else if (outcome instanceof BearerAuthenticator.Refused refused) {
            authenticator.challenge(response, refused);
        } else {
            authenticator.challengeMissing(response);
        }
    }

    /** The request as the application sees it after a valid bearer token. */
    static final class BearerRequest extends HttpServletRequestWrapper {
        private final AccessTokenPrincipal token;
        private final Set<String> roles;

        BearerRequest(HttpServletRequest request, BearerAuthenticator.Accepted accepted) {
            super(request);
            this.token = accepted.token();
            this.roles = accepted.roles();
        }

        @Override
        public Principal getUserPrincipal() {
            return token;
        }

        @Override
        public String getRemoteUser() {
            return token.subject();
        }

        @Override
        public String getAuthType() {
            return AUTH_TYPE;
        }

        @Override
        public boolean isUserInRole(String role) {
            return role != null && (role.equals("**") || roles.contains(role));
        }
    }
}
