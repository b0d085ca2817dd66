package io.tokengate.core.keys;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.tokengate.core.json.StrictJson;

/**
 * Reads another issuer's JWK Set (RFC 7517 §5) into a {@link KeySet#published published} key set: the signature keys
 * ({@code use} absent or {@code sig}) with a {@code kid}, whose algorithm is one TokenGate verifies (RS256, PS256,
 * ES256, EdDSA: the allow-list) — {@code alg} as published, or, without one, RS256 for RSA, ES256 for EC P-256 and
 * EdDSA for Ed25519; {@code key_ops}, when present, must allow {@code verify}. Every other entry (symmetric keys,
 * encryption keys, other algorithms, weak RSA, every entry of a repeated {@code kid}) is left out, never an error: an
 * issuer may publish keys for others.
 */
final class PublishedKeys {
    private PublishedKeys() {
    }

    /** @throws KeySetException when the document is not a JWK Set */
    static KeySet parse(String json) {
        Map<String, Object> set;
        try {
            set = StrictJson.parseObject(json);
        } catch (StrictJson.MalformedJson e) {
            throw new KeySetException("the JWKS is not a JSON object: " + e.getMessage());
        }
        if (!(set.get("keys") instanceof List<?> entries)) {
            throw new KeySetException("the JWKS has no \"keys\" array");
        }
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> jwk && jwk.get("kid") instanceof String kid && !seen.add(kid)) {
                repeated.add(kid); // ambiguous: none of the entries of that kid is taken
            }
        }
        List<SigningKey> keys = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> jwk && !repeated.contains(jwk.get("kid"))) {
                key(jwk).ifPresent(keys::add);
            }
        }
        return KeySet.published(keys);
    }

    @SuppressWarnings("unchecked")
    private static Optional<SigningKey> key(Map<?, ?> jwk) {
        Object kid = jwk.get("kid");
        Object use = jwk.get("use");
        Object ops = jwk.get("key_ops");
        if (!(kid instanceof String) || ((String) kid).isEmpty() || (use != null && !"sig".equals(use))
                || (ops != null && !(ops instanceof List<?> list && list.contains("verify")))) {
            return Optional.empty();
        }
        PublicKey publicKey;
        try {
            publicKey = PublicJsonWebKey.Factory.newPublicJwk((Map<String, Object>) jwk).getPublicKey();
        } catch (JoseException | RuntimeException e) {
            return Optional.empty(); // a symmetric key, an unknown kty, a malformed member
        }
        Object alg = jwk.get("alg");
        try {
            Optional<SigningAlgorithm> algorithm = alg instanceof String ? SigningAlgorithm.fromJwsName((String) alg)
                    : alg == null ? Optional.of(SigningAlgorithm.forKey(publicKey, SigningAlgorithm.RS256)) : Optional.empty();
            return algorithm.filter(a -> a.fits(publicKey)).map(a -> SigningKey.published((String) kid, a, publicKey));
        } catch (KeySetException | IllegalArgumentException e) {
            return Optional.empty(); // weak RSA, an unsupported curve
        }
    }
}
