package io.tokengate.core.dpop;

/** What the check of a DPoP proof came to: the proof, or why it was refused (error {@code invalid_dpop_proof}, RFC 9449 §12.3). */
public sealed interface DPoPCheck permits DPoPCheck.Passed, DPoPCheck.Refused {

    /** Every check passed; the proof's {@code jti} is now used. */
    record Passed(DPoPProof proof) implements DPoPCheck {
    }

    /** Refused; nothing was recorded. */
    record Refused(Reason reason) implements DPoPCheck {
    }

    /** Why a proof was refused; the description is safe to send to the client. */
    enum Reason {
        MALFORMED("The DPoP proof is not a signed JWT"),
        WRONG_TYPE("The DPoP proof's typ is not dpop+jwt"),
        ALGORITHM_NOT_ALLOWED("The DPoP proof's alg is not an allowed asymmetric algorithm"),
        BAD_KEY("The DPoP proof's jwk is not a public key of a supported type"),
        PRIVATE_KEY("The DPoP proof's jwk contains private key material"),
        BAD_SIGNATURE("The DPoP proof's signature does not verify with its jwk"),
        MISSING_CLAIM("The DPoP proof lacks jti, htm, htu or iat"),
        WRONG_METHOD("The DPoP proof's htm is not this request's method"),
        WRONG_URI("The DPoP proof's htu is not this request's URI"),
        STALE("The DPoP proof's iat is outside the accepted window"),
        WRONG_ACCESS_TOKEN_HASH("The DPoP proof's ath does not match the access token"),
        REPLAYED("The DPoP proof was already used");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }
}
