package io.tokengate.core.authorize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Proof Key for Code Exchange (RFC 7636) as RFC 9700 §2.1.1 wants it: only {@code S256}; {@code plain} is refused, since
 * it protects nothing once the authorization request is seen. A challenge is the base64url SHA-256 of a verifier of 43 to
 * 128 unreserved characters (§4.1); a verifier matches its challenge compared in constant time.
 */
public final class Pkce {
    /** The one method accepted ({@code code_challenge_methods_supported}). */
    public static final String S256 = "S256";
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    /**
     * Whether an authorization request's {@code code_challenge} and {@code code_challenge_method} are acceptable: method
     * {@code S256} (a missing method means {@code plain}, RFC 7636 §4.3, so it is refused too) and a challenge of the
     * shape of a base64url SHA-256.
     */
    public static boolean acceptableChallenge(String challenge, String method) {
        return S256.equals(method) && challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    /** Whether {@code verifier} (the token request's {@code code_verifier}) is the one behind {@code challenge}. */
    public static boolean matches(String verifier, String challenge) {
        if (verifier == null || challenge == null || !VERIFIER.matcher(verifier).matches()) {
            return false;
        }
        return MessageDigest.isEqual(challengeOf(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }

    /** The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))), no padding. */
    public static String challengeOf(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
