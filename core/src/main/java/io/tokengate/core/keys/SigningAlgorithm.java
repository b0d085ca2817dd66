package io.tokengate.core.keys;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;
import java.util.Optional;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;

/**
 * The JWS algorithms a TokenGate key set can sign with (RFC 7518 §3, RFC 8037 §3.1).
 * Symmetric and "none" algorithms are deliberately absent: a validator can only ever accept these.
 */
public enum SigningAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256; the default. */
    RS256(AlgorithmIdentifiers.RSA_USING_SHA256, "RSA"),
    /** RSASSA-PSS with SHA-256 and MGF1 with SHA-256. */
    PS256(AlgorithmIdentifiers.RSA_PSS_USING_SHA256, "RSA"),
    /** ECDSA on P-256 with SHA-256. */
    ES256(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "EC"),
    /** EdDSA with Ed25519. */
    EdDSA(AlgorithmIdentifiers.EDDSA, "Ed25519");

    /** The default algorithm of a generated key set. */
    public static final SigningAlgorithm DEFAULT = RS256;

    private final String jwsName;
    private final String keyFamily;

    SigningAlgorithm(String jwsName, String keyFamily) {
        this.jwsName = jwsName;
        this.keyFamily = keyFamily;
    }

    /** The value of the JWS {@code alg} header. */
    public String jwsName() {
        return jwsName;
    }

    /**
     * A new JCA engine that signs and verifies in this algorithm's JWS signature format: PKCS#1 v1.5 and PSS (salt of
     * 32 bytes) with SHA-256, ECDSA with the 64-byte {@code r || s} of RFC 7518 §3.4, Ed25519 (RFC 8037 §3.1). Not
     * thread-safe, as every JCA engine.
     */
    public Signature newSignature() throws GeneralSecurityException {
        switch (this) {
            case RS256:
                return Signature.getInstance("SHA256withRSA");
            case PS256:
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                return pss;
            case ES256:
                return Signature.getInstance("SHA256withECDSAinP1363Format");
            case EdDSA:
                return Signature.getInstance("Ed25519");
            default:
                throw new IllegalStateException("no JCA engine for " + this);
        }
    }

    /** Looks an algorithm up by its exact JWS name (case-sensitive, as JWS requires). */
    public static Optional<SigningAlgorithm> fromJwsName(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.jwsName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a configured algorithm name (case-insensitive, so "eddsa" and "rs256" work in config files).
     *
     * @throws KeySetException naming the accepted values when the name is unknown
     */
    public static SigningAlgorithm parse(String configured) {
        if (configured != null) {
            String wanted = configured.trim().toUpperCase(Locale.ROOT);
            for (SigningAlgorithm a : values()) {
                if (a.jwsName.toUpperCase(Locale.ROOT).equals(wanted)) {
                    return a;
                }
            }
        }
        throw new KeySetException("unknown signing algorithm '" + configured + "'; use one of RS256, PS256, ES256, EdDSA");
    }

    /** Whether {@code key} is of the type this algorithm signs with (RSA ≥ 2048 bits, EC P-256, Ed25519). */
    public boolean fits(Key key) {
        switch (keyFamily) {
            case "RSA":
                return key instanceof RSAKey && ((RSAKey) key).getModulus().bitLength() >= 2048;
            case "EC":
                if (!(key instanceof ECKey)) {
                    return false;
                }
                ECParameterSpec params = ((ECKey) key).getParams();
                return params != null && params.getCurve().equals(EllipticCurves.P256.getCurve());
            default:
                String alg = key.getAlgorithm();
                return "Ed25519".equalsIgnoreCase(alg) || ("EdDSA".equalsIgnoreCase(alg) && isEd25519(key));
        }
    }

    private static boolean isEd25519(Key key) {
        if (key instanceof EdECKey) {
            return "Ed25519".equalsIgnoreCase(((EdECKey) key).getParams().getName());
        }
        return false;
    }

    /**
     * The algorithm a key signs with when none is configured: RSA keys get {@code rsaDefault}
     * (RS256 or PS256), EC P-256 keys ES256, Ed25519 keys EdDSA.
     */
    public static SigningAlgorithm forKey(Key key, SigningAlgorithm rsaDefault) {
        if (key instanceof RSAKey) {
            SigningAlgorithm rsa = rsaDefault == PS256 ? PS256 : RS256;
            if (!rsa.fits(key)) {
                throw new KeySetException("RSA keys must have at least 2048 bits");
            }
            return rsa;
        }
        for (SigningAlgorithm a : new SigningAlgorithm[] {ES256, EdDSA}) {
            if (a.fits(key)) {
                return a;
            }
        }
        throw new KeySetException("unsupported key type " + key.getAlgorithm()
                + "; use RSA (2048 bits or more), EC P-256 or Ed25519");
    }
}
