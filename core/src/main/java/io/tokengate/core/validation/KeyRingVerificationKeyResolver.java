package io.tokengate.core.validation;

import java.security.Key;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;

/**
 * Chooses the verification key by {@code kid} from the in-memory {@link KeyRing} only, and refuses before any
 * signature work a header TokenGate never writes: an algorithm that is not the key's own (the allow-list comes
 * from the key, never from the token), key-carrying or key-locating headers ({@code jwk}, {@code jku},
 * {@code x5u}, {@code x5c} and their thumbprints; none is ever fetched or trusted), {@code crit}, {@code b64},
 * {@code zip} and {@code cty} (nested tokens).
 */
final class KeyRingVerificationKeyResolver implements VerificationKeyResolver {
    /** Header parameters that refuse a token whatever their value. */
    static final Set<String> REFUSED_HEADERS = Set.of("jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "cty");

    private final KeyRing keyRing;

    KeyRingVerificationKeyResolver(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /** Carries the precise reason out through jose4j's exception. */
    static final class Refusal extends UnresolvableKeyException {
        private static final long serialVersionUID = 1L;
        final FailureReason reason;

        Refusal(FailureReason reason) {
            super(reason.description());
            this.reason = reason;
        }
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        if (!nestingContext.isEmpty()) {
            throw new Refusal(FailureReason.NOT_A_JWS);
        }
        String alg = jws.getAlgorithmHeaderValue();
        Optional<SigningAlgorithm> algorithm = SigningAlgorithm.fromJwsName(alg);
        if (algorithm.isEmpty()) {
            throw new Refusal(FailureReason.ALGORITHM_NOT_ALLOWED);
        }
        for (String name : REFUSED_HEADERS) {
            if (jws.getHeaders().getObjectHeaderValue(name) != null) {
                throw new Refusal(FailureReason.UNSUPPORTED_HEADER);
            }
        }
        Optional<SigningKey> key = keyRing.current().verificationKey(jws.getKeyIdHeaderValue(), keyRing.clock().instant());
        if (key.isEmpty()) {
            throw new Refusal(FailureReason.UNKNOWN_KEY);
        }
        if (key.get().algorithm() != algorithm.get()) {
            throw new Refusal(FailureReason.ALGORITHM_NOT_ALLOWED);
        }
        return key.get().publicKey();
    }
}
