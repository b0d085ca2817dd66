package io.tokengate.core.refresh;

import java.util.Optional;
import java.util.function.Function;

/** Finds the stored record of a presented refresh token under each hashing secret, comparing hashes in constant time. */
final class TokenLookup {
    private final RefreshTokenStore store;
    private final RefreshTokenHasher hasher;

    TokenLookup(RefreshTokenStore store, RefreshTokenHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    Optional<RefreshTokenRecord> record(String presentedToken) {
        return byCandidateHash(presentedToken, store::findToken, RefreshTokenRecord::tokenHash);
    }

    /** The record and its family in one read of the store; empty if either is unknown. */
    Optional<RefreshTokenStore.TokenAndFamily> withFamily(String presentedToken) {
        return byCandidateHash(presentedToken, store::findTokenAndFamily, r -> r.token().tokenHash()).filter(r -> r.family() != null);
    }

    Optional<RefreshTokenFamily> family(String presentedToken) {
        return record(presentedToken).flatMap(r -> store.findFamily(r.familyId()));
    }

    /** Current secret first. */
    private <T> Optional<T> byCandidateHash(String presentedToken, Function<String, Optional<T>> lookUp, Function<T, String> storedHash) {
        if (presentedToken == null || presentedToken.length() != 43) {
            return Optional.empty(); // 256 bits in base64url; anything else was never issued here
        }
        for (String hash : hasher.candidateHashes(presentedToken)) {
            Optional<T> r = lookUp.apply(hash);
            if (r.isPresent() && RefreshTokenHasher.sameHash(storedHash.apply(r.get()), hash)) {
                return r;
            }
        }
        return Optional.empty();
    }
}
