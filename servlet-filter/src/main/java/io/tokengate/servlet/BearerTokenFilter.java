package io.tokengate.servlet;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.BearerErrorCode;
import io.tokengate.core.validation.ValidationResult;

/**
 * Validates the bearer token of every request it is mapped to (RFC 6750) and lets the application's own code see
 * the caller: {@code getUserPrincipal()}, {@code getRemoteUser()}, {@code isUserInRole()} (groups claim, plus
 * {@code tokengate.scope-roles}) and {@code getAuthType()} ({@code BEARER}); the validated token is the request
 * attribute {@value #TOKEN_ATTRIBUTE}. Configured by init-params, falling back to context-params. No database or
 * network call happens here.
 */
public final class BearerTokenFilter implements Filter {
    /** Request attribute holding the {@link AccessTokenPrincipal} of a validated token. */
    public static final String TOKEN_ATTRIBUTE = "io.tokengate.AccessToken";
    /** {@link HttpServletRequest#getAuthType()} of a bearer-authenticated request. */
    public static final String AUTH_TYPE = "BEARER";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private static final System.Logger LOG = System.getLogger(BearerTokenFilter.class.getName());

    private AccessTokenValidator validator;
    private Config config;
    /** Set when start-up failed: every request is refused rather than let through unchecked. */
    private String failure;

    private record ScopeRule(String pattern, Set<String> scopes) {
    }

    /** The filter's settings, checked at start-up by {@link TokenGateListener} for every declared filter. */
    record Config(String realm, boolean queryToken, String cookieName, List<ScopeRule> scopeRules,
                  Map<String, Set<String>> rolesByScope, Set<String> allowedOrigins) {

        static Config read(Settings settings) {
            String realm = settings.get(Setting.REALM, "tokengate");
            for (char c : realm.toCharArray()) {
                if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                    throw new ConfigurationException(Setting.REALM, "may hold printable ASCII without quotes or backslashes only");
                }
            }
            return new Config(realm, settings.bool(Setting.ACCESS_TOKEN_QUERY_PARAMETER, false), settings.get(Setting.ACCESS_TOKEN_COOKIE),
                    parseScopeRules(settings.get(Setting.REQUIRED_SCOPES)), parseScopeRoles(settings.get(Setting.SCOPE_ROLES)),
                    HttpSettings.read(settings, "").allowedOrigins());
        }
    }

    @Override
    public void init(FilterConfig filterConfig) {
        try {
            this.config = Config.read(new Settings(ServletSettings.of(filterConfig)));
            this.validator = TokenGateListener.of(filterConfig.getServletContext()).validator();
        } catch (ConfigurationException | ServletException e) {
            // never throw: a container may then run the application without its filter, i.e. unprotected
            failure = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "TG-0304 the bearer filter {0} refuses every request: {1}", filterConfig.getFilterName(), failure);
        }
    }

    private static List<ScopeRule> parseScopeRules(String value) {
        List<ScopeRule> rules = new ArrayList<>();
        if (value == null) {
            return rules;
        }
        for (String entry : value.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 1) {
                throw new ConfigurationException(Setting.REQUIRED_SCOPES, "entry '" + entry.trim() + "' is not /pattern=scope scope");
            }
            String pattern = entry.substring(0, eq).trim();
            if (!(pattern.startsWith("/") || pattern.startsWith("*."))) {
                throw new ConfigurationException(Setting.REQUIRED_SCOPES, "'" + pattern + "' is not a servlet URL pattern");
            }
            Set<String> scopes = new LinkedHashSet<>(List.of(entry.substring(eq + 1).trim().split("\\s+")));
            scopes.remove("");
            if (scopes.isEmpty()) {
                throw new ConfigurationException(Setting.REQUIRED_SCOPES, "entry '" + entry.trim() + "' names no scope");
            }
            rules.add(new ScopeRule(pattern, scopes));
        }
        return rules;
    }

    private static Map<String, Set<String>> parseScopeRoles(String value) {
        Map<String, Set<String>> map = new HashMap<>();
        if (value == null) {
            return map;
        }
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 1 || entry.substring(eq + 1).isBlank()) {
                throw new ConfigurationException(Setting.SCOPE_ROLES, "entry '" + entry.trim() + "' is not scope=role");
            }
            map.computeIfAbsent(entry.substring(0, eq).trim(), k -> new LinkedHashSet<>()).add(entry.substring(eq + 1).trim());
        }
        return map;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (failure != null) {
            JsonResponses.error(response, 503, "temporarily_unavailable", "The access check is not configured");
            return;
        }
        String realm = config.realm();
        List<String> credentials = new ArrayList<>(1);
        boolean malformedHeader = false;
        List<String> headers = Collections.list(request.getHeaders("Authorization"));
        for (String header : headers) {
            if (header.length() >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = header.substring(7).trim();
                if (token.isEmpty() || !isB64Token(token)) {
                    malformedHeader = true;
                } else {
                    credentials.add(token);
                }
            } else if (header.equalsIgnoreCase("Bearer")) {
                malformedHeader = true;
            }
        }
        if (config.queryToken()) {
            credentials.addAll(queryValues(request.getQueryString(), "access_token"));
        }
        boolean fromCookie = false;
        if (config.cookieName() != null && request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (config.cookieName().equals(c.getName()) && !c.getValue().isEmpty()) {
                    credentials.add(c.getValue());
                    fromCookie = true;
                }
            }
        }
        if (credentials.size() > 1 || headers.size() > 1) {
            challenge(response, realm, BearerErrorCode.INVALID_REQUEST, "The request carries more than one credential", null);
            return;
        }
        if (malformedHeader) {
            challenge(response, realm, BearerErrorCode.INVALID_REQUEST, "The Authorization header is malformed", null);
            return;
        }
        if (credentials.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
            JsonResponses.error(response, 401, null, null);
            return;
        }
        if (fromCookie && !SAFE_METHODS.contains(request.getMethod()) && !config.allowedOrigins().contains(request.getHeader("Origin"))) {
            // a cookie rides along with cross-site requests: state-changing ones must come from an allowed origin
            challenge(response, realm, BearerErrorCode.INVALID_REQUEST, "A cookie-authenticated request must come from an allowed Origin", null);
            return;
        }
        ValidationResult result = validator.validate(credentials.get(0));
        if (!(result instanceof ValidationResult.Valid valid)) {
            ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
            challenge(response, realm, invalid.errorCode(), invalid.description(), null);
            return;
        }
        AccessTokenPrincipal token = valid.token();
        Set<String> required = requiredScopes(pathOf(request));
        if (!token.scopes().containsAll(required)) {
            challenge(response, realm, BearerErrorCode.INSUFFICIENT_SCOPE, "The access token lacks a required scope", String.join(" ", required));
            return;
        }
        request.setAttribute(TOKEN_ATTRIBUTE, token);
        chain.doFilter(new BearerRequest(request, token, config.rolesByScope()), response);
    }

    /** RFC 6750 §2.1 b64token. */
    private static boolean isB64Token(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'
                    || c == '+' || c == '/') {
                i++;
            } else {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        while (i < n && s.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    private static List<String> queryValues(String query, String name) {
        List<String> out = new ArrayList<>();
        if (query == null) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals(key) && eq >= 0) {
                try {
                    out.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    out.add("");
                }
            }
        }
        return out;
    }

    /**
     * The path the container mapped, decoded and normalised (no {@code ;params}, no {@code ..}, no %-escapes), so
     * scope rules match what the servlet mapping matched and cannot be dodged by spelling the URL differently.
     */
    private static String pathOf(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    private Set<String> requiredScopes(String path) {
        if (config.scopeRules().isEmpty()) {
            return Set.of();
        }
        Set<String> required = new LinkedHashSet<>();
        for (ScopeRule rule : config.scopeRules()) {
            if (matches(rule.pattern(), path)) {
                required.addAll(rule.scopes());
            }
        }
        return required;
    }

    /** Servlet URL-pattern matching: exact, {@code /prefix/*}, {@code *.ext}, and {@code /} for everything. */
    static boolean matches(String pattern, String path) {
        if (pattern.equals("/") || pattern.equals("/*")) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
        if (pattern.startsWith("*.")) {
            return path.endsWith(pattern.substring(1));
        }
        return path.equals(pattern) || path.equals(pattern + "/"); // a trailing slash reaches the same resource
    }

    private static void challenge(HttpServletResponse response, String realm, BearerErrorCode code, String description, String scope)
            throws IOException {
        StringBuilder h = new StringBuilder("Bearer realm=\"").append(realm).append("\", error=\"").append(code.code())
                .append("\", error_description=\"").append(description).append('"');
        if (scope != null) {
            h.append(", scope=\"").append(scope).append('"');
        }
        response.setHeader("WWW-Authenticate", h.toString());
        JsonResponses.error(response, code.httpStatus(), code.code(), description);
    }

    /** The request as the application sees it after a valid bearer token. */
    static final class BearerRequest extends HttpServletRequestWrapper {
        private final AccessTokenPrincipal token;
        private final Map<String, Set<String>> rolesByScope;

        BearerRequest(HttpServletRequest request, AccessTokenPrincipal token, Map<String, Set<String>> rolesByScope) {
            super(request);
            this.token = token;
            this.rolesByScope = rolesByScope;
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
            if (role == null) {
                return false;
            }
            if (role.equals("**") || token.groups().contains(role)) {
                return true;
            }
            for (String scope : token.scopes()) {
                Set<String> roles = rolesByScope.get(scope);
                if (roles != null && roles.contains(role)) {
                    return true;
                }
            }
            return false;
        }
    }
}
