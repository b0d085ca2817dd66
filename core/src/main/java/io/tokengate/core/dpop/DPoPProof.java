package io.tokengate.core.dpop;

import java.time.Instant;
import java.util.Objects;

/**
 * A DPoP proof that passed every check of RFC 9449 §4.3 for one request.
 *
 * @param jkt the JWK SHA-256 thumbprint (RFC 7638) of the proof's public key: what tokens are bound to ({@code cnf.jkt})
 * @param jti the proof's unique id, now used
 * @param iat when the client made it
 */
public record DPoPProof(String jkt, String jti, Instant iat) {
    public DPoPProof {
        Objects.requireNonNull(jkt, "jkt");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(iat, "iat");
    }
}
