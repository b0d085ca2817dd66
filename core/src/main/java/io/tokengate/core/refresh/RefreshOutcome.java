package io.tokengate.core.refresh;

/**
 * What a refresh came to: a new pair, or a rejection with its reason. The lifecycle speaks no protocol; the token
 * endpoint turns a rejection into its RFC 6749 §5.2 error.
 */
public sealed interface RefreshOutcome permits RefreshOutcome.Refreshed, RefreshOutcome.Rejected {

    /** The refresh rotated the token (or, inside the retry window, answered with the same successor again). */
    record Refreshed(TokenPair pair) implements RefreshOutcome {
    }

    /** The refresh was refused; nothing was issued. */
    record Rejected(Reason reason) implements RefreshOutcome {
    }

    /** Why a refresh was refused; the description is safe to send to the client. */
    enum Reason {
        /** Not a token of this server (never issued, or long deleted). */
        UNKNOWN("The refresh token is invalid"),
        /** A token of another client: refused, and nothing of that client's session is touched. */
        ANOTHER_CLIENT("The refresh token was issued to another client"),
        REVOKED("The refresh token was revoked"),
        EXPIRED("The refresh token expired"),
        /** A rotated token came back outside the retry window: its family has just been revoked. */
        REUSED("The refresh token was already used; its session has been revoked"),
        /** The requested scope is wider than the grant's; nothing was consumed. */
        SCOPE_EXCEEDS_GRANT("The requested scope exceeds the scope granted"),
        /** The family is bound to a DPoP key (RFC 9449 §5) and the request had no proof of it; nothing was consumed. */
        DPOP_KEY_REQUIRED("The refresh token is bound to a DPoP key; send a DPoP proof of that key"),
        /** Another server hashes with a secret this one does not know yet (a roll-out in progress): try again. */
        SECRET_UNKNOWN_HERE("The token service is temporarily unavailable; try again later");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    static Rejected rejected(Reason reason) {
        return new Rejected(reason);
    }
}
