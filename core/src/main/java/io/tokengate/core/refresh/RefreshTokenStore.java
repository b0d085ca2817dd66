package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tokengate.core.authorize.AuthorizationCodeStore;
import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.revocation.RevocationStore;

/**
 * Storage of refresh-token families and the cuts of the revocation registry (so they outlive a restart). A family is
 * one row, whatever the number of its refreshes: it holds the keyed hash and generation of its one live token
 * ({@link CurrentToken}); earlier tokens are not stored (they are recognised by the generation inside them).
 * Implementations: in memory ({@link InMemoryRefreshTokenStore}) and JPA ({@code io.tokengate.core.refresh.jpa}); every
 * implementation must pass the store contract suite ({@code RefreshTokenStoreContract} in the core test jar).
 *
 * <p>Every method is atomic and runs in its own transaction (a read after a lost compare-and-set must see the
 * winner's write, not an older snapshot): it either completes or changes nothing and throws
 * {@link StoreUnavailableException}. {@link #advance} is a compare-and-set on the generation: of N concurrent calls for
 * one generation, on one server or many, exactly one returns {@link RotationResult#ROTATED} — the callers may all pass
 * the same successor, since the successor is derived from the presented token. Instants are kept with at least
 * millisecond precision; strings as given (user agents up to 512 characters, Unicode groups).
 *
 * <p>The methods about single tokens ({@link #findTokenAndFamily}, {@link #rotate}, {@link #deleteRotatedTokens}) serve
 * the tokens of earlier TokenGate versions, which kept a row per token; a store that never held such rows keeps the
 * defaults (none found, none deleted).
 */
public interface RefreshTokenStore extends RevocationStore {

    /** Stores a new family with its first token (generation 0). */
    void createFamily(RefreshTokenFamily family, CurrentToken firstToken);

    Optional<RefreshTokenFamily> findFamily(String familyId);

    /** A family and its live token (null for a family of an earlier version whose token has not been refreshed since). */
    record FamilyAndToken(RefreshTokenFamily family, CurrentToken token) {
    }

    /** The family and its live token, in one read (the refresh path calls this once per grant). */
    Optional<FamilyAndToken> findFamilyAndToken(String familyId);

    /**
     * Atomically: if the family is {@link FamilyState#ACTIVE} and its live token has generation {@code generation},
     * replace that token by {@code successor} (generation one more) and set the family's last use to {@code now} and
     * its idle expiry to {@code newIdleExpiresAt}. Otherwise change nothing: {@link RotationResult#NOT_ACTIVE} when the
     * family is there (revoked, or another refresh won), {@link RotationResult#NOT_FOUND} when it is not.
     */
    RotationResult advance(String familyId, long generation, CurrentToken successor, Instant now, Instant newIdleExpiresAt);

    /** A token row of an earlier version and its family (null when the family is gone). */
    record TokenAndFamily(RefreshTokenRecord token, RefreshTokenFamily family) {
    }

    /** The token row of an earlier version with this hash, and its family, in one read; none by default. */
    default Optional<TokenAndFamily> findTokenAndFamily(String tokenHash) {
        return Optional.empty();
    }

    /**
     * The first refresh of a family of an earlier version, atomically: if the token row {@code presentedHash} is
     * {@link TokenState#ACTIVE}, belongs to {@code familyId}, the family is {@link FamilyState#ACTIVE} and has no live
     * token yet, mark the row {@link TokenState#ROTATED} (at {@code now}, successor {@code successor.tokenHash()}), make
     * {@code successor} the family's live token and slide the family as {@link #advance} does. Otherwise change nothing.
     * From then on the family refreshes with {@link #advance}; no row is added.
     */
    default RotationResult rotate(String presentedHash, String familyId, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        return RotationResult.NOT_FOUND;
    }

    /**
     * Revokes a family (and the token rows of an earlier version it has).
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
     * Deletes up to {@code batchSize} token rows of an earlier version rotated before {@code rotatedBefore} (their
     * families may live on): such a token older than that is no longer recognised as reuse, only as unknown. Returns
     * how many were deleted; none by default.
     */
    default int deleteRotatedTokens(Instant rotatedBefore, int batchSize) {
        return 0;
    }

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

    /**
     * Where this store's database keeps the issuer's authorization codes (the authorization code grant).
     *
     * @throws UnsupportedOperationException for a store that keeps no codes
     * @throws StoreUnavailableException when the store's database cannot be reached yet
     */
    default AuthorizationCodeStore authorizationCodes() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no authorization codes");
    }
}
