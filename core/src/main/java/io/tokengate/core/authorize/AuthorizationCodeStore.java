package io.tokengate.core.authorize;

import java.time.Instant;

/**
 * Storage of authorization codes, by their keyed hash. Every method is atomic; {@link #redeem} is a compare-and-set: of
 * N concurrent redemptions of one code, on one server or many, exactly one gets {@link CodeRedemption.Redeemed}, every
 * other {@link CodeRedemption.Replayed}. A used code is kept until it expires and a while after, so that a replay is
 * recognised. Implementations pass {@code AuthorizationCodeStoreContract} (core test jar).
 */
public interface AuthorizationCodeStore {

    /** Stores a new code. */
    void save(AuthorizationCode code);

    /** Uses the code with this hash at {@code now}, if it is live. */
    CodeRedemption redeem(String codeHash, Instant now);

    /** Records the family the code's redemption issued, so that a replay can revoke it. */
    void recordFamily(String codeHash, String familyId);

    /** Deletes up to {@code batchSize} codes that expired before {@code before}; how many. */
    int deleteExpired(Instant before, int batchSize);
}
