package io.tokengate.core.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.Use;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/**
 * One asymmetric key of a {@link KeySet}: its algorithm, its public key and, for keys that may sign,
 * its private key. The {@code kid} of TokenGate's own keys is the RFC 7638 JWK thumbprint (SHA-256, base64url)
 * of the public key, so the same key has the same {@code kid} on every server and after every restart; a key
 * another issuer publishes keeps that issuer's {@code kid} ({@link #published}). Immutable.
 */
public final class SigningKey {
    private final String kid;
    private final SigningAlgorithm algorithm;
    private final PublicKey publicKey;
    private final PrivateKey privateKey;

    private SigningKey(String kid, SigningAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /**
     * A key that can sign (and verify).
     *
     * @throws KeySetException if the key does not fit the algorithm
     */
    public static SigningKey of(SigningAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        SigningKey key = create(algorithm, publicKey, privateKey);
        key.checkPair();
        return key;
    }

    /** Signs and verifies a probe, so a private key paired with another key's public part fails at load, not per request. */
    private void checkPair() {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload("tokengate key pair check");
            jws.setAlgorithmHeaderValue(algorithm.jwsName());
            jws.setKey(privateKey);
            String compact = jws.getCompactSerialization();
            JsonWebSignature check = new JsonWebSignature();
            check.setCompactSerialization(compact);
            check.setKey(publicKey);
            if (!check.verifySignature()) {
                throw new KeySetException("the private key does not belong to the public key " + kid);
            }
        } catch (JoseException e) {
            throw new KeySetException("key " + kid + " cannot sign with " + algorithm.jwsName() + ": " + e.getMessage(), e);
        }
    }

    /** A key that can only verify, for a previous key whose private part is gone. */
    public static SigningKey verifyOnly(SigningAlgorithm algorithm, PublicKey publicKey) {
        return create(algorithm, publicKey, null);
    }

    /**
     * A key another issuer publishes in its JWKS, under the {@code kid} it gives it (any string: not necessarily a
     * thumbprint); it only verifies.
     */
    public static SigningKey published(String kid, SigningAlgorithm algorithm, PublicKey publicKey) {
        Objects.requireNonNull(kid, "kid");
        SigningKey checked = create(algorithm, publicKey, null);
        return new SigningKey(kid, checked.algorithm, checked.publicKey, null);
    }

    private static SigningKey create(SigningAlgorithm algorithm, PublicKey publicKey, PrivateKey privateKey) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!algorithm.fits(publicKey)) {
            throw new KeySetException("a " + publicKey.getAlgorithm() + " key cannot sign with " + algorithm.jwsName()
                    + " (RS256/PS256 need RSA of 2048 bits or more, ES256 an EC P-256 key, EdDSA an Ed25519 key)");
        }
        return new SigningKey(thumbprint(publicKey), algorithm, publicKey, privateKey);
    }

    /** The RFC 7638 thumbprint (SHA-256, base64url) of a public key: the {@code kid} TokenGate uses. */
    public static String thumbprint(PublicKey publicKey) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(publicKey).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
        } catch (JoseException e) {
            throw new KeySetException("cannot compute the JWK thumbprint of a " + publicKey.getAlgorithm() + " key", e);
        }
    }

    public String kid() {
        return kid;
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The private key, absent for verify-only keys. */
    public Optional<PrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    public boolean canSign() {
        return privateKey != null;
    }

    /** The public JWK (RFC 7517) of this key with {@code kid}, {@code alg} and {@code use: sig}; never private parts. */
    public PublicJsonWebKey toPublicJwk() {
        return toJwk(false);
    }

    /** The JWK with private parts, for persisting a managed key set only. */
    PublicJsonWebKey toPrivateJwk() {
        return toJwk(true);
    }

    private PublicJsonWebKey toJwk(boolean withPrivate) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
            if (withPrivate && privateKey != null) {
                jwk.setPrivateKey(privateKey);
            }
            jwk.setKeyId(kid);
            jwk.setAlgorithm(algorithm.jwsName());
            jwk.setUse(Use.SIGNATURE);
            return jwk;
        } catch (JoseException e) {
            throw new KeySetException("cannot express key " + kid + " as a JWK", e);
        }
    }

    /** The public JWK as JSON. */
    public String toPublicJwkJson() {
        return toPublicJwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey && ((SigningKey) o).kid.equals(kid) && ((SigningKey) o).algorithm == algorithm;
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }

    /** Names the key without showing any of its material. */
    @Override
    public String toString() {
        return "SigningKey[" + algorithm.jwsName() + " kid=" + kid + (canSign() ? "" : " verify-only") + "]";
    }
}
