package io.tokengate.core.authorize;

/** What redeeming an authorization code came to: exactly one redemption of a code ever gets {@link Redeemed}. */
public sealed interface CodeRedemption permits CodeRedemption.Redeemed, CodeRedemption.Replayed, CodeRedemption.Expired,
        CodeRedemption.Unknown {

    /** The code was live and is now used; its bindings are to be checked before anything is issued. */
    record Redeemed(AuthorizationCode code) implements CodeRedemption {
    }

    /**
     * The code was used before: a replay (RFC 6749 §4.1.2). {@code familyId} is the family its first redemption issued
     * (null if none was recorded yet): revoke it.
     */
    record Replayed(AuthorizationCode code, String familyId) implements CodeRedemption {
    }

    /** The code's 60 seconds have passed; nothing changed. */
    record Expired() implements CodeRedemption {
    }

    /** No such code (never issued here, or cleaned up). */
    record Unknown() implements CodeRedemption {
    }
}
