package io.tokengate.servlet;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.BearerErrorCode;
import io.tokengate.core.validation.ValidationResult;

/**
 * The bearer check of one request (RFC 6750), shared by {@link BearerTokenFilter} and the EE extension's
 * authentication mechanism: finds the one credential (header; query parameter and cookie where enabled), refuses
 * malformed or duplicated ones, validates the token in memory, applies the required scopes of the request's path,
 * and works out the caller's roles (groups claim plus {@code tokengate.scope-roles}). No database or network call.
 */
public final class BearerAuthenticator {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AccessTokenValidator validator;
    private final Config config;
    /** Names of the servlets of TokenGate's OAuth endpoints in this application. */
    private final Set<String> oauthEndpoints;

    /** What the request's credential amounts to. */
    public sealed interface Outcome permits NoCredential, Refused, Accepted {
    }

    /** The request carries no bearer credential at all. */
    public record NoCredential() implements Outcome {
    }

    /** The credential is refused: answer with {@link #challenge}. */
    public record Refused(BearerErrorCode code, String description, String scope) implements Outcome {
    }

    /** A valid token, and the roles its caller is in. */
    public record Accepted(AccessTokenPrincipal token, Set<String> roles) implements Outcome {
    }

    private static final NoCredential NONE = new NoCredential();

    private record ScopeRule(String pattern, Set<String> scopes) {
    }

    /** The settings of the check, read and verified once at start-up. */
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

    private BearerAuthenticator(AccessTokenValidator validator, Config config, Set<String> oauthEndpoints) {
        this.validator = validator;
        this.config = config;
        this.oauthEndpoints = Set.copyOf(oauthEndpoints);
    }

    /**
     * @param oauthEndpoints the servlet names of the application's OAuth endpoints
     *                       ({@link TokenGateInitializer#oauthEndpoints}), which the check leaves alone
     * @throws ConfigurationException naming the setting at fault
     */
    public static BearerAuthenticator create(Settings settings, AccessTokenValidator validator, Set<String> oauthEndpoints) {
        return new BearerAuthenticator(validator, Config.read(settings), oauthEndpoints);
    }

    /**
     * Whether the request goes to one of TokenGate's OAuth endpoints. The token, revocation and introspection
     * endpoints authenticate their clients themselves (RFC 6749 §2.3, with §5.2's {@code invalid_client} and its
     * challenge) — an {@code Authorization} header there carries client credentials, not a bearer token — and the
     * JWKS and the metadata are public; so the filter and the mechanism let such a request through untouched.
     */
    public boolean isOAuthEndpoint(HttpServletRequest request) {
        jakarta.servlet.http.HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping != null && oauthEndpoints.contains(mapping.getServletName());
    }

    /** Checks the bearer settings at start-up without building anything. */
    public static void check(Settings settings) {
        Config.read(settings);
    }

    /** Whether a scope rule covers the request's path: such a resource needs a token even without a container constraint. */
    public boolean hasScopeRule(HttpServletRequest request) {
        return !requiredScopes(pathOf(request)).isEmpty();
    }

    public String realm() {
        return config.realm();
    }

    /** Checks the request; never throws for anything the client sent. No database or network call. */
    public Outcome authenticate(HttpServletRequest request) {
        String credential = null; // the one credential, when there is exactly one
        int credentials = 0;
        int headers = 0;
        boolean malformedHeader = false;
        Enumeration<String> values = request.getHeaders("Authorization");
        while (values != null && values.hasMoreElements()) {
            String header = values.nextElement();
            headers++;
            if (header.length() >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = header.substring(7).trim();
                if (token.isEmpty() || !isB64Token(token)) {
                    malformedHeader = true;
                } else {
                    credential = token;
                    credentials++;
                }
            } else if (header.equalsIgnoreCase("Bearer")) {
                malformedHeader = true;
            }
        }
        if (config.queryToken()) {
            for (String value : queryValues(request.getQueryString(), "access_token")) {
                credential = value;
                credentials++;
            }
        }
        boolean fromCookie = false;
        if (config.cookieName() != null && request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (config.cookieName().equals(c.getName()) && !c.getValue().isEmpty()) {
                    credential = c.getValue();
                    credentials++;
                    fromCookie = true;
                }
            }
        }
        if (credentials > 1 || headers > 1) {
            return new Refused(BearerErrorCode.INVALID_REQUEST, "The request carries more than one credential", null);
        }
        if (malformedHeader) {
            return new Refused(BearerErrorCode.INVALID_REQUEST, "The Authorization header is malformed", null);
        }
        if (credentials == 0) {
            return NONE; // another scheme (e.g. Basic) is no bearer credential
        }
        if (fromCookie && !SAFE_METHODS.contains(request.getMethod()) && !config.allowedOrigins().contains(request.getHeader("Origin"))) {
            // a cookie rides along with cross-site requests: state-changing ones must come from an allowed origin
            return new Refused(BearerErrorCode.INVALID_REQUEST, "A cookie-authenticated request must come from an allowed Origin", null);
        }
        ValidationResult result = validator.validate(credential);
        if (!(result instanceof ValidationResult.Valid valid)) {
            ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
            return new Refused(invalid.errorCode(), invalid.description(), null);
        }
        AccessTokenPrincipal token = valid.token();
        Set<String> required = requiredScopes(pathOf(request));
        if (!token.scopes().containsAll(required)) {
            return new Refused(BearerErrorCode.INSUFFICIENT_SCOPE, "The access token lacks a required scope", String.join(" ", required));
        }
        return new Accepted(token, roles(token));
    }

    private Set<String> roles(AccessTokenPrincipal token) {
        if (config.rolesByScope().isEmpty()) {
            return token.groups();
        }
        Set<String> roles = new LinkedHashSet<>(token.groups());
        for (String scope : token.scopes()) {
            Set<String> more = config.rolesByScope().get(scope);
            if (more != null) {
                roles.addAll(more);
            }
        }
        return Collections.unmodifiableSet(roles);
    }

    /** 401 with {@code WWW-Authenticate: Bearer realm="..."}: the resource needs a token and none came. */
    public void challengeMissing(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"" + config.realm() + "\"");
        JsonResponses.error(response, 401, null, null);
    }

    /** The RFC 6750 §3 answer to a refused credential: status, {@code WWW-Authenticate} and a JSON body. */
    public void challenge(HttpServletResponse response, Refused refused) throws IOException {
        StringBuilder h = new StringBuilder("Bearer realm=\"").append(config.realm()).append("\", error=\"").append(refused.code().code())
                .append("\", error_description=\"").append(refused.description()).append('"');
        if (refused.scope() != null) {
            h.append(", scope=\"").append(refused.scope()).append('"');
        }
        response.setHeader("WWW-Authenticate", h.toString());
        JsonResponses.error(response, refused.code().httpStatus(), refused.code().code(), refused.description());
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

    /** The characters of an RFC 6750 §2.1 b64token before its trailing {@code =}s. */
    private static final boolean[] B64TOKEN = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".toCharArray()) {
            B64TOKEN[c] = true;
        }
    }

    /** RFC 6750 §2.1 b64token. */
    static boolean isB64Token(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 128 || !B64TOKEN[c]) {
                break;
            }
            i++;
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
}
