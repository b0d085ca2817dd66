package io.tokengate.core.revocation;

import java.time.Instant;
import java.util.List;

/**
 * Where the cuts of the revocation registry are kept across restarts, so a server whose registry lives in memory
 * does not forget them when it stops ({@link DurableRevocationRegistry}). The refresh-token stores implement it on
 * the same database.
 */
public interface RevocationStore {

    /**
     * Keeps a cut. A cut of the same kind and key replaces the stored one when its {@code at} is later; otherwise
     * nothing changes.
     */
    void saveRevocation(Revocation revocation);

    /** The stored cuts that still matter at {@code now} ({@code dropAt} after it): what a server re-applies at start. */
    List<Revocation> liveRevocations(Instant now);

    /** Deletes up to {@code batchSize} cuts that stopped mattering ({@code dropAt} at or before {@code now}); returns how many. */
    int deleteExpiredRevocations(Instant now, int batchSize);
}
