package io.tokengate.servlet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.SettingKey;
import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.config.Settings;

/**
 * The HTTP side of the endpoints, read and checked once at start-up (so a bad value fails the deployment, not every
 * request).
 *
 * @param maxRequestSize    largest endpoint request body
 * @param csrf              the CSRF defence of browser requests
 * @param cookie            the refresh cookie of cookie-mode clients
 * @param jwksMaxAge        Cache-Control max-age of the JWKS
 * @param paths             where the endpoints are registered, relative to the application
 */
record HttpSettings(int maxRequestSize, CsrfPolicy csrf, RefreshCookie cookie, Duration jwksMaxAge, AuthorizationServerMetadata.Paths paths) {
    /** Context attribute holding the application's HttpSettings, read once when TokenGate starts. */
    static final String ATTRIBUTE = "io.tokengate.HttpSettings";
    /** Where the RFC 8414 metadata is, relative to the application (RFC 8414 §3). */
    static final String METADATA_PATH = "/.well-known/oauth-authorization-server";

    /** The application's HttpSettings, as read at start-up. */
    static HttpSettings of(ServletContext context) throws ServletException {
        Object http = context.getAttribute(ATTRIBUTE);
        return http instanceof HttpSettings h ? h : read(TokenGateListener.check(context).settings(), context.getContextPath());
    }

    static HttpSettings read(Settings s, String contextPath) {
        String issuer = s.required(Setting.ISSUER);
        int max = s.integer(ServletSetting.MAX_REQUEST_SIZE);
        if (max < 1024) {
            throw new ConfigurationException(ServletSetting.MAX_REQUEST_SIZE, "must be at least 1024 bytes");
        }
        List<String> origins = s.list(ServletSetting.ALLOWED_ORIGINS);
        for (String o : origins) {
            if (!o.equals(origin(o, ServletSetting.ALLOWED_ORIGINS))) {
                throw new ConfigurationException(ServletSetting.ALLOWED_ORIGINS, "'" + o + "' is not an origin (scheme://host[:port])");
            }
        }
        boolean insecure = s.bool(ServletSetting.COOKIE_INSECURE_LOCALHOST);
        if (insecure) {
            URI u = URI.create(issuer);
            if (!"http".equals(u.getScheme()) || !Set.of("localhost", "127.0.0.1", "[::1]").contains(u.getHost())) {
                throw new ConfigurationException(ServletSetting.COOKIE_INSECURE_LOCALHOST, "is only for an http://localhost issuer, not " + issuer);
            }
        }
        String token = s.path(ServletSetting.TOKEN_PATH);
        String revocation = s.path(ServletSetting.REVOCATION_PATH);
        CsrfPolicy csrf = new CsrfPolicy(origins.isEmpty() ? Set.of(origin(issuer, Setting.ISSUER)) : Set.copyOf(origins));
        return new HttpSettings(max, csrf, new RefreshCookie(contextPath + commonFolder(token, revocation), insecure),
                s.duration(Setting.JWKS_MAX_AGE), new AuthorizationServerMetadata.Paths(token, revocation,
                s.path(ServletSetting.INTROSPECTION_PATH), s.path(ServletSetting.JWKS_PATH), s.path(ServletSetting.REVOCATION_FEED_PATH)));
    }

    private static String origin(String url, SettingKey setting) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                throw new ConfigurationException(setting, "'" + url + "' has no scheme://host");
            }
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting, "'" + url + "' is not a URL");
        }
    }

    /** "/oauth/token" and "/oauth/revoke" → "/oauth"; with nothing in common, the token path alone. */
    static String commonFolder(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        StringBuilder common = new StringBuilder();
        for (int i = 1; i < x.length - 1 && i < y.length - 1; i++) {
            if (!x[i].equals(y[i])) {
                break;
            }
            common.append('/').append(x[i]);
        }
        return common.length() == 0 ? a : common.toString();
    }
}
