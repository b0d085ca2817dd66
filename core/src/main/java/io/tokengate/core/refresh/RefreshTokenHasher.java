package io.tokengate.core.refresh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.tokengate.core.random.SecureRandoms;

/**
 * Makes refresh tokens and the keyed hashes the store keeps instead of them (RFC 9700 §4.14, standards.md). A token
 * is opaque to clients: base64url of a format byte, its family id, its generation, 256 bits that nobody can guess (random
 * in a family's first token, derived from the predecessor in every later one) and a 128-bit tag, HMAC-SHA-256 over all
 * of that under a key derived from a server secret. So the server recognises any token it ever issued from the token
 * alone — a genuine earlier token of a family is reuse — while anyone without the secret can only make tokens that are
 * merely invalid. The store keeps only the hash of each family's live token: HMAC-SHA-256 under the secret, which has an
 * id so it can rotate (new hashes and tags use the current secret; the older ones still verify). A successor is a keyed
 * function of the token it replaces, so a retried refresh is answered with the same successor without storing it.
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

    /** What a genuine token says about itself: its family and generation, and the secret its tag was made under. */
    public record Decoded(String familyId, long generation, String secretId) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final byte[] SUCCESSOR_LABEL = "tokengate successor v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAG_LABEL = "tokengate tag v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte FORMAT = 2;
    private static final int UNGUESSABLE = 32;
    private static final int TAG = 16;
    /** Format, family-id length, generation, unguessable part and tag: everything but the family id. */
    private static final int FIXED = 1 + 1 + 8 + UNGUESSABLE + TAG;
    /** The longest token: a family id of 255 bytes. */
    public static final int MAX_LENGTH = (FIXED + 255 + 2) / 3 * 4;

    /** The keys derived from one secret: the tag key and the successor key. */
    private record Derived(byte[] tag, byte[] successor) {
    }

    private final Secret current;
    private final Map<String, Secret> byId;
    private final Map<String, Derived> derived;
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
        Map<String, Derived> keys = new LinkedHashMap<>();
        map.forEach((id, secret) -> keys.put(id, new Derived(mac(secret.key, TAG_LABEL), mac(secret.key, SUCCESSOR_LABEL))));
        this.derived = Map.copyOf(keys);
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

    /** The first token of the family {@code familyId} (generation 0): its unguessable part random, its tag under the current secret. */
    public String firstToken(String familyId) {
        return encode(familyId, 0, SecureRandoms.bytes(UNGUESSABLE), derived.get(current.id()));
    }

    /**
     * The token of generation {@code generation} of {@code familyId} that succeeds {@code presentedToken}: its unguessable
     * part HMAC-SHA-256 of the presented token under a key derived from the secret {@code secretId}, its tag under that
     * secret too. The same input gives the same successor, so a client retrying a refresh whose response it lost gets the
     * same token back; without the secret nobody can compute it.
     *
     * @throws IllegalArgumentException if the secret is unknown here
     */
    public String successorOf(String presentedToken, String familyId, long generation, String secretId) {
        Derived keys = derived.get(known(secretId).id());
        return encode(familyId, generation, mac(keys.successor(), presentedToken.getBytes(StandardCharsets.US_ASCII)), keys);
    }

    /**
     * What {@code token} says about itself if this server made it under a secret it still knows: empty for anything
     * else (malformed, another format, a token of an earlier version, a forgery, a tag under a secret since dropped).
     * Reads no store; compares the tag in constant time.
     */
    public Optional<Decoded> decode(String token) {
        if (token == null || token.length() < (FIXED * 4 + 2) / 3 || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = B64_DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length < FIXED || raw[0] != FORMAT || raw.length != FIXED + (raw[1] & 0xff) || !B64.encodeToString(raw).equals(token)) {
            return Optional.empty(); // one spelling per token: the hash is of the characters
        }
        int idLength = raw[1] & 0xff;
        for (Secret s : ordered) {
            byte[] tag = tag(derived.get(s.id()), raw, raw.length - TAG);
            if (MessageDigest.isEqual(tag, Arrays.copyOfRange(raw, raw.length - TAG, raw.length))) {
                String familyId = new String(raw, 2, idLength, StandardCharsets.UTF_8);
                long generation = ByteBuffer.wrap(raw, 2 + idLength, 8).getLong();
                return generation < 0 ? Optional.empty() : Optional.of(new Decoded(familyId, generation, s.id()));
            }
        }
        return Optional.empty();
    }

    /** Whether the secret {@code secretId} is known here. */
    public boolean knows(String secretId) {
        return byId.containsKey(secretId);
    }

    private static String encode(String familyId, long generation, byte[] unguessable, Derived secret) {
        byte[] id = familyId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new IllegalArgumentException("a family id has 1 to 255 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(FIXED + id.length);
        b.put(FORMAT).put((byte) id.length).put(id).putLong(generation).put(unguessable, 0, UNGUESSABLE);
        b.put(tag(secret, b.array(), b.position()));
        return B64.encodeToString(b.array());
    }

    /** The first {@value #TAG} bytes of HMAC-SHA-256 of {@code body[0, length)} under the secret's tag key. */
    private static byte[] tag(Derived secret, byte[] body, int length) {
        return Arrays.copyOf(mac(secret.tag(), Arrays.copyOf(body, length)), TAG);
    }

    private Secret known(String secretId) {
        Secret s = byId.get(secretId);
        if (s == null) {
            throw new IllegalArgumentException("unknown refresh-token secret " + secretId);
        }
        return s;
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
