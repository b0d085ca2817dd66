package io.tokengate.core.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One registered client. Immutable; build with {@link #builder(String)}. The setting names in the
 * registry files are those of the builder methods: {@code type}, {@code secret-sha256}, {@code grants},
 * {@code scopes}, {@code access-token-lifetime}, {@code refresh-idle-timeout}, {@code refresh-absolute-lifetime},
 * {@code retry-window}, {@code cookie-mode}, {@code revocation-feed}, {@code redirect-uris}, {@code first-party},
 * {@code dpop-bound-access-tokens}.
 */
public final class ClientRegistration {
    public static final Duration DEFAULT_REFRESH_IDLE_TIMEOUT = Duration.ofDays(14);
    public static final Duration DEFAULT_REFRESH_ABSOLUTE_LIFETIME = Duration.ofDays(30);
    public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofSeconds(10);

    private final String clientId;
    private final ClientType type;
    private final String secretSha256;
    private final Set<GrantType> grants;
    private final Set<String> scopes;
    private final Duration accessTokenLifetime;
    private final Duration refreshIdleTimeout;
    private final Duration refreshAbsoluteLifetime;
    private final Duration retryWindow;
    private final boolean cookieMode;
    private final boolean revocationFeed;
    private final List<String> redirectUris;
    private final boolean firstParty;
    private final boolean dpopBoundAccessTokens;

    private ClientRegistration(Builder b) {
        if (b.clientId == null || b.clientId.isBlank()) {
            throw new IllegalArgumentException("client_id is required");
        }
        this.clientId = b.clientId;
        this.type = b.type;
        this.secretSha256 = b.secretSha256;
        this.grants = Set.copyOf(b.grants);
        this.scopes = Set.copyOf(b.scopes);
        this.accessTokenLifetime = b.accessTokenLifetime == null ? null : positive(b.accessTokenLifetime, "access-token-lifetime");
        this.refreshIdleTimeout = positive(b.refreshIdleTimeout, "refresh-idle-timeout");
        this.refreshAbsoluteLifetime = positive(b.refreshAbsoluteLifetime, "refresh-absolute-lifetime");
        if (b.retryWindow == null || b.retryWindow.isNegative()) {
            throw new IllegalArgumentException("client " + clientId + ": retry-window must be zero or positive");
        }
        this.retryWindow = b.retryWindow;
        this.cookieMode = b.cookieMode;
        this.revocationFeed = b.revocationFeed;
        this.redirectUris = List.copyOf(b.redirectUris);
        this.firstParty = b.firstParty;
        this.dpopBoundAccessTokens = b.dpopBoundAccessTokens;
        for (String uri : redirectUris) {
            checkRedirectUri(uri);
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
            throw new IllegalArgumentException("client " + clientId + ": authorization_code needs redirect-uris");
        }
        if (revocationFeed && type != ClientType.CONFIDENTIAL) {
            throw new IllegalArgumentException("client " + clientId + ": revocation-feed needs a confidential client");
        }
        if (type == ClientType.CONFIDENTIAL && (secretSha256 == null || secretSha256.isBlank())) {
            throw new IllegalArgumentException("client " + clientId + ": a confidential client needs secret-sha256");
        }
        if (secretSha256 != null && !isSha256Digest(secretSha256)) {
            throw new IllegalArgumentException("client " + clientId
                    + ": secret-sha256 must be the base64url SHA-256 of the secret (43 characters), not the secret");
        }
        if (type == ClientType.PUBLIC && secretSha256 != null) {
            throw new IllegalArgumentException("client " + clientId + ": a public client has no secret");
        }
        if (type == ClientType.PUBLIC && grants.contains(GrantType.CLIENT_CREDENTIALS)) {
            throw new IllegalArgumentException("client " + clientId + ": client_credentials needs a confidential client");
        }
    }

    /**
     * RFC 6749 §3.1.2 and RFC 8252 §7: absolute, no fragment; {@code http} only to the loopback interface (a native app's
     * redirect); otherwise {@code https} or an app's private-use scheme (with a dot, §7.1).
     */
    private void checkRedirectUri(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("client " + clientId + ": redirect URI " + uri + " is not a URI");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || u.getRawFragment() != null) {
            throw new IllegalArgumentException("client " + clientId + ": redirect URI " + uri + " must be absolute, without a fragment");
        }
        boolean loopback = "127.0.0.1".equals(u.getHost()) || "[::1]".equals(u.getHost()) || "localhost".equals(u.getHost());
        if (scheme.equals("http") ? !loopback : !scheme.equals("https") && !scheme.contains(".")) {
            throw new IllegalArgumentException("client " + clientId + ": redirect URI " + uri
                    + " must be https, http to the loopback interface, or a private-use scheme such as com.example.app:/callback");
        }
    }

    private static boolean isSha256Digest(String value) {
        try {
            return Base64.getUrlDecoder().decode(value).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("client " + clientId + ": " + name + " must be positive");
        }
        return d;
    }

    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    public String clientId() {
        return clientId;
    }

    public ClientType type() {
        return type;
    }

    public boolean isConfidential() {
        return type == ClientType.CONFIDENTIAL;
    }

    /** base64url SHA-256 of the secret; null for public clients. */
    public String secretSha256() {
        return secretSha256;
    }

    public Set<GrantType> grants() {
        return grants;
    }

    public boolean allows(GrantType grant) {
        return grants.contains(grant);
    }

    /** Scopes this client may be granted; a grant without {@code scope} gets all of them. */
    public Set<String> scopes() {
        return scopes;
    }

    /** This client's own access-token lifetime; empty: the server's {@code tokengate.access-token-lifetime}. */
    public Optional<Duration> accessTokenLifetime() {
        return Optional.ofNullable(accessTokenLifetime);
    }

    public Duration refreshIdleTimeout() {
        return refreshIdleTimeout;
    }

    public Duration refreshAbsoluteLifetime() {
        return refreshAbsoluteLifetime;
    }

    /** How long a rotated token, retried, gets the same successor back; zero disables. */
    public Duration retryWindow() {
        return retryWindow;
    }

    /** Browser client whose refresh token travels in an httpOnly cookie, never in the JSON body. */
    public boolean cookieMode() {
        return cookieMode;
    }

    /** A resource server allowed to read the issuer's revocation feed (a confidential client). */
    public boolean revocationFeed() {
        return revocationFeed;
    }

    /** The redirect URIs of the authorization code grant, matched exactly (loopback ports excepted, RFC 8252 §7.3). */
    public List<String> redirectUris() {
        return redirectUris;
    }

    /** The organisation's own app: its users are not asked to consent, where its redirect URI assures its identity (see {@code AuthorizationEndpoint.needsConsent}). */
    public boolean firstParty() {
        return firstParty;
    }

    /** Every token request needs a DPoP proof (RFC 9449 §5.2 {@code dpop_bound_access_tokens}): no bearer tokens. */
    public boolean dpopBoundAccessTokens() {
        return dpopBoundAccessTokens;
    }

    @Override
    public String toString() {
        return "ClientRegistration[" + clientId + ", " + type + ", grants=" + grants + "]";
    }

    public static final class Builder {
        private final String clientId;
        private ClientType type = ClientType.CONFIDENTIAL;
        private String secretSha256;
        private Set<GrantType> grants = Set.of(GrantType.REFRESH_TOKEN);
        private Set<String> scopes = Set.of();
        private Duration accessTokenLifetime;
        private Duration refreshIdleTimeout = DEFAULT_REFRESH_IDLE_TIMEOUT;
        private Duration refreshAbsoluteLifetime = DEFAULT_REFRESH_ABSOLUTE_LIFETIME;
        private Duration retryWindow = DEFAULT_RETRY_WINDOW;
        private boolean cookieMode;
        private boolean revocationFeed;
        private List<String> redirectUris = List.of();
        private boolean firstParty;
        private boolean dpopBoundAccessTokens;

        private Builder(String clientId) {
            this.clientId = clientId;
        }

        public Builder type(ClientType value) {
            this.type = Objects.requireNonNull(value);
            return this;
        }

        /** The digest of the secret ({@link ClientSecrets#digest}). */
        public Builder secretSha256(String value) {
            this.secretSha256 = value;
            return this;
        }

        /** Convenience for tests and tools: stores the digest of {@code secret}. */
        public Builder secret(String secret) {
            this.secretSha256 = ClientSecrets.digest(secret);
            return this;
        }

        public Builder grants(GrantType... values) {
            this.grants = Set.of(values);
            return this;
        }

        public Builder grants(Set<GrantType> values) {
            this.grants = Set.copyOf(values);
            return this;
        }

        public Builder scopes(Set<String> values) {
            this.scopes = Set.copyOf(values);
            return this;
        }

        public Builder accessTokenLifetime(Duration value) {
            this.accessTokenLifetime = value;
            return this;
        }

        public Builder refreshIdleTimeout(Duration value) {
            this.refreshIdleTimeout = value;
            return this;
        }

        public Builder refreshAbsoluteLifetime(Duration value) {
            this.refreshAbsoluteLifetime = value;
            return this;
        }

        public Builder retryWindow(Duration value) {
            this.retryWindow = value;
            return this;
        }

        public Builder cookieMode(boolean value) {
            this.cookieMode = value;
            return this;
        }

        public Builder revocationFeed(boolean value) {
            this.revocationFeed = value;
            return this;
        }

        public Builder redirectUris(List<String> values) {
            this.redirectUris = List.copyOf(values);
            return this;
        }

        public Builder firstParty(boolean value) {
            this.firstParty = value;
            return this;
        }

        public Builder dpopBoundAccessTokens(boolean value) {
            this.dpopBoundAccessTokens = value;
            return this;
        }

        public ClientRegistration build() {
            return new ClientRegistration(this);
        }
    }
}
