package io.tokengate.core.endpoint;

import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientSecrets;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenRecord;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.core.refresh.TokenPair;
import io.tokengate.core.refresh.TokenState;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.ValidationResult;

/**
 * The OAuth endpoints without a web framework: the token endpoint (RFC 6749 §3.2, §4.3, §4.4, §6), revocation
 * (RFC 7009) and introspection (RFC 7662). Form in, JSON out; the servlet filter and the EE extension only
 * translate HTTP to {@link EndpointRequest} and {@link EndpointResponse} back. Every refusal is an RFC 6749
 * §5.2 JSON error with its status; every response carries {@code Cache-Control: no-store}. Thread-safe.
 */
public final class TokenEndpoint {
    private static final System.Logger LOG = System.getLogger(TokenEndpoint.class.getName());
    /** The grant name events use for the container-login hand-off. */
    public static final String CONTAINER_LOGIN = "container_login";

    private final ClientRegistry clients;
    private final RefreshTokenService refreshTokens;
    private final AccessTokenValidator validator;
    private final CredentialVerifier credentials;
    private final String realm;
    private final Clock clock;

    private TokenEndpoint(Builder b) {
        this.clients = Objects.requireNonNull(b.clients, "clients");
        this.refreshTokens = Objects.requireNonNull(b.refreshTokens, "refreshTokens");
        this.validator = Objects.requireNonNull(b.validator, "validator");
        this.credentials = b.credentials;
        this.realm = b.realm;
        this.clock = Objects.requireNonNull(b.clock, "clock");
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ token endpoint

    /** {@code POST /token}: the refresh_token, client_credentials and password grants. */
    public EndpointResponse token(EndpointRequest request) {
        return handle(request, true, () -> {
            Map<String, String> p = params(request);
            String grantName = p.get("grant_type");
            if (grantName == null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "grant_type is required");
            }
            Optional<GrantType> grant = GrantType.fromValue(grantName);
            if (grant.isEmpty()) {
                throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "The grant type is not supported");
            }
            ClientRegistration client = authenticate(request, p, true);
            requireCsrfDefence(client, request);
            checkLifetime(client);
            if (!client.allows(grant.get())) {
                throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "The client may not use this grant type");
            }
            switch (grant.get()) {
                case REFRESH_TOKEN:
                    return refresh(request, p, client);
                case CLIENT_CREDENTIALS:
                    return clientCredentials(p, client, request.remoteAddress());
                default:
                    return password(request, p, client);
            }
        });
    }

    private EndpointResponse refresh(EndpointRequest request, Map<String, String> p, ClientRegistration client) {
        String token = p.get("refresh_token");
        if (token == null && client.cookieMode()) {
            token = request.refreshTokenCookie();
        }
        if (token == null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "refresh_token is required");
        }
        Set<String> scopes = scopes(p.get("scope"));
        return tokenResponse(client, refreshTokens.refresh(client, token, scopes, request.remoteAddress()));
    }

    private EndpointResponse clientCredentials(Map<String, String> p, ClientRegistration client, String remoteAddress) {
        Set<String> scopes = granted(client, scopes(p.get("scope")));
        // the client is the subject; never a refresh token (RFC 6749 §4.4.3)
        return tokenResponse(client, refreshTokens.issueAccessTokenOnly(new RefreshTokenService.Grant(client,
                GrantType.CLIENT_CREDENTIALS.value(), client.clientId(), Set.of(), scopes, null, null, remoteAddress)));
    }

    private EndpointResponse password(EndpointRequest request, Map<String, String> p, ClientRegistration client) {
        if (credentials == null) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "The password grant is not configured");
        }
        String username = p.get("username");
        String password = p.get("password");
        if (username == null || password == null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "username and password are required");
        }
        Set<String> scopes = granted(client, scopes(p.get("scope")));
        CredentialVerifier.AuthenticatedUser user;
        try {
            user = credentials.verify(username, password).orElseThrow(() ->
                    new OAuthException(OAuthError.INVALID_GRANT, "The username or password is incorrect"));
        } catch (OAuthException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "TG-1101 the identity store failed during a password grant: {0}", e.toString());
            throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, "The identity store is unavailable; try again later");
        }
        TokenPair pair = refreshTokens.issue(new RefreshTokenService.Grant(client, GrantType.PASSWORD.value(), user.subject(),
                user.groups(), scopes, clock.instant(), request.header("User-Agent"), request.remoteAddress()));
        return tokenResponse(client, pair);
    }

    /**
     * The container-login hand-off: issues the first token pair to a user the host server has already
     * authenticated (FORM, BASIC, OIDC, ...). The caller is responsible for that authentication.
     *
     * @param clientId the registered client the tokens are for
     * @param scope    the requested scope (space-separated), or null for all the client's scopes
     */
    public EndpointResponse issueForAuthenticatedUser(String clientId, String subject, Set<String> groups, String scope,
                                                      Instant authTime, String userAgent, String remoteAddress) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("the authenticated user needs a subject");
        }
        EndpointRequest none = EndpointRequest.builder("POST").build();
        return handle(none, false, () -> {
            ClientRegistration client = clients.find(clientId)
                    .orElseThrow(() -> new OAuthException(OAuthError.INVALID_CLIENT, "Unknown client"));
            checkLifetime(client);
            Set<String> scopes = granted(client, scopes(scope));
            TokenPair pair = refreshTokens.issue(new RefreshTokenService.Grant(client, CONTAINER_LOGIN, subject, groups, scopes,
                    authTime, userAgent, remoteAddress));
            return tokenResponse(client, pair);
        });
    }

    /**
     * Every answer to a cookie-mode client sets or clears its refresh cookie, so every request of such a client must
     * have passed the CSRF defence — whatever the grant, and before anything is issued or consumed: otherwise a
     * cross-site form could plant an attacker's session in the victim's browser (login CSRF).
     */
    private static void requireCsrfDefence(ClientRegistration client, EndpointRequest request) {
        if (client.cookieMode() && !request.csrfDefencePassed()) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, COOKIE_MODE_NEEDS_CSRF_DEFENCE);
        }
    }

    static final String COOKIE_MODE_NEEDS_CSRF_DEFENCE = "A browser client's request needs an allowed Origin and the X-TokenGate-Refresh: 1 header";

    /** A client whose tokens the validator would refuse is a configuration error, reported rather than served. */
    private void checkLifetime(ClientRegistration client) {
        if (client.accessTokenLifetime().map(l -> l.compareTo(validator.maxTokenLifetime()) > 0).orElse(false)) {
            LOG.log(Level.ERROR, "TG-1104 client {0} has access-token-lifetime {1}, longer than the validator accepts ({2})",
                    client.clientId(), client.accessTokenLifetime().orElseThrow(), validator.maxTokenLifetime());
            throw new OAuthException(OAuthError.SERVER_ERROR, "The client is misconfigured");
        }
    }

    private EndpointResponse tokenResponse(ClientRegistration client, TokenPair pair) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", pair.accessToken().value());
        body.put("token_type", "Bearer");
        body.put("expires_in", pair.accessToken().expiresInSeconds());
        String cookie = null;
        Duration cookieMaxAge = null;
        if (pair.refreshToken() != null) {
            long refreshExpiresIn = pair.refreshTokenExpiresInSeconds();
            if (client.cookieMode()) {
                cookie = pair.refreshToken();
                cookieMaxAge = Duration.ofSeconds(refreshExpiresIn);
            } else {
                body.put("refresh_token", pair.refreshToken());
            }
            body.put("refresh_token_expires_in", refreshExpiresIn);
        }
        if (!pair.scopes().isEmpty()) {
            body.put("scope", String.join(" ", pair.scopes()));
        }
        return new EndpointResponse(200, jsonHeaders(), JsonUtil.toJson(body), cookie, cookieMaxAge);
    }

    // ------------------------------------------------------------------ revocation and introspection

    /**
     * {@code POST /revoke} (RFC 7009): 200 for unknown tokens. A client may revoke only its own tokens; another
     * client's token is answered like an unknown one (RFC 7009 §2.2: an invalid token causes no error) and left
     * alone, so the answer never tells a caller that a string is a live token of someone else. A cookie-mode
     * client that sends no {@code token} revokes the refresh token of its cookie (sign-out): only after the CSRF
     * defence, and the answer then clears the cookie, its family revoked.
     */
    public EndpointResponse revoke(EndpointRequest request) {
        return handle(request, true, () -> {
            Map<String, String> p = params(request);
            ClientRegistration client = authenticate(request, p, true);
            boolean byCookie = p.get("token") == null && client.cookieMode() && request.refreshTokenCookie() != null;
            if (byCookie) {
                requireCsrfDefence(client, request);
            }
            String token = byCookie ? request.refreshTokenCookie() : p.get("token");
            if (token == null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "token is required");
            }
            boolean accessFirst = "access_token".equals(p.get("token_type_hint"));
            Revoked done = accessFirst ? revokeAccess(client, token).or(() -> revokeRefresh(client, token))
                    : revokeRefresh(client, token).or(() -> revokeAccess(client, token));
            LOG.log(Level.DEBUG, "revocation by {0}: {1}", client.clientId(), done);
            boolean clearCookie = byCookie && done != Revoked.OTHER_CLIENT; // the cookie's family is revoked (or was never live)
            return new EndpointResponse(200, Map.of("Cache-Control", "no-store", "Pragma", "no-cache"), "",
                    clearCookie ? "" : null, clearCookie ? Duration.ZERO : null);
        });
    }

    /** What a revocation found. */
    private enum Revoked {
        REVOKED, UNKNOWN, OTHER_CLIENT;

        Revoked or(java.util.function.Supplier<Revoked> next) {
            return this == UNKNOWN ? next.get() : this;
        }
    }

    private Revoked revokeRefresh(ClientRegistration client, String token) {
        Optional<RefreshTokenFamily> family = refreshTokens.familyOf(token);
        if (family.isEmpty()) {
            return Revoked.UNKNOWN;
        }
        if (!family.get().clientId().equals(client.clientId())) {
            return Revoked.OTHER_CLIENT;
        }
        refreshTokens.revokeFamily(family.get().familyId(), client.clientId());
        return Revoked.REVOKED;
    }

    private Revoked revokeAccess(ClientRegistration client, String token) {
        ValidationResult result = validator.validate(token);
        if (!(result instanceof ValidationResult.Valid valid)) {
            return Revoked.UNKNOWN;
        }
        AccessTokenPrincipal at = valid.token();
        if (!at.clientId().equals(client.clientId())) {
            return Revoked.OTHER_CLIENT;
        }
        refreshTokens.revokeAccessToken(at.jti(), at.expiresAt(), client.clientId());
        return Revoked.REVOKED;
    }

    /** {@code POST /introspect} (RFC 7662): confidential clients only; a client sees only its own tokens. */
    public EndpointResponse introspect(EndpointRequest request) {
        return handle(request, true, () -> {
            Map<String, String> p = params(request);
            ClientRegistration client = authenticate(request, p, false);
            String token = p.get("token");
            if (token == null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "token is required");
            }
            Map<String, Object> body = introspectRefresh(client, token);
            if (body == null) {
                body = introspectAccess(client, token);
            }
            return new EndpointResponse(200, jsonHeaders(), JsonUtil.toJson(body), null, null);
        });
    }

    private Map<String, Object> introspectRefresh(ClientRegistration client, String token) {
        Optional<RefreshTokenRecord> record = refreshTokens.find(token);
        if (record.isEmpty()) {
            return null;
        }
        Optional<RefreshTokenFamily> family = refreshTokens.family(record.get().familyId());
        Map<String, Object> body = new LinkedHashMap<>();
        if (family.isEmpty() || !family.get().clientId().equals(client.clientId()) || record.get().state() != TokenState.ACTIVE
                || !family.get().usableAt(clock.instant())) {
            body.put("active", false);
            return body;
        }
        RefreshTokenFamily f = family.get();
        body.put("active", true); // no token_type: RFC 7662 §2.2 means the access token types of RFC 6749 §7.1
        body.put("client_id", f.clientId());
        body.put("sub", f.subject());
        if (!f.scopes().isEmpty()) {
            body.put("scope", String.join(" ", f.scopes()));
        }
        body.put("iat", record.get().issuedAt().getEpochSecond());
        body.put("exp", f.expiresAt().getEpochSecond());
        body.put("sid", f.familyId());
        return body;
    }

    private Map<String, Object> introspectAccess(ClientRegistration client, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        ValidationResult result = validator.validate(token);
        if (!(result instanceof ValidationResult.Valid valid) || !valid.token().clientId().equals(client.clientId())) {
            body.put("active", false);
            return body;
        }
        AccessTokenPrincipal at = valid.token();
        body.put("active", true);
        body.put("token_type", "Bearer");
        body.put("client_id", at.clientId());
        body.put("sub", at.subject());
        if (!at.scopes().isEmpty()) {
            body.put("scope", String.join(" ", at.scopes()));
        }
        body.put("iss", at.claims().get("iss"));
        body.put("aud", at.claims().get("aud"));
        body.put("iat", at.issuedAt().getEpochSecond());
        body.put("exp", at.expiresAt().getEpochSecond());
        body.put("jti", at.jti());
        at.familyId().ifPresent(sid -> body.put("sid", sid));
        return body;
    }

    // ------------------------------------------------------------------ request handling

    private interface Action {
        EndpointResponse run();
    }

    private EndpointResponse handle(EndpointRequest request, boolean checkHttp, Action action) {
        try {
            if (checkHttp) {
                checkHttp(request);
            }
            return action.run();
        } catch (OAuthException e) {
            return error(e.error(), e.description());
        } catch (MethodNotAllowed e) {
            EndpointResponse r = error(OAuthError.INVALID_REQUEST, "The endpoint accepts POST only");
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            headers.put("Allow", "POST");
            return new EndpointResponse(405, headers, r.body(), null, null);
        } catch (StoreUnavailableException e) {
            LOG.log(Level.ERROR, "TG-1102 the refresh-token store is unavailable: {0}", String.valueOf(e.getCause()));
            return error(OAuthError.TEMPORARILY_UNAVAILABLE, "The token service is temporarily unavailable; try again later");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "TG-1103 unexpected failure at the token endpoint", e);
            return error(OAuthError.SERVER_ERROR, "The request could not be completed");
        }
    }

    private static void checkHttp(EndpointRequest request) {
        if (!"POST".equals(request.method())) {
            throw new MethodNotAllowed();
        }
        String type = request.header("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!"application/x-www-form-urlencoded".equals(mediaType)) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "The request must be application/x-www-form-urlencoded");
        }
    }

    /** Signals a non-POST request: 405 with an invalid_request body. */
    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodNotAllowed() {
            super(null, null, false, false);
        }
    }

    /** The form as single values: a repeated parameter is invalid_request (RFC 6749 §3.2), an empty value is absent (§3.1). */
    private static Map<String, String> params(EndpointRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : request.form().entrySet()) {
            if (e.getValue().size() > 1) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "The parameter " + safeName(e.getKey()) + " is repeated");
            }
            if (!e.getValue().isEmpty() && !e.getValue().get(0).isEmpty()) {
                out.put(e.getKey(), e.getValue().get(0));
            }
        }
        return out;
    }

    private static String safeName(String name) {
        return name.matches("[A-Za-z0-9_\\-]{1,40}") ? name : "(unnamed)";
    }

    /** RFC 6749 §2.3.1: HTTP Basic or client_secret in the body (never both); public clients send only client_id. */
    private ClientRegistration authenticate(EndpointRequest request, Map<String, String> p, boolean allowPublic) {
        List<String> authorization = request.headerValues("Authorization");
        if (authorization.size() > 1) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "Only one Authorization header is allowed");
        }
        String id = p.get("client_id");
        String secret = p.get("client_secret");
        if (!authorization.isEmpty()) {
            String header = authorization.get(0).trim();
            if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication must use HTTP Basic or the request body");
            }
            if (secret != null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "Use one client authentication method, not two");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "The Basic credentials are malformed");
            }
            int colon = decoded.indexOf(':');
            if (colon < 1) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "The Basic credentials are malformed");
            }
            String basicId = formDecode(decoded.substring(0, colon));
            if (id != null && !id.equals(basicId)) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "client_id does not match the authenticated client");
            }
            id = basicId;
            secret = formDecode(decoded.substring(colon + 1));
        }
        if (id == null) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication is required");
        }
        ClientRegistration client = clients.find(id).orElse(null);
        if (client == null) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed");
        }
        if (client.isConfidential()) {
            if (secret == null || !ClientSecrets.matches(secret, client.secretSha256())) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed");
            }
        } else {
            if (secret != null && !secret.isEmpty()) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "A public client has no secret");
            }
            if (!allowPublic) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "This endpoint needs a confidential client");
            }
        }
        return client;
    }

    private static String formDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "The Basic credentials are malformed");
        }
    }

    /** The {@code scope} parameter as a set (RFC 6749 §3.3), or null when absent. */
    private static Set<String> scopes(String scope) {
        if (scope == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : scope.split(" ")) {
            if (s.isEmpty()) {
                continue;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                    throw new OAuthException(OAuthError.INVALID_SCOPE, "The scope contains a character RFC 6749 §3.3 does not allow");
                }
            }
            out.add(s);
        }
        return out.isEmpty() ? null : out;
    }

    /** The scopes a new grant gets: the request's, which must be allowed to the client, or all the client's. */
    private static Set<String> granted(ClientRegistration client, Set<String> requested) {
        if (requested == null) {
            return client.scopes();
        }
        if (!client.scopes().containsAll(requested)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is not allowed for this client");
        }
        return requested;
    }

    private EndpointResponse error(OAuthError error, String description) {
        Map<String, String> headers = jsonHeaders();
        if (error == OAuthError.INVALID_CLIENT) {
            headers.put("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        } else if (error == OAuthError.TEMPORARILY_UNAVAILABLE) {
            headers.put("Retry-After", Integer.toString(OAuthError.RETRY_AFTER_SECONDS));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_description", description);
        return new EndpointResponse(error.httpStatus(), headers, JsonUtil.toJson(body), null, null);
    }

    private static Map<String, String> jsonHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json;charset=UTF-8");
        h.put("Cache-Control", "no-store");
        h.put("Pragma", "no-cache");
        return h;
    }

    public static final class Builder {
        private ClientRegistry clients;
        private RefreshTokenService refreshTokens;
        private AccessTokenValidator validator;
        private CredentialVerifier credentials;
        private String realm = "tokengate";
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder clients(ClientRegistry value) {
            this.clients = value;
            return this;
        }

        public Builder refreshTokens(RefreshTokenService value) {
            this.refreshTokens = value;
            return this;
        }

        public Builder validator(AccessTokenValidator value) {
            this.validator = value;
            return this;
        }

        /** Enables the password grant (for the clients allowed it). */
        public Builder credentialVerifier(CredentialVerifier value) {
            this.credentials = value;
            return this;
        }

        /** The realm of {@code WWW-Authenticate: Basic} on invalid_client (default {@code tokengate}). */
        public Builder realm(String value) {
            if (value == null || value.contains("\"") || value.contains("\\")) {
                throw new IllegalArgumentException("realm must not contain quotes or backslashes");
            }
            this.realm = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public TokenEndpoint build() {
            return new TokenEndpoint(this);
        }
    }
}
