package io.tokengate.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientRegistryFiles;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.config.TokenGateConfig;
import io.tokengate.core.authorize.AuthorizationCodes;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.dpop.DPoPReplayCache;
import io.tokengate.core.dpop.InMemoryDPoPReplayCache;
import io.tokengate.core.endpoint.AuthorizationEndpoint;
import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.endpoint.Handoff;
import io.tokengate.core.endpoint.IntrospectionEndpoint;
import io.tokengate.core.endpoint.RevocationEndpoint;
import io.tokengate.core.endpoint.RevocationFeedEndpoint;
import io.tokengate.core.endpoint.TokenEndpoint;
import io.tokengate.core.event.TokenEventListener;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.KeySourceFactory;
import io.tokengate.core.keys.SharedKeySet;
import io.tokengate.core.keys.ManagedKeys;
import io.tokengate.core.refresh.RefreshTokenHasher;
import io.tokengate.core.refresh.RefreshTokenSecrets;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.revocation.DurableRevocationRegistry;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.revocation.RevocationFeed;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.validation.AccessTokenValidator;

/**
 * One TokenGate, wired from its {@link TokenGateConfig}: keys, issuer, validator, revocation, the refresh-token
 * lifecycle and the endpoints. The servlet filter and the EE extension build one at start-up and only translate HTTP
 * to it. Every configuration problem surfaces while it is built, once, as a {@link ConfigurationException} naming
 * the key.
 */
public final class TokenGate implements TokenCheck, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TokenGate.class.getName());
    private final Settings settings;
    private final TokenGateConfig config;
    private final ManagedKeys keys;
    private final AccessTokenIssuer issuer;
    private final AccessTokenValidator validator;
    private final RevocationRegistry revocation;
    private final RefreshTokenService refreshTokens;
    private final ClientRegistry clients;
    private final TokenEndpoint tokenEndpoint;
    private final RevocationEndpoint revocationEndpoint;
    private final IntrospectionEndpoint introspectionEndpoint;
    private final Handoff handoff;
    private final AuthorizationEndpoint authorizationEndpoint;
    private final RevocationFeed revocationFeed;
    private final RevocationFeedEndpoint revocationFeedEndpoint;
    private final DPoPProofValidator dpop;

    private TokenGate(Builder b, TokenGateConfig config) {
        Clock clock = b.clock;
        this.settings = b.settings;
        this.config = config;
        RefreshTokenStore store = Objects.requireNonNull(b.store, "a refresh-token store is required");
        this.clients = config.clientsFile() != null ? clientsFile(config.clientsFile(), config.issuer()) : b.clients != null ? b.clients : ClientRegistry.of(List.of());
        this.keys = KeySourceFactory.open(config.keys(), clock, config.notBeforeLife(), store::keySets);
        DurableRevocationRegistry durable = new DurableRevocationRegistry(b.revocation != null ? b.revocation
                : new InMemoryRevocationRegistry(clock, config.maxTokenLifetime(), config.clockSkew()), store, clock,
                config.maxTokenLifetime(), config.clockSkew());
        this.revocation = durable;
        this.revocationFeed = new RevocationFeed(clock);
        durable.listen(revocationFeed::record); // before reload: a restarted issuer publishes the cuts it restores
        String[] audience = config.audiences().toArray(String[]::new);
        this.issuer = AccessTokenIssuer.builder().keyRing(keys.keyRing()).issuer(config.issuer()).audience(audience)
                .lifetime(config.accessTokenLifetime()).groupsClaim(config.groupsClaim()).clock(clock).build();
        this.validator = AccessTokenValidator.builder().keyRing(keys.keyRing()).issuer(config.issuer()).audience(audience).clock(clock)
                .clockSkew(config.clockSkew()).maxTokenLifetime(config.maxTokenLifetime()).maxTokenLength(config.maxTokenLength())
                .acceptJwtType(config.acceptJwtType()).groupsClaim(config.groupsClaim()).verifiedTokenCacheSize(config.verifiedTokenCacheSize())
                .revocationRegistry(revocation).build();
        List<RefreshTokenHasher.Secret> secrets = refreshTokenSecrets(config, clock);
        RefreshTokenHasher hasher = new RefreshTokenHasher(secrets.get(0), secrets.subList(1, secrets.size()));
        this.refreshTokens = new RefreshTokenService(store, hasher, issuer, revocation, b.events, clock);
        store.whenAvailable(() -> { // at once, or when a store that started without its database connects
            int restored = durable.reload(); // a failure is retried by the store (TG-1005)
            if (restored > 0) {
                CoreLog.REVOCATIONS_RESTORED.log(LOG, restored);
            }
        });
        AuthorizationCodes codes = new AuthorizationCodes(store::authorizationCodes, hasher, clock);
        this.dpop = new DPoPProofValidator(config.dpop().algorithms(), config.dpop().maxAge(), config.clockSkew(),
                b.dpopReplays != null ? b.dpopReplays : new InMemoryDPoPReplayCache(config.dpop().replayCacheSize(), clock), clock);
        try {
            this.tokenEndpoint = TokenEndpoint.builder().clients(clients).refreshTokens(refreshTokens).validator(validator)
                    .credentialVerifier(b.credentials).realm(config.realm()).clock(clock).dpop(dpop).authorizationCodes(codes).build();
        } catch (IllegalArgumentException e) { // a client's access-token lifetime the validator would refuse
            throw new ConfigurationException(Setting.CLIENTS, e.getMessage());
        }
        this.revocationEndpoint = new RevocationEndpoint(clients, refreshTokens, validator, config.realm());
        this.introspectionEndpoint = new IntrospectionEndpoint(clients, refreshTokens, validator, config.realm(), clock);
        this.handoff = new Handoff(clients, refreshTokens, config.realm());
        this.authorizationEndpoint = new AuthorizationEndpoint(clients, codes, config.issuer());
        this.revocationFeedEndpoint = new RevocationFeedEndpoint(clients, revocationFeed, config.realm());
        if (keys instanceof SharedKeySet shared) { // last: nothing below can fail and leave its thread running
            shared.onRetired(kid -> revocationFeed.retiredKey(kid, clock.instant().plus(config.notBeforeLife())));
            shared.start();
        }
    }

    /** Stops what runs in the background (the shared key set's checks); the host calls it when the application stops. */
    @Override
    public void close() {
        if (keys instanceof SharedKeySet shared) {
            shared.close();
        }
    }

    /** The configured secrets; without any, the one generated beside generated keys (checked once the keys loaded, so a key error is named first). */
    private static List<RefreshTokenHasher.Secret> refreshTokenSecrets(TokenGateConfig config, Clock clock) {
        if (!config.refreshTokenSecrets().isEmpty()) {
            return RefreshTokenSecrets.parse(config.refreshTokenSecrets());
        }
        if (!"generated".equals(config.keys().source())) {
            throw new ConfigurationException(Setting.REFRESH_TOKEN_SECRETS, "is required unless the keys are generated in tokengate.keys.directory (source generated): every server of the issuer needs the same secrets");
        }
        return List.of(RefreshTokenSecrets.generated(config.keys().directory(), clock));
    }

    private static ClientRegistry clientsFile(Path file, String issuer) {
        try {
            return ClientRegistryFiles.load(file, issuer);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(Setting.CLIENTS, e.getMessage(), e);
        }
    }

    public static Builder builder(SettingsSource source) {
        return new Builder(source);
    }

    public KeyRing keyRing() {
        return keys.keyRing();
    }

    /** See {@link ManagedKeys#rotate()}: generated keys make a next key when none is staged; configured ones need one. */
    public KeySet rotateKeys() {
        return keys.rotate();
    }

    /**
     * See {@link ManagedKeys#retire(String)}; the revocation feed tells resource servers, which refuse the key's
     * tokens from their next poll on.
     */
    public KeySet retireKey(String kid) {
        KeySet now = keys.retire(kid);
        if (!(keys instanceof SharedKeySet)) { // a shared key set tells the feed itself, also of other servers' retirements
            revocationFeed.retiredKey(kid, keyRing().clock().instant().plus(config.notBeforeLife()));
        }
        return now;
    }

    public AccessTokenIssuer issuer() {
        return issuer;
    }

    @Override
    public AccessTokenValidator validator() {
        return validator;
    }

    public RevocationRegistry revocation() {
        return revocation;
    }

    public RefreshTokenService refreshTokens() {
        return refreshTokens;
    }

    public TokenEndpoint tokenEndpoint() {
        return tokenEndpoint;
    }

    public RevocationEndpoint revocationEndpoint() {
        return revocationEndpoint;
    }

    public IntrospectionEndpoint introspectionEndpoint() {
        return introspectionEndpoint;
    }

    /** The cuts resource servers read (see {@link RevocationFeed}). */
    public RevocationFeed revocationFeed() {
        return revocationFeed;
    }

    public RevocationFeedEndpoint revocationFeedEndpoint() {
        return revocationFeedEndpoint;
    }

    public Handoff handoff() {
        return handoff;
    }

    /** The authorization endpoint's checks and codes (the HTTP layer signs the user in). */
    public AuthorizationEndpoint authorizationEndpoint() {
        return authorizationEndpoint;
    }

    /** Checks DPoP proofs, at the token endpoint and at resources (RFC 9449). */
    @Override
    public DPoPProofValidator dpop() {
        return dpop;
    }

    public ClientRegistry clients() {
        return clients;
    }

    /** The core's settings, parsed. */
    @Override
    public TokenGateConfig config() {
        return config;
    }

    /** Every setting as given, for the container modules' own keys. */
    @Override
    public Settings settings() {
        return settings;
    }

    /** The JWKS document at this moment. */
    public String jwksJson() {
        return keyRing().current().toJwksJson(keyRing().clock().instant());
    }

    /** RFC 8414 metadata with the given endpoint paths. */
    public String metadataJson(AuthorizationServerMetadata.Paths paths) {
        Set<GrantType> grants = EnumSet.allOf(GrantType.class);
        return AuthorizationServerMetadata.json(config.issuer(), paths, grants, Set.of(), config.dpop().algorithms());
    }

    public static final class Builder {
        private final Settings settings;
        private RefreshTokenStore store;
        private CredentialVerifier credentials;
        private TokenEventListener events = TokenEventListener.NONE;
        private RevocationRegistry revocation;
        private ClientRegistry clients;
        private Clock clock = Clock.systemUTC();
        private TokenGateConfig config;
        private DPoPReplayCache dpopReplays;

        private Builder(SettingsSource source) {
            this.settings = new Settings(Objects.requireNonNull(source, "source"));
        }

        public Builder store(RefreshTokenStore value) {
            this.store = value;
            return this;
        }

        public Builder credentialVerifier(CredentialVerifier value) {
            this.credentials = value;
            return this;
        }

        public Builder events(TokenEventListener value) {
            this.events = value == null ? TokenEventListener.NONE : value;
            return this;
        }

        /** A revocation registry of the host (e.g. cluster-wide); default: in memory, sized from the settings. */
        public Builder revocation(RevocationRegistry value) {
            this.revocation = value;
            return this;
        }

        /** Clients given in code, used when {@code tokengate.clients} is not set. */
        public Builder clients(List<ClientRegistration> value) {
            this.clients = ClientRegistry.of(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** Where used DPoP proofs are remembered (e.g. shared by a cluster); default: in memory, sized from the settings. */
        public Builder dpopReplayCache(DPoPReplayCache value) {
            this.dpopReplays = value;
            return this;
        }

        /** The settings the builder reads, for a host that needs its own values before {@link #build()}. */
        public Settings settings() {
            return settings;
        }

        /**
         * The core's settings, parsed once, for a host that needs them before {@link #build()} (e.g. to size a
         * revocation registry).
         *
         * @throws ConfigurationException naming the key at fault
         */
        public TokenGateConfig config() {
            if (config == null) {
                config = TokenGateConfig.read(settings);
            }
            return config;
        }

        /** The clock everything is built with. */
        public Clock clock() {
            return clock;
        }

        /** @throws ConfigurationException naming the key at fault */
        public TokenGate build() {
            return new TokenGate(this, config());
        }
    }
}
