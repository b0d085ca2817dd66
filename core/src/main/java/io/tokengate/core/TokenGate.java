package io.tokengate.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientRegistryFiles;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.endpoint.TokenEndpoint;
import io.tokengate.core.event.TokenEventListener;
import io.tokengate.core.keys.DevelopmentKeySet;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.KeySetException;
import io.tokengate.core.keys.KeySources;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.refresh.RefreshTokenHasher;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.revocation.DurableRevocationRegistry;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.validation.AccessTokenValidator;

/**
 * One TokenGate instance wired from {@link Setting}s: key ring, issuer, validator, revocation registry,
 * refresh-token service and endpoint. The servlet filter and the EE extension build one at start-up from their
 * configuration source and only translate HTTP to it. Every configuration problem surfaces here, once, as a
 * {@link ConfigurationException} naming the key.
 */
public final class TokenGate {
    private static final System.Logger LOG = System.getLogger(TokenGate.class.getName());
    private final Settings settings;
    private final KeyRing keyRing;
    /** The generated key set behind {@link #keyRing}, or null when the keys come from the administrators' files. */
    private final DevelopmentKeySet generatedKeys;
    private final AccessTokenIssuer issuer;
    private final AccessTokenValidator validator;
    private final RevocationRegistry revocation;
    private final RefreshTokenService refreshTokens;
    private final TokenEndpoint endpoint;
    private final ClientRegistry clients;
    private final Set<GrantType> grants;
    private final String issuerId;

    private TokenGate(Builder b) {
        Clock clock = b.clock;
        this.settings = new Settings(b.source);
        this.issuerId = settings.required(Setting.ISSUER);
        if (issuerId.contains("?") || issuerId.contains("#")) {
            throw new ConfigurationException(Setting.ISSUER, "must be a URL without query or fragment (RFC 8414 §2)");
        }
        List<String> audience = settings.list(Setting.AUDIENCE);
        if (audience.isEmpty()) {
            audience = List.of(issuerId);
        }
        Duration skew = settings.duration(Setting.CLOCK_SKEW, AccessTokenValidator.DEFAULT_CLOCK_SKEW);
        Duration maxLifetime = settings.duration(Setting.MAX_TOKEN_LIFETIME, AccessTokenValidator.DEFAULT_MAX_TOKEN_LIFETIME);
        Duration lifetime = settings.duration(Setting.ACCESS_TOKEN_LIFETIME, AccessTokenIssuer.DEFAULT_LIFETIME);
        if (lifetime.isZero() || lifetime.compareTo(maxLifetime) > 0) {
            throw new ConfigurationException(Setting.ACCESS_TOKEN_LIFETIME, "must be positive and at most " + Setting.MAX_TOKEN_LIFETIME.key()
                    + " (" + maxLifetime + ")");
        }
        String groupsClaim = settings.get(Setting.GROUPS_CLAIM, AccessTokenIssuer.DEFAULT_GROUPS_CLAIM);

        Object keys = loadKeys(settings, clock, maxLifetime.plus(skew));
        this.generatedKeys = keys instanceof DevelopmentKeySet d ? d : null;
        this.keyRing = generatedKeys != null ? generatedKeys.keyRing() : (KeyRing) keys;
        RefreshTokenStore store = Objects.requireNonNull(b.store, "a refresh-token store is required");
        DurableRevocationRegistry durable = new DurableRevocationRegistry(
                b.revocation != null ? b.revocation : new InMemoryRevocationRegistry(clock, maxLifetime, skew), store, clock, maxLifetime, skew);
        this.revocation = durable;
        try {
            this.issuer = AccessTokenIssuer.builder().keyRing(keyRing).issuer(issuerId).audience(audience.toArray(String[]::new))
                    .lifetime(lifetime).groupsClaim(groupsClaim).clock(clock).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(Setting.GROUPS_CLAIM, e.getMessage());
        }
        int maxLength;
        try {
            this.validator = AccessTokenValidator.builder().keyRing(keyRing).issuer(issuerId).audience(audience.toArray(String[]::new))
                    .clock(clock).clockSkew(skew).maxTokenLifetime(maxLifetime)
                    .maxTokenLength(maxLength = settings.integer(Setting.MAX_TOKEN_LENGTH, AccessTokenValidator.DEFAULT_MAX_TOKEN_LENGTH))
                    .acceptJwtType(settings.bool(Setting.ACCEPT_JWT_TYPE, false)).groupsClaim(groupsClaim)
                    .verifiedTokenCacheSize(cacheSize(settings))
                    .revocationRegistry(revocation).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(Setting.MAX_TOKEN_LENGTH, e.getMessage());
        }
        if (maxLength < 64) {
            throw new ConfigurationException(Setting.MAX_TOKEN_LENGTH, "is too small");
        }

        String clientsFile = settings.get(Setting.CLIENTS);
        if (clientsFile == null) {
            this.clients = b.clients != null ? b.clients : ClientRegistry.of(List.of());
        } else {
            try {
                this.clients = ClientRegistryFiles.load(Path.of(clientsFile));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(Setting.CLIENTS, e.getMessage());
            }
        }
        this.grants = EnumSet.allOf(GrantType.class);
        List<RefreshTokenHasher.Secret> secrets = secrets(settings);
        RefreshTokenHasher hasher = new RefreshTokenHasher(secrets.get(0), secrets.subList(1, secrets.size()));
        this.refreshTokens = new RefreshTokenService(store, hasher, issuer, revocation, b.events, clock);
        Duration window = maxLifetime.plus(skew);
        store.whenAvailable(() -> { // at once, or when a store that started without its database connects
            try {
                int restored = durable.reload();
                if (restored > 0) {
                    LOG.log(System.Logger.Level.INFO, "TG-1006 {0} revocations of live access tokens kept before this start are enforced again",
                            restored);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "TG-1005 cannot read the revocations kept before this start ({0}): the access tokens they"
                        + " cut are accepted here until they expire, at most {1}", String.valueOf(e), window);
            }
        });
        this.endpoint = TokenEndpoint.builder().clients(clients).refreshTokens(refreshTokens).validator(validator)
                .credentialVerifier(b.credentials).realm(settings.get(Setting.REALM, "tokengate")).clock(clock).build();
    }

    private static int cacheSize(Settings s) {
        int size = s.integer(Setting.VERIFIED_TOKEN_CACHE_SIZE, AccessTokenValidator.DEFAULT_VERIFIED_TOKEN_CACHE_SIZE);
        if (size < 0 || size > 1_000_000) {
            throw new ConfigurationException(Setting.VERIFIED_TOKEN_CACHE_SIZE, "must be between 0 (off) and 1000000");
        }
        return size;
    }

    /** A {@link DevelopmentKeySet} (source generated) or a {@link KeyRing}. */
    private static Object loadKeys(Settings s, Clock clock, Duration retention) {
        String source = s.get(Setting.KEYS_SOURCE, "generated").toLowerCase(java.util.Locale.ROOT);
        SigningAlgorithm algorithm;
        try {
            algorithm = SigningAlgorithm.parse(s.get(Setting.KEYS_ALGORITHM, "RS256"));
        } catch (KeySetException e) {
            throw new ConfigurationException(Setting.KEYS_ALGORITHM, e.getMessage());
        }
        try {
            switch (source) {
                case "generated":
                    return DevelopmentKeySet.openOrCreate(keysDirectory(s), algorithm, clock, retention);
                case "pkcs12": {
                    String store = s.required(Setting.KEYS_KEYSTORE);
                    String password = s.required(Setting.KEYS_KEYSTORE_PASSWORD);
                    KeySet set;
                    try {
                        set = KeySources.pkcs12(Path.of(store), password.toCharArray(), s.required(Setting.KEYS_ACTIVE), s.get(Setting.KEYS_NEXT),
                                s.list(Setting.KEYS_PREVIOUS), algorithm);
                    } catch (KeySetException e) {
                        Setting at = e.getMessage().contains("password") ? Setting.KEYS_KEYSTORE_PASSWORD
                                : e.getMessage().contains("alias") ? Setting.KEYS_ACTIVE : Setting.KEYS_KEYSTORE;
                        throw new ConfigurationException(at, e.getMessage());
                    }
                    return new KeyRing(set, clock, retention);
                }
                case "pem": {
                    List<Path> previous = new ArrayList<>();
                    s.list(Setting.KEYS_PREVIOUS).forEach(p -> previous.add(Path.of(p)));
                    String next = s.get(Setting.KEYS_NEXT);
                    KeySet set;
                    try {
                        set = KeySources.pem(Path.of(s.required(Setting.KEYS_ACTIVE)), next == null ? null : Path.of(next), previous, algorithm);
                    } catch (KeySetException e) {
                        throw new ConfigurationException(Setting.KEYS_ACTIVE, e.getMessage());
                    }
                    return new KeyRing(set, clock, retention);
                }
                case "jwks": {
                    KeySet set;
                    try {
                        set = KeySources.jwkSet(Path.of(s.required(Setting.KEYS_JWKS_FILE)), s.get(Setting.KEYS_ACTIVE), s.get(Setting.KEYS_NEXT),
                                algorithm);
                    } catch (KeySetException e) {
                        throw new ConfigurationException(Setting.KEYS_JWKS_FILE, e.getMessage());
                    }
                    return new KeyRing(set, clock, retention);
                }
                default:
                    throw new ConfigurationException(Setting.KEYS_SOURCE, "'" + source + "' is not one of generated, pkcs12, pem, jwks");
            }
        } catch (KeySetException e) {
            throw new ConfigurationException(Setting.KEYS_DIRECTORY, e.getMessage());
        }
    }

    private static Path keysDirectory(Settings s) {
        String dir = s.get(Setting.KEYS_DIRECTORY);
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".tokengate", "keys");
    }

    private static List<RefreshTokenHasher.Secret> secrets(Settings s) {
        List<String> entries = s.list(Setting.REFRESH_TOKEN_SECRETS);
        List<RefreshTokenHasher.Secret> out = new ArrayList<>();
        if (entries.isEmpty()) {
            if (!"generated".equalsIgnoreCase(s.get(Setting.KEYS_SOURCE, "generated"))) {
                throw new ConfigurationException(Setting.REFRESH_TOKEN_SECRETS, "is required when the keys do not come from a generated key set");
            }
            out.add(generatedSecret(keysDirectory(s)));
        } else {
            for (String entry : entries) {
                int colon = entry.indexOf(':');
                if (colon < 1) {
                    throw new ConfigurationException(Setting.REFRESH_TOKEN_SECRETS, "each entry is id:base64url-key");
                }
                try {
                    out.add(new RefreshTokenHasher.Secret(entry.substring(0, colon), Base64.getUrlDecoder().decode(entry.substring(colon + 1))));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(Setting.REFRESH_TOKEN_SECRETS,
                            "secret " + entry.substring(0, colon) + " needs a base64url key of at least 32 bytes");
                }
            }
        }
        return List.copyOf(out);
    }

    /** The refresh-token secret of a development setup, generated once and kept owner-only beside the keys. */
    private static RefreshTokenHasher.Secret generatedSecret(Path directory) {
        Path file = directory.resolve("tokengate-refresh-secret.txt");
        try {
            if (Files.exists(file)) {
                String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(":", 2);
                return new RefreshTokenHasher.Secret(parts[0], Base64.getUrlDecoder().decode(parts[1]));
            }
            RefreshTokenHasher.Secret secret = RefreshTokenHasher.generateSecret("generated-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, "secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, secret.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret.key()),
                    StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(Setting.REFRESH_TOKEN_SECRETS, "cannot read or create " + file + ": " + e.getMessage());
        }
    }

    public static Builder builder(SettingsSource source) {
        return new Builder(source);
    }

    public KeyRing keyRing() {
        return keyRing;
    }

    /**
     * Planned key rotation: the next key starts signing, the active one keeps verifying until the tokens it signed
     * have expired. With generated keys a next key is generated (and published) first when none is staged; with
     * keys from files the next key must be configured ({@code tokengate.keys.next}).
     *
     * @throws io.tokengate.core.keys.KeySetException when no next key is available
     */
    public KeySet rotateKeys() {
        return generatedKeys != null ? generatedKeys.rotate() : keyRing.rotate();
    }

    /**
     * Emergency retirement: the key stops verifying at once (its tokens are refused). Retiring the active key
     * needs a next key to take over; with generated keys one is generated.
     *
     * @throws io.tokengate.core.keys.KeySetException when the kid is unknown or nothing could take over
     */
    public KeySet retireKey(String kid) {
        return generatedKeys != null ? generatedKeys.retire(kid) : keyRing.retire(kid);
    }

    public AccessTokenIssuer issuer() {
        return issuer;
    }

    public AccessTokenValidator validator() {
        return validator;
    }

    public RevocationRegistry revocation() {
        return revocation;
    }

    public RefreshTokenService refreshTokens() {
        return refreshTokens;
    }

    public TokenEndpoint endpoint() {
        return endpoint;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public Settings settings() {
        return settings;
    }

    /** The JWKS document at this moment. */
    public String jwksJson() {
        return keyRing.current().toJwksJson(keyRing.clock().instant());
    }

    /** RFC 8414 metadata with the given endpoint paths. */
    public String metadataJson(String tokenPath, String revocationPath, String introspectionPath, String jwksPath) {
        return AuthorizationServerMetadata.json(issuerId, tokenPath, revocationPath, introspectionPath, jwksPath, grants, Set.of());
    }

    public static final class Builder {
        private final SettingsSource source;
        private RefreshTokenStore store;
        private CredentialVerifier credentials;
        private TokenEventListener events = TokenEventListener.NONE;
        private RevocationRegistry revocation;
        private ClientRegistry clients;
        private Clock clock = Clock.systemUTC();

        private Builder(SettingsSource source) {
            this.source = Objects.requireNonNull(source, "source");
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

        /** @throws ConfigurationException naming the key at fault */
        public TokenGate build() {
            return new TokenGate(this);
        }
    }
}
