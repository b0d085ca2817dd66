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

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.SettingKey;
import io.tokengate.core.config.Settings;

/**
 * Chooses and opens the signing keys the settings name ({@code tokengate.keys.*}): a generated key set, a PKCS#12
 * keystore, PEM files or a JWK Set file. Every problem is a {@link ConfigurationException} naming the very setting
 * at fault — the keystore, its password, or the alias, file or kid of one key.
 */
public final class KeySourceFactory {
    /** The source of a resource server: the trusted issuer's published keys ({@link RemoteKeys}), nothing to open here. */
    public static final String ISSUER = "issuer";

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
        if (!List.of("generated", "pkcs12", "pem", "jwks", ISSUER).contains(source)) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "'" + source + "' is not one of generated, pkcs12, pem, jwks, issuer");
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
     */
    public static ManagedKeys open(Spec spec, Clock clock, Duration retention) {
        if (spec.fromIssuer()) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "is issuer: this application is a resource server, which signs nothing");
        }
        Settings s = spec.settings();
        Map<String, SettingKey> entries = new HashMap<>(); // which setting named which alias, file or kid
        try {
            switch (spec.source()) {
                case "generated":
                    return DevelopmentKeySet.openOrCreate(spec.directory(), spec.algorithm(), clock, retention);
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
