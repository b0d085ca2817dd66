package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.revocation.RevocationStore;

/**
 * Storage of refresh-token families, the keyed hashes of their tokens, and the cuts of the revocation registry
 * (so they outlive a restart). Implementations: in memory ({@link InMemoryRefreshTokenStore}) and JPA
 * ({@code io.tokengate.core.refresh.jpa}); every implementation must pass the store contract suite
 * ({@code RefreshTokenStoreContract} in the core test jar).
 *
 * <p>Every method is atomic and runs in its own transaction (a read after a lost compare-and-set must see the
 * winner's write, not an older snapshot): it either completes or changes nothing and throws
 * {@link StoreUnavailableException}. {@link #rotate} is a compare-and-set: of N concurrent calls for one token,
 * on one server or many, exactly one returns {@link RotationResult#ROTATED} — the callers may all pass the same
 * successor hash, since the successor is derived from the presented token. Instants are kept with at least
 * millisecond precision; strings as given (user agents up to 512 characters, Unicode groups).
 */
public interface RefreshTokenStore extends RevocationStore {

    /** Stores a new family with its first token. */
    void createFamily(RefreshTokenFamily family, RefreshTokenRecord firstToken);

    Optional<RefreshTokenRecord> findToken(String tokenHash);

    Optional<RefreshTokenFamily> findFamily(String familyId);

    /** A token record and its family (null when the family is gone), as one read of the store. */
    record TokenAndFamily(RefreshTokenRecord token, RefreshTokenFamily family) {
    }

    /**
     * The token with this hash and its family, in one read where the store can (the refresh path calls this once
     * per grant). The default reads the two one after the other.
     */
    default Optional<TokenAndFamily> findTokenAndFamily(String tokenHash) {
        return findToken(tokenHash).map(t -> new TokenAndFamily(t, findFamily(t.familyId()).orElse(null)));
    }

    /**
     * Atomically: if the token {@code presentedHash} is {@link TokenState#ACTIVE} and its family is
     * {@link FamilyState#ACTIVE}, mark it {@link TokenState#ROTATED} (rotated at {@code now}, successor
     * {@code successor.tokenHash()}), store {@code successor}, and set the family's last use to {@code now} and
     * its idle expiry to {@code newIdleExpiresAt}. Otherwise change nothing.
     */
    RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Instant now, Instant newIdleExpiresAt);

    /**
     * Revokes a family and all its tokens.
     *
     * @return true if it was active (false if unknown or already revoked)
     */
    boolean revokeFamily(String familyId, Instant now, String reason);

    /** Revokes every active family of a subject; returns their ids. */
    List<String> revokeFamiliesOfSubject(String subject, Instant now, String reason);

    /** Revokes every active family of a client; returns their ids. */
    List<String> revokeFamiliesOfClient(String clientId, Instant now, String reason);

    /** The families of a subject, newest first, for a device inventory (revoked ones included). */
    List<RefreshTokenFamily> familiesOfSubject(String subject);

    /**
     * Deletes up to {@code batchSize} families (with their tokens) that can never refresh again: expired before
     * {@code now}, or revoked before {@code revokedBefore}. Returns how many families were deleted.
     */
    int deleteExpired(Instant now, Instant revokedBefore, int batchSize);

    /**
     * Deletes up to {@code batchSize} records of tokens rotated before {@code rotatedBefore} (their families may
     * live on): a rotated token older than that is no longer recognised as reuse, only as unknown. Returns how
     * many were deleted.
     */
    int deleteRotatedTokens(Instant rotatedBefore, int batchSize);

    /**
     * Runs {@code action} once the store can serve requests: at once for a store that is always there; a store that
     * opens after its database comes back ({@link DeferredStore}) runs it then.
     */
    default void whenAvailable(Runnable action) {
        action.run();
    }

    /**
     * Where this store's database keeps the issuer's shared key set ({@code tokengate.keys.source=database}), so that
     * every server of the issuer signs with the same keys.
     *
     * @throws UnsupportedOperationException for a store that keeps no key sets
     * @throws StoreUnavailableException when the store's database cannot be reached yet
     */
    default KeySetStore keySets() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no key sets");
    }
}
