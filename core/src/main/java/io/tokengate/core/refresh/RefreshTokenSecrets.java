package io.tokengate.core.refresh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;

/**
 * The secrets of the refresh-token hashes ({@code tokengate.refresh-token-secrets}, current first), or, for a
 * generated key set without them, one secret generated once and kept owner-only beside the keys, its id dated by
 * the clock.
 */
public final class RefreshTokenSecrets {
    /** The file of a generated secret, in the keys directory. */
    public static final String FILE_NAME = "tokengate-refresh-secret.txt";

    private RefreshTokenSecrets() {
    }

    /**
     * The configured secrets ({@code id:base64url-key} each).
     *
     * @throws ConfigurationException naming {@code tokengate.refresh-token-secrets}
     */
    public static List<RefreshTokenHasher.Secret> parse(List<String> entries) {
        List<RefreshTokenHasher.Secret> out = new ArrayList<>();
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
        return List.copyOf(out);
    }

    /** The generated secret in {@code directory}: read, or made once (owner-only, written atomically). */
    public static RefreshTokenHasher.Secret generated(Path directory, Clock clock) {
        Path file = directory.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(":", 2);
                return new RefreshTokenHasher.Secret(parts[0], Base64.getUrlDecoder().decode(parts[1]));
            }
            RefreshTokenHasher.Secret secret = RefreshTokenHasher.generateSecret("generated-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, "secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, secret.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret.key()),
                    StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(Setting.REFRESH_TOKEN_SECRETS, "cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}
