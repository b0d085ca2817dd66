package io.tokengate.core.refresh;

import java.util.Optional;

/**
 * Tells what a presented refresh token is: a token of this version by the generation and tag inside it and its family's
 * live token, a token of an earlier version by its stored row under each hashing secret (hashes compared in constant
 * time).
 */
final class TokenLookup {
    /** Tokens of earlier versions: 256 random bits, base64url. */
    private static final int LEGACY_LENGTH = 43;

    private final RefreshTokenStore store;
    private final RefreshTokenHasher hasher;

    TokenLookup(RefreshTokenStore store, RefreshTokenHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    /** Whether {@code token} has the shape of a token of an earlier version (a stored row each). */
    static boolean mayBeLegacy(String token) {
        return token != null && token.length() == LEGACY_LENGTH;
    }

    /**
     * The family of a token this server issued and whether it is the live one; empty for anything else, and for a token
     * with a right tag that is neither the live token nor earlier than it.
     */
    Optional<KnownToken> find(String presentedToken) {
        Optional<RefreshTokenHasher.Decoded> decoded = hasher.decode(presentedToken);
        if (decoded.isPresent()) {
            return store.findFamilyAndToken(decoded.get().familyId())
                    .filter(f -> f.token() != null && f.family().familyId().equals(decoded.get().familyId())).flatMap(f -> {
                CurrentToken live = f.token();
                long generation = decoded.get().generation();
                if (generation < live.generation()) {
                    return Optional.of(new KnownToken(f.family(), false, null));
                }
                boolean isLive = generation == live.generation()
                        && RefreshTokenHasher.sameHash(hasher.hash(presentedToken, live.secretId()), live.tokenHash());
                return isLive ? Optional.of(new KnownToken(f.family(), true, live.issuedAt())) : Optional.empty();
            });
        }
        return legacyWithFamily(presentedToken).map(t -> new KnownToken(t.family(), t.token().state() == TokenState.ACTIVE,
                t.token().issuedAt()));
    }

    /** The stored row of a token of an earlier version and its family; empty if either is unknown. Current secret first. */
    Optional<RefreshTokenStore.TokenAndFamily> legacyWithFamily(String presentedToken) {
        if (!mayBeLegacy(presentedToken)) {
            return Optional.empty();
        }
        for (String hash : hasher.candidateHashes(presentedToken)) {
            Optional<RefreshTokenStore.TokenAndFamily> r = store.findTokenAndFamily(hash);
            if (r.isPresent() && RefreshTokenHasher.sameHash(r.get().token().tokenHash(), hash)) {
                return r.filter(t -> t.family() != null);
            }
        }
        return Optional.empty();
    }
}
