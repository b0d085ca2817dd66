package io.tokengate.core.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client secrets are machine-generated (256 random bits) and stored only as their SHA-256 digest, compared in
 * constant time: for random secrets a slow password hash adds nothing and costs milliseconds per request.
 * Run {@code java -cp tokengate-core.jar io.tokengate.core.client.ClientSecrets} to print a new secret and the
 * {@code secret-sha256} value to configure.
 */
public final class ClientSecrets {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ClientSecrets() {
    }

    /** A new secret: 256 random bits, base64url. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** The value stored in the client registry: base64url(SHA-256(secret)). */
    public static String digest(String secret) {
        return B64.encodeToString(sha256(secret));
    }

    /** Whether {@code presented} is the secret whose digest is {@code storedDigest}, in constant time. */
    public static boolean matches(String presented, String storedDigest) {
        if (presented == null || storedDigest == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(storedDigest);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), expected);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints a new secret and its digest. */
    public static void main(String[] args) {
        String secret = generate();
        System.out.println("client secret (give it to the client, store it nowhere else): " + secret);
        System.out.println("secret-sha256 (put this in the client registry):             " + digest(secret));
    }
}
