package io.tokengate.core.endpoint;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.tokengate.core.authorize.AuthorizationCodes;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.dpop.DPoPCheck;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.validation.AccessTokenValidator;

/**
 * The token endpoint (RFC 6749 §3.2) without a web framework: form in, JSON out. It authenticates the client
 * ({@code ClientAuthenticator}), applies the cookie-mode rule, and hands the request to the handler of its grant —
 * refresh token, client credentials, password. Every refusal is an RFC 6749 §5.2 error; every answer carries
 * {@code Cache-Control: no-store}. Thread-safe. The revocation and introspection endpoints are
 * {@link RevocationEndpoint} and {@link IntrospectionEndpoint}; the container-login hand-off is {@link Handoff}.
 */
public final class TokenEndpoint {
    private final ClientAuthenticator clients;
    private final Map<GrantType, GrantHandler> grants = new EnumMap<>(GrantType.class);
    private final EndpointGuard guard;
    private final DPoPProofValidator dpop;

    private TokenEndpoint(Builder b) {
        Objects.requireNonNull(b.clients, "clients");
        Objects.requireNonNull(b.refreshTokens, "refreshTokens");
        Objects.requireNonNull(b.validator, "validator");
        Objects.requireNonNull(b.clock, "clock");
        checkLifetimes(b.clients, b.validator);
        this.clients = new ClientAuthenticator(b.clients);
        this.guard = new EndpointGuard(b.realm);
        this.dpop = b.dpop;
        if (b.codes != null) {
            grants.put(GrantType.AUTHORIZATION_CODE, new AuthorizationCodeGrant(b.codes, b.refreshTokens));
        }
        grants.put(GrantType.REFRESH_TOKEN, new RefreshTokenGrant(b.refreshTokens));
        grants.put(GrantType.CLIENT_CREDENTIALS, new ClientCredentialsGrant(b.refreshTokens));
        grants.put(GrantType.PASSWORD, new PasswordGrant(b.refreshTokens, b.credentials, b.clock));
    }

    /** A client whose tokens the validator would refuse is a configuration error, found before the first request. */
    private static void checkLifetimes(ClientRegistry clients, AccessTokenValidator validator) {
        for (ClientRegistration c : clients.all()) {
            if (c.accessTokenLifetime().map(l -> l.compareTo(validator.maxTokenLifetime()) > 0).orElse(false)) {
                throw new IllegalArgumentException("client " + c.clientId() + " has access-token-lifetime " + c.accessTokenLifetime().get()
                        + ", longer than the validator accepts (" + validator.maxTokenLifetime() + ")");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code POST /token}: the authorization_code, refresh_token, client_credentials and password grants. */
    public EndpointResponse token(EndpointRequest request) {
        return guard.run(request, () -> {
            FormParameters p = FormParameters.of(request);
            String grantName = p.required("grant_type");
            Optional<GrantType> type = GrantType.fromValue(grantName);
            GrantHandler handler = type.map(grants::get).orElse(null);
            if (handler == null) {
                throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "The grant type is not supported");
            }
            ClientRegistration client = clients.authenticate(request, p, true);
            CookieModeRule.requireCsrfDefence(client, request);
            if (!client.allows(type.get())) {
                throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "The client may not use this grant type");
            }
            String dpopJkt = dpopKey(client, request);
            return TokenResponses.of(client, handler.grant(client, p, request, dpopJkt));
        });
    }

    /**
     * The key of the request's DPoP proof (RFC 9449 §5), checked for {@code POST} to the request's URL; null without a
     * proof, which a client with {@code dpop-bound-access-tokens} must send.
     */
    private String dpopKey(ClientRegistration client, EndpointRequest request) {
        List<String> proofs = request.headerValues("DPoP");
        if (proofs.isEmpty()) {
            if (client.dpopBoundAccessTokens()) {
                throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, "This client must send a DPoP proof");
            }
            return null;
        }
        if (dpop == null) {
            throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, "DPoP is not enabled here");
        }
        if (proofs.size() > 1) {
            throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, "The request carries more than one DPoP header");
        }
        DPoPCheck check = dpop.check(proofs.get(0), request.method(), request.uri(), null);
        if (check instanceof DPoPCheck.Refused refused) {
            throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, refused.reason().description());
        }
        return ((DPoPCheck.Passed) check).proof().jkt();
    }

    public static final class Builder {
        private ClientRegistry clients;
        private RefreshTokenService refreshTokens;
        private AccessTokenValidator validator;
        private CredentialVerifier credentials;
        private String realm = Realm.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private DPoPProofValidator dpop;
        private AuthorizationCodes codes;

        private Builder() {
        }

        /** Enables DPoP (RFC 9449): proofs are checked with this, and tokens bound to their keys. */
        public Builder dpop(DPoPProofValidator value) {
            this.dpop = value;
            return this;
        }

        /** Enables the authorization code grant (for the clients allowed it). */
        public Builder authorizationCodes(AuthorizationCodes value) {
            this.codes = value;
            return this;
        }

        public Builder clients(ClientRegistry value) {
            this.clients = value;
            return this;
        }

        public Builder refreshTokens(RefreshTokenService value) {
            this.refreshTokens = value;
            return this;
        }

        /** The validator whose longest accepted lifetime every client's access-token lifetime must respect. */
        public Builder validator(AccessTokenValidator value) {
            this.validator = value;
            return this;
        }

        /** Enables the password grant (for the clients allowed it). */
        public Builder credentialVerifier(CredentialVerifier value) {
            this.credentials = value;
            return this;
        }

        /** The realm of {@code WWW-Authenticate: Basic} on invalid_client (default {@value Realm#DEFAULT}). */
        public Builder realm(String value) {
            this.realm = Realm.check(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** @throws IllegalArgumentException when a client's access-token lifetime exceeds what the validator accepts */
        public TokenEndpoint build() {
            return new TokenEndpoint(this);
        }
    }
}
