package io.tokengate.core.validation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Signature;

import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;

/** Checks the signature of a compact JWS with the JCA, in the verification key's own algorithm. */
final class SignatureVerifier {
    /** The order n of P-256: an ECDSA r or s outside [1, n - 1] is refused before the JCA sees it (CVE-2022-21449). */
    private static final BigInteger P256_ORDER = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    /** One JCA engine per algorithm and thread, initialised anew for each token: no provider lookup per request. */
    private static final ThreadLocal<Signature[]> ENGINES = ThreadLocal.withInitial(() -> new Signature[SigningAlgorithm.values().length]);

    private SignatureVerifier() {
    }

    /** Refuses with {@link FailureReason#BAD_SIGNATURE} unless the signature part signs everything before the second dot. */
    static void verify(SigningKey key, byte[] token, int secondDot) throws Refusal {
        ByteBuffer signature = CompactJws.signature(token, secondDot);
        byte[] sig = signature.array();
        int sigLength = signature.remaining();
        if (key.algorithm() == SigningAlgorithm.ES256 && !ecdsaInRange(sig, sigLength)) {
            throw new Refusal(FailureReason.BAD_SIGNATURE);
        }
        boolean valid;
        try {
            Signature engine = engine(key.algorithm());
            engine.initVerify(key.publicKey());
            engine.update(token, 0, secondDot);
            valid = engine.verify(sig, signature.arrayOffset() + signature.position(), sigLength);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false; // e.g. a signature of the wrong length
        }
        if (!valid) {
            throw new Refusal(FailureReason.BAD_SIGNATURE);
        }
    }

    private static Signature engine(SigningAlgorithm algorithm) throws GeneralSecurityException {
        Signature[] engines = ENGINES.get();
        Signature engine = engines[algorithm.ordinal()];
        if (engine == null) {
            engine = algorithm.newSignature();
            engines[algorithm.ordinal()] = engine;
        }
        return engine;
    }

    /** r and s of a 64-byte ES256 signature each in [1, n - 1]. */
    static boolean ecdsaInRange(byte[] sig, int length) {
        if (length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, sig, 0, 32);
        BigInteger s = new BigInteger(1, sig, 32, 32);
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(P256_ORDER) < 0 && s.compareTo(P256_ORDER) < 0;
    }
}
