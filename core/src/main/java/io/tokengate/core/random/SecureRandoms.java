package io.tokengate.core.random;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One cryptographically strong generator per thread, for the values minted on every request (refresh tokens, family
 * ids, {@code jti}s, IVs). A shared {@code SecureRandom} serialises every thread on one lock — on Linux the default
 * {@code NativePRNG} on a lock global to the JVM — which the refresh benchmark saw as the busiest monitor on the grant
 * path; a generator of each thread's own is never contended. Each is a {@code DRBG} (NIST SP 800-90A, seeded from the
 * operating system's entropy when the thread first asks), or the platform default where that is not available.
 */
public final class SecureRandoms {
    private static final ThreadLocal<SecureRandom> PER_THREAD = ThreadLocal.withInitial(SecureRandoms::newGenerator);

    private SecureRandoms() {
    }

    /** This thread's generator: use it on this thread only, never keep it in a field. */
    public static SecureRandom current() {
        return PER_THREAD.get();
    }

    /** {@code n} random bytes from this thread's generator. */
    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        PER_THREAD.get().nextBytes(b);
        return b;
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
