package io.tokengate.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import io.tokengate.core.random.SecureRandoms;

/**
 * Encrypts a shared key set for the database and decrypts it again: AES-256-GCM under a key-encryption key, the
 * issuer and the record's version as associated data (a record copied to another issuer's row, or written back under
 * another version, does not open). The sealed form is
 * {@code v1.<kek id>.<iv>.<ciphertext>} (base64url), so several key-encryption keys can be configured while one
 * replaces another: the first seals, any of them opens.
 */
public final class KeySealer {
    private static final String PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A key-encryption key and its id (written beside each sealed record, so the right one opens it). */
    public record Kek(String id, SecretKey key) {
        public Kek {
            Objects.requireNonNull(id, "id");
            if (id.isEmpty() || !id.matches("[A-Za-z0-9_-]+")) {
                throw new KeySetException("a key-encryption key id is letters, digits, '-' and '_': '" + id + "'");
            }
            if (key.getEncoded() == null || key.getEncoded().length != 32) {
                throw new KeySetException("the key-encryption key " + id + " must be 32 bytes (AES-256)");
            }
        }

        /** From {@code id:base64url} of 32 bytes, as a setting gives it. */
        public static Kek parse(String entry) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new KeySetException("each key-encryption key is id:base64url of 32 bytes");
            }
            byte[] bytes;
            try {
                bytes = Base64.getUrlDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new KeySetException("the key-encryption key " + entry.substring(0, colon) + " is not base64url");
            }
            return new Kek(entry.substring(0, colon), new SecretKeySpec(bytes, "AES"));
        }
    }

    private final Map<String, Kek> keks = new LinkedHashMap<>();
    private final Kek current;
    private final String issuer;

    /** @param keks the current key-encryption key first, then older ones that still open records */
    public KeySealer(List<Kek> keks, String issuer) {
        if (keks.isEmpty()) {
            throw new KeySetException("no key-encryption key");
        }
        for (Kek k : keks) {
            if (this.keks.putIfAbsent(k.id(), k) != null) {
                throw new KeySetException("the key-encryption key id " + k.id() + " is given twice");
            }
        }
        this.current = keks.get(0);
        this.issuer = issuer;
    }

    /** The id of the key-encryption key that seals. */
    public String currentId() {
        return current.id();
    }

    /** The id of the key-encryption key that sealed {@code sealed}. */
    static String idOf(String sealed) {
        String[] parts = sealed.split("\\.");
        return parts.length == 4 ? parts[1] : "";
    }

    private byte[] associatedData(long version) {
        return ("tokengate-key-set\n" + issuer + "\n" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** Seals {@code plaintext} as the record of {@code version}. */
    public String seal(String plaintext, long version) {
        byte[] iv = SecureRandoms.bytes(IV_BYTES);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(associatedData(version));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return PREFIX + "." + current.id() + "." + b64.encodeToString(iv) + "." + b64.encodeToString(ct);
        } catch (GeneralSecurityException e) {
            throw new KeySetException("cannot encrypt the key set: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the record stored as {@code version}.
     *
     * @throws KeySetException when no configured key-encryption key opens it (wrong key, another issuer's, altered, or
     *         written back under another version)
     */
    public String open(String sealed, long version) {
        String[] parts = sealed.split("\\.");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw new KeySetException("the stored key set is not a sealed TokenGate key set");
        }
        Kek kek = keks.get(parts[1]);
        if (kek == null) {
            throw new KeySetException("the stored key set is sealed with key-encryption key " + parts[1]
                    + ", which is not configured (configured: " + String.join(", ", keks.keySet()) + ")");
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek.key(), new GCMParameterSpec(TAG_BITS, b64.decode(parts[2])));
            c.updateAAD(associatedData(version));
            return new String(c.doFinal(b64.decode(parts[3])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeySetException("the key-encryption key " + parts[1] + " does not open the stored key set: a different key under"
                    + " that id, another issuer's record, an altered one, or an older record written back under a newer version");
        }
    }
}
