package io.tokengate.core.refresh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.tokengate.core.random.SecureRandoms;

/**
 * Makes refresh tokens and the keyed hashes the store keeps instead of them (RFC 9700 §4.14, standards.md):
 * a token is 256 random bits, base64url; its hash is HMAC-SHA-256 under a server secret that has an id, so the
 * secret can rotate: new hashes use the current secret, lookups also try the older ones. A successor token is
 * derived from the token it replaces with a second keyed function, so a retried refresh can be answered with
 * the same successor without the successor ever being stored.
 */
public final class RefreshTokenHasher {
    /** One hashing secret: its id and at least 256 bits of key. */
    public record Secret(String id, byte[] key) {
        public Secret {
            Objects.requireNonNull(id, "id");
            if (id.isEmpty() || key == null || key.length < 32) {
                throw new IllegalArgumentException("a refresh-token secret needs an id and at least 32 bytes of key");
            }
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "Secret[id=" + id + "]";
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] SUCCESSOR_LABEL = "tokengate successor v1".getBytes(StandardCharsets.US_ASCII);

    private final Secret current;
    private final Map<String, Secret> byId;
    /** Current secret first, then the older ones in the order given. */
    private final List<Secret> ordered;

    /**
     * @param current the secret new hashes use
     * @param older   earlier secrets, still used to find tokens hashed under them
     */
    public RefreshTokenHasher(Secret current, List<Secret> older) {
        this.current = Objects.requireNonNull(current, "current");
        Map<String, Secret> map = new LinkedHashMap<>();
        map.put(current.id(), current);
        for (Secret s : older) {
            if (map.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("two refresh-token secrets share the id " + s.id());
            }
        }
        this.byId = Map.copyOf(map);
        this.ordered = List.copyOf(map.values());
    }

    /** A new random secret, for development and for generating a configuration value. */
    public static Secret generateSecret(String id) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new Secret(id, key);
    }

    public String currentSecretId() {
        return current.id();
    }

    /** A new token: 256 random bits, base64url (43 characters). */
    public String newToken() {
        return B64.encodeToString(SecureRandoms.bytes(32));
    }

    /** The hash of {@code token} under the current secret. */
    public String hash(String token) {
        return hash(token, current);
    }

    /** The hash of {@code token} under the secret {@code secretId}, or null if that secret is unknown. */
    public String hash(String token, String secretId) {
        Secret s = byId.get(secretId);
        return s == null ? null : hash(token, s);
    }

    /** Every hash the token may be stored under: current secret first. */
    public List<String> candidateHashes(String token) {
        if (byId.size() == 1) {
            return List.of(hash(token, current));
        }
        return ordered.stream().map(s -> hash(token, s)).toList();
    }

    /** Constant-time comparison of two hashes. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The successor of {@code presentedToken}: a keyed function of it (HMAC-SHA-256 under a key derived from the
     * secret {@code secretId}), 256 bits, base64url. The same input gives the same successor, so a client retrying
     * a refresh whose response it lost gets the same token back; without the secret nobody can compute it.
     */
    public String successorOf(String presentedToken, String secretId) {
        Secret s = byId.get(secretId);
        if (s == null) {
            throw new IllegalArgumentException("unknown refresh-token secret " + secretId);
        }
        byte[] derivationKey = mac(s.key, SUCCESSOR_LABEL);
        return B64.encodeToString(mac(derivationKey, presentedToken.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String hash(String token, Secret secret) {
        return B64.encodeToString(mac(secret.key, token.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
