package io.tokengate.core.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the cuts of the revocation registry are kept across restarts, so a server whose registry lives in memory
 * does not forget them when it stops ({@link DurableRevocationRegistry}). The refresh-token stores implement it on
 * the same database.
 */
public interface RevocationStore {

    /**
     * Keeps a cut of an access token or a subject (a family's revocation is its own record). A cut of the same kind
     * and key replaces the stored one when its {@code at} is later; otherwise nothing changes.
     */
    void saveRevocation(Revocation revocation);

    /**
     * What a server re-applies at start: the stored cuts that still matter at {@code now} ({@code dropAt} after it),
     * and a {@link Revocation.Kind#FAMILY} cut for every refresh-token family revoked within {@code notBeforeLife}
     * before {@code now} — a family's revocation is kept by its own record, written with it.
     *
     * @param notBeforeLife how long a "not before" cut matters: the longest access-token lifetime plus the clock skew
     */
    List<Revocation> liveRevocations(Instant now, Duration notBeforeLife);

    /** Deletes up to {@code batchSize} cuts that stopped mattering ({@code dropAt} at or before {@code now}); returns how many. */
    int deleteExpiredRevocations(Instant now, int batchSize);
}
