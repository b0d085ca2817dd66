package io.tokengate.servlet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;

/**
 * The HTTP-side settings of the endpoints, read and checked once at start-up (so a bad value fails the
 * deployment, not every request).
 *
 * @param maxRequestSize    largest endpoint request body
 * @param allowedOrigins    origins a cookie-authenticated request may come from
 * @param insecureLocalhost refresh cookie without Secure (http://localhost issuers only)
 * @param cookiePath        Path of the refresh cookie: the deepest folder holding both the token and the revocation
 *                          endpoint, so a browser sends it to both and nowhere else
 * @param jwksMaxAge        Cache-Control max-age of the JWKS
 */
record HttpSettings(int maxRequestSize, Set<String> allowedOrigins, boolean insecureLocalhost, String cookiePath, Duration jwksMaxAge) {
    /** Context attribute holding the application's HttpSettings, read once when TokenGate starts. */
    static final String ATTRIBUTE = "io.tokengate.HttpSettings";

    /** The application's HttpSettings, as read at start-up. */
    static HttpSettings of(jakarta.servlet.ServletContext context) throws jakarta.servlet.ServletException {
        Object http = context.getAttribute(ATTRIBUTE);
        return http instanceof HttpSettings h ? h : read(TokenGateListener.of(context).settings(), context.getContextPath());
    }

    static HttpSettings read(Settings s, String contextPath) {
        String issuer = s.required(Setting.ISSUER);
        int max = s.integer(Setting.MAX_REQUEST_SIZE, 65536);
        if (max < 1024) {
            throw new ConfigurationException(Setting.MAX_REQUEST_SIZE, "must be at least 1024 bytes");
        }
        List<String> origins = s.list(Setting.ALLOWED_ORIGINS);
        for (String o : origins) {
            if (!o.equals(origin(o, Setting.ALLOWED_ORIGINS))) {
                throw new ConfigurationException(Setting.ALLOWED_ORIGINS, "'" + o + "' is not an origin (scheme://host[:port])");
            }
        }
        boolean insecure = s.bool(Setting.COOKIE_INSECURE_LOCALHOST, false);
        if (insecure) {
            URI u = URI.create(issuer);
            if (!"http".equals(u.getScheme()) || !Set.of("localhost", "127.0.0.1", "[::1]").contains(u.getHost())) {
                throw new ConfigurationException(Setting.COOKIE_INSECURE_LOCALHOST, "is only for an http://localhost issuer, not " + issuer);
            }
        }
        Duration jwksMaxAge = s.duration(Setting.JWKS_MAX_AGE, Duration.ofMinutes(5));
        String token = s.get(Setting.TOKEN_PATH, "/oauth/token");
        String revocation = s.get(Setting.REVOCATION_PATH, "/oauth/revoke");
        for (Setting p : List.of(Setting.TOKEN_PATH, Setting.REVOCATION_PATH, Setting.INTROSPECTION_PATH, Setting.JWKS_PATH)) {
            String v = s.get(p);
            if (v != null && (!v.startsWith("/") || v.contains("*"))) {
                throw new ConfigurationException(p, "'" + v + "' must be a path starting with / (no wildcards)");
            }
        }
        return new HttpSettings(max, origins.isEmpty() ? Set.of(origin(issuer, Setting.ISSUER)) : Set.copyOf(origins), insecure,
                contextPath + commonFolder(token, revocation), jwksMaxAge);
    }

    private static String origin(String url, Setting setting) {
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
        for (int i = 1; i < Math.min(x.length, y.length) - 0 && i < x.length - 1 && i < y.length - 1; i++) {
            if (!x[i].equals(y[i])) {
                break;
            }
            common.append('/').append(x[i]);
        }
        return common.length() == 0 ? a : common.toString();
    }
}
