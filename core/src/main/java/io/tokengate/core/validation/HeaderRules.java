package io.tokengate.core.validation;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.token.AccessTokenIssuer;

/**
 * The JOSE header rules (RFC 8725 §3.1, RFC 9068 §4): the algorithm must be one TokenGate signs with and the very one
 * of the key found by {@code kid} in the current key set, never the token's choice; no header that carries, locates
 * or constrains keys, and none of nesting; {@code typ} {@code at+jwt}, also {@code JWT} while the migration switch is on.
 */
final class HeaderRules {
    /** Header parameters that refuse a token whatever their value: key-carrying or key-locating, {@code crit}, and nesting. */
    static final Set<String> REFUSED_HEADERS = Set.of("jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "cty");

    private final Set<String> types;

    HeaderRules(boolean acceptJwtType) {
        this.types = acceptJwtType ? Set.of(AccessTokenIssuer.TYPE, "application/" + AccessTokenIssuer.TYPE, "JWT")
                : Set.of(AccessTokenIssuer.TYPE, "application/" + AccessTokenIssuer.TYPE);
    }

    /** The key that verifies a token with this header, once the header passed every rule. */
    SigningKey verificationKey(Map<String, Object> header, KeySet keys, Instant now) throws Refusal {
        SigningAlgorithm algorithm = algorithm(header);
        refuseKeyAndNestingHeaders(header);
        SigningKey key = key(header, keys, now);
        if (key.algorithm() != algorithm) {
            throw new Refusal(FailureReason.ALGORITHM_NOT_ALLOWED);
        }
        checkType(header);
        return key;
    }

    private static SigningAlgorithm algorithm(Map<String, Object> header) throws Refusal {
        Object alg = header.get("alg");
        SigningAlgorithm algorithm = alg instanceof String ? SigningAlgorithm.fromJwsName((String) alg).orElse(null) : null;
        if (algorithm == null) {
            throw new Refusal(FailureReason.ALGORITHM_NOT_ALLOWED);
        }
        return algorithm;
    }

    private static void refuseKeyAndNestingHeaders(Map<String, Object> header) throws Refusal {
        for (String name : REFUSED_HEADERS) {
            if (header.containsKey(name)) {
                throw new Refusal(FailureReason.UNSUPPORTED_HEADER);
            }
        }
    }

    private static SigningKey key(Map<String, Object> header, KeySet keys, Instant now) throws Refusal {
        Object kid = header.get("kid");
        SigningKey key = kid instanceof String ? keys.verificationKey((String) kid, now).orElse(null) : null;
        if (key == null) {
            throw new Refusal(FailureReason.UNKNOWN_KEY);
        }
        return key;
    }

    /** Media type names compare case-insensitively (RFC 9068 §4, RFC 7515 §4.1.9). */
    private void checkType(Map<String, Object> header) throws Refusal {
        Object typ = header.get("typ");
        if (typ instanceof String) {
            for (String accepted : types) {
                if (accepted.equalsIgnoreCase((String) typ)) {
                    return;
                }
            }
        }
        throw new Refusal(FailureReason.WRONG_TYPE);
    }
}
