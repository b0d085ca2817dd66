package io.tokengate.core.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.SettingKey;
import io.tokengate.core.config.Settings;
import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * Chooses and opens the signing keys the settings name ({@code tokengate.keys.*}): a generated key set (in a folder, or
 * shared through the store's database), a PKCS#12 keystore, PEM files or a JWK Set file. Every problem is a {@link ConfigurationException} naming the very setting
 * at fault — the keystore, its password, or the alias, file or kid of one key.
 */
public final class KeySourceFactory {
    /** The source of a resource server: the trusted issuer's published keys ({@link RemoteKeys}), nothing to open here. */
    public static final String ISSUER = "issuer";
    /** Generated keys shared by the issuer's servers through the store's database ({@link SharedKeySet}). */
    public static final String DATABASE = "database";

    private KeySourceFactory() {
    }

    /** Where the keys come from, as the settings say, parsed and checked before anything is read. */
    public record Spec(String source, SigningAlgorithm algorithm, Path directory, Settings settings) {
        /** Whether the keys are another issuer's: the application is a resource server. */
        public boolean fromIssuer() {
            return ISSUER.equals(source);
        }
    }

    /** @throws ConfigurationException for an unknown source or algorithm */
    public static Spec spec(Settings s) {
        String source = s.required(Setting.KEYS_SOURCE).toLowerCase(Locale.ROOT);
        if (!List.of("generated", DATABASE, "pkcs12", "pem", "jwks", ISSUER).contains(source)) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "'" + source + "' is not one of generated, database, pkcs12, pem, jwks, issuer");
        }
        if (!DATABASE.equals(source)) {
            for (SettingKey only : List.of(Setting.KEYS_ENCRYPTION_KEY, Setting.KEYS_ENCRYPTION_KEY_ALIAS, Setting.KEYS_ROTATION_INTERVAL)) {
                if (s.isSet(only)) {
                    throw new ConfigurationException(only, "is only for tokengate.keys.source=database, not " + source);
                }
            }
        }
        SigningAlgorithm algorithm;
        try {
            algorithm = SigningAlgorithm.parse(s.required(Setting.KEYS_ALGORITHM));
        } catch (KeySetException e) {
            throw new ConfigurationException(Setting.KEYS_ALGORITHM, e.getMessage());
        }
        return new Spec(source, algorithm, keysDirectory(s), s);
    }

    /**
     * The folder of generated keys and the generated refresh-token secret: {@code tokengate.keys.directory}, or one
     * folder per issuer under {@code .tokengate/keys} in the user's home, so that applications never share keys or
     * secrets by default (the servers of one issuer share them on purpose, through a shared folder or setting).
     */
    public static Path keysDirectory(Settings s) {
        String dir = s.get(Setting.KEYS_DIRECTORY);
        return dir != null ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".tokengate", "keys", folderOf(s.required(Setting.ISSUER)));
    }

    /**
     * A folder name for an issuer: its host, port and path, readable ({@code https://login.example/app} →
     * {@code login.example-app-…}), then 12 hex digits of its SHA-256, so that no two issuers share one.
     */
    static String folderOf(String issuer) {
        String readable = issuer.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        if (readable.length() > 60) {
            readable = readable.substring(0, 60);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(issuer.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens the keys.
     *
     * @param retention how long a rotated-out key keeps verifying: the longest access-token lifetime plus the skew
     * @param shared    where the issuer's shared key set is kept (source {@code database}): the refresh-token store's database
     */
    public static ManagedKeys open(Spec spec, Clock clock, Duration retention, Supplier<KeySetStore> shared) {
        if (spec.fromIssuer()) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "is issuer: this application is a resource server, which signs nothing");
        }
        Settings s = spec.settings();
        Map<String, SettingKey> entries = new HashMap<>(); // which setting named which alias, file or kid
        try {
            switch (spec.source()) {
                case "generated":
                    return DevelopmentKeySet.openOrCreate(spec.directory(), spec.algorithm(), clock, retention);
                case DATABASE:
                    return shared(spec, clock, retention, shared);
                case "pkcs12": {
                    Path keystore = Path.of(s.required(Setting.KEYS_KEYSTORE));
                    char[] password = s.required(Setting.KEYS_KEYSTORE_PASSWORD).toCharArray();
                    String active = entry(entries, Setting.KEYS_ACTIVE, s.required(Setting.KEYS_ACTIVE));
                    String next = entry(entries, Setting.KEYS_NEXT, s.get(Setting.KEYS_NEXT));
                    List<String> previous = s.list(Setting.KEYS_PREVIOUS);
                    previous.forEach(p -> entries.put(p, Setting.KEYS_PREVIOUS));
                    KeySet set = KeySources.pkcs12(keystore, password, active, next, previous, spec.algorithm());
                    return ManagedKeys.configured(new KeyRing(set, clock, retention));
                }
                case "pem": {
                    String active = entry(entries, Setting.KEYS_ACTIVE, s.required(Setting.KEYS_ACTIVE));
                    String next = entry(entries, Setting.KEYS_NEXT, s.get(Setting.KEYS_NEXT));
                    List<Path> previous = new ArrayList<>();
                    for (String p : s.list(Setting.KEYS_PREVIOUS)) {
                        previous.add(Path.of(entry(entries, Setting.KEYS_PREVIOUS, p)));
                    }
                    KeySet set = KeySources.pem(Path.of(active), next == null ? null : Path.of(next), previous, spec.algorithm());
                    return ManagedKeys.configured(new KeyRing(set, clock, retention));
                }
                default: {
                    KeySet set = KeySources.jwkSet(Path.of(s.required(Setting.KEYS_JWKS_FILE)),
                            entry(entries, Setting.KEYS_ACTIVE, s.get(Setting.KEYS_ACTIVE)), entry(entries, Setting.KEYS_NEXT,
                                    s.get(Setting.KEYS_NEXT)), spec.algorithm());
                    return ManagedKeys.configured(new KeyRing(set, clock, retention));
                }
            }
        } catch (KeySetException e) {
            throw new ConfigurationException(settingAtFault(spec.source(), e, entries), e.getMessage(), e);
        }
    }

    /** The shared key set in the store's database, its private keys under the configured key-encryption keys. */
    private static SharedKeySet shared(Spec spec, Clock clock, Duration retention, Supplier<KeySetStore> shared) {
        Settings s = spec.settings();
        String issuer = s.required(Setting.ISSUER);
        KeySealer sealer = new KeySealer(keyEncryptionKeys(s), issuer);
        Duration interval = s.isSet(Setting.KEYS_ROTATION_INTERVAL) ? s.duration(Setting.KEYS_ROTATION_INTERVAL) : null;
        Duration maxAge = s.duration(Setting.JWKS_MAX_AGE);
        if (interval != null && interval.compareTo(maxAge.multipliedBy(2)) < 0) {
            throw new ConfigurationException(Setting.KEYS_ROTATION_INTERVAL, "must be at least twice tokengate.jwks-max-age (" + maxAge
                    + "), the time a next key is published before it signs");
        }
        // every cache has fetched the next key before it signs, whatever the servers' clocks and checks
        Duration publishAhead = maxAge.plus(s.duration(Setting.CLOCK_SKEW)).plus(SharedKeySet.CHECK_INTERVAL.multipliedBy(2));
        try {
            KeySetStore store = shared.get();
            return SharedKeySet.open(issuer, store, sealer, spec.algorithm(), clock, retention, publishAhead, interval);
        } catch (UnsupportedOperationException e) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "is database, but the refresh-token store keeps no key sets (" + e.getMessage() + ")");
        } catch (StoreUnavailableException e) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "is database, and the database cannot be reached to read the shared key set ("
                    + e.getMessage() + "): start again once it answers", e);
        } catch (KeySetException e) {
            throw new ConfigurationException(s.isSet(Setting.KEYS_ENCRYPTION_KEY) ? Setting.KEYS_ENCRYPTION_KEY : Setting.KEYS_ENCRYPTION_KEY_ALIAS,
                    e.getMessage(), e);
        }
    }

    /** {@code tokengate.keys.encryption-key}, or the secret-key entries {@code tokengate.keys.encryption-key-alias} names in the keystore. */
    private static List<KeySealer.Kek> keyEncryptionKeys(Settings s) {
        boolean inline = s.isSet(Setting.KEYS_ENCRYPTION_KEY);
        boolean aliases = s.isSet(Setting.KEYS_ENCRYPTION_KEY_ALIAS);
        if (inline == aliases) {
            throw new ConfigurationException(Setting.KEYS_ENCRYPTION_KEY, inline ? "and tokengate.keys.encryption-key-alias are both set: give one"
                    : "is required for tokengate.keys.source=database (or tokengate.keys.encryption-key-alias with tokengate.keys.keystore):"
                            + " the key that encrypts the private keys in the database");
        }
        List<KeySealer.Kek> keks = new ArrayList<>();
        try {
            if (inline) {
                for (String entry : s.list(Setting.KEYS_ENCRYPTION_KEY)) {
                    keks.add(KeySealer.Kek.parse(entry));
                }
                return keks;
            }
        } catch (KeySetException e) {
            throw new ConfigurationException(Setting.KEYS_ENCRYPTION_KEY, e.getMessage());
        }
        Path keystore = Path.of(s.required(Setting.KEYS_KEYSTORE));
        char[] password = s.required(Setting.KEYS_KEYSTORE_PASSWORD).toCharArray();
        try {
            for (String alias : s.list(Setting.KEYS_ENCRYPTION_KEY_ALIAS)) {
                keks.add(new KeySealer.Kek(alias.replaceAll("[^A-Za-z0-9_-]", "_"), KeySources.secretKey(keystore, password, alias)));
            }
        } catch (KeySetException e) {
            throw new ConfigurationException(switch (e.fault()) {
                case PASSWORD -> Setting.KEYS_KEYSTORE_PASSWORD;
                case FILE -> Setting.KEYS_KEYSTORE;
                default -> Setting.KEYS_ENCRYPTION_KEY_ALIAS;
            }, e.getMessage(), e);
        }
        return keks;
    }

    private static String entry(Map<String, SettingKey> entries, SettingKey setting, String value) {
        if (value != null) {
            entries.put(value, setting);
        }
        return value;
    }

    private static SettingKey settingAtFault(String source, KeySetException e, Map<String, SettingKey> entries) {
        return switch (e.fault()) {
            case PASSWORD -> Setting.KEYS_KEYSTORE_PASSWORD;
            case ENTRY -> entries.getOrDefault(e.entry(), Setting.KEYS_ACTIVE);
            case FILE -> switch (source) {
                case "pkcs12" -> Setting.KEYS_KEYSTORE;
                case "jwks" -> Setting.KEYS_JWKS_FILE;
                case "generated" -> Setting.KEYS_DIRECTORY;
                default -> entries.getOrDefault(e.entry(), Setting.KEYS_ACTIVE);
            };
            case OTHER -> "generated".equals(source) ? Setting.KEYS_DIRECTORY : Setting.KEYS_SOURCE;
        };
    }
}
