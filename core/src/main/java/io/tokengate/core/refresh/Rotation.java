package io.tokengate.core.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.refresh.RefreshOutcome.Reason;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.IssuedAccessToken;

/**
 * A refresh (RFC 6749 §6, RFC 9700 §4.14): the family's live token is rotated exactly once (the store's compare-and-set
 * on the generation); the token just before it, inside the client's retry window and with its successor unused, gets
 * that same successor again (a lost response never logs a user out); any other earlier token of the family — known as
 * the family's own by the generation and tag inside it, however old — is reuse, and the family is revoked: its access
 * tokens cut first, then the family revoked in the store, so a failure in between errs on the side of revocation (and
 * the next replay cuts again). A token whose tag does not verify is merely invalid and touches nothing. Tokens of an
 * earlier version (a stored row each) refresh once more, into the family's generation 1.
 */
final class Rotation {
    private static final System.Logger LOG = System.getLogger(Rotation.class.getName());

    private final RefreshTokenStore store;
    private final RefreshTokenHasher hasher;
    private final TokenLookup lookup;
    private final AccessTokenMinter minter;
    private final RevocationRegistry revocation;
    private final TokenEvents events;
    private final Clock clock;

    Rotation(RefreshTokenStore store, RefreshTokenHasher hasher, TokenLookup lookup, AccessTokenMinter minter, RevocationRegistry revocation,
             TokenEvents events, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.lookup = lookup;
        this.minter = minter;
        this.revocation = revocation;
        this.events = events;
        this.clock = clock;
    }

    /** One refresh as presented: who, which token, what it asks for, with the key of which DPoP proof (or none), when. */
    private record Presented(ClientRegistration client, String token, Set<String> requestedScopes, String remoteAddress, String dpopJkt,
                             Instant now) {
    }

    RefreshOutcome refresh(ClientRegistration client, String presentedToken, Set<String> requestedScopes, String remoteAddress, String dpopJkt) {
        // every token minted below carries this instant as iat: a revocation landing meanwhile is later, so it covers it
        Presented p = new Presented(client, presentedToken, requestedScopes, remoteAddress, dpopJkt, clock.instant());
        Optional<RefreshTokenHasher.Decoded> decoded = hasher.decode(presentedToken);
        if (decoded.isPresent()) {
            return refresh(p, decoded.get());
        }
        return TokenLookup.mayBeLegacy(presentedToken) ? refreshLegacy(p) : RefreshOutcome.rejected(Reason.UNKNOWN);
    }

    /** A token of this version: its family's live one is rotated, an earlier one is a retry or reuse. */
    private RefreshOutcome refresh(Presented p, RefreshTokenHasher.Decoded token) {
        Optional<RefreshTokenStore.FamilyAndToken> found = store.findFamilyAndToken(token.familyId());
        if (found.isEmpty() || found.get().token() == null || !found.get().family().familyId().equals(token.familyId())) {
            return RefreshOutcome.rejected(Reason.UNKNOWN); // exactly the family named: a database's collation may fold ids
        }
        RefreshTokenFamily family = found.get().family();
        CurrentToken live = found.get().token();
        RefreshOutcome refused = refused(p, family);
        if (refused != null) {
            return refused;
        }
        if (token.generation() != live.generation()) {
            // later than the live one: never issued (the tag is right, so only a secret or a database gone astray makes one)
            return token.generation() > live.generation() ? RefreshOutcome.rejected(Reason.UNKNOWN) : retryOrReuse(p, family, live);
        }
        if (!hasher.knows(live.secretId())) {
            CoreLog.SECRET_UNKNOWN_HERE.log(LOG, live.secretId());
            return RefreshOutcome.rejected(Reason.SECRET_UNKNOWN_HERE);
        }
        if (!RefreshTokenHasher.sameHash(hasher.hash(p.token(), live.secretId()), live.tokenHash())) {
            return RefreshOutcome.rejected(Reason.UNKNOWN); // a right tag on another body than the live token's: not ours
        }
        Set<String> scopes = narrow(grantedScopes(family, p.client()), p.requestedScopes());
        if (scopes == null) {
            return RefreshOutcome.rejected(Reason.SCOPE_EXCEEDS_GRANT); // refused before anything is consumed
        }
        String secretId = hasher.currentSecretId();
        String successor = hasher.successorOf(p.token(), family.familyId(), live.generation() + 1, secretId);
        Instant idle = min(p.now().plus(p.client().refreshIdleTimeout()), family.absoluteExpiresAt());
        RotationResult result = store.advance(family.familyId(), live.generation(),
                new CurrentToken(live.generation() + 1, hasher.hash(successor, secretId), secretId, p.now()), p.now(), idle);
        if (result == RotationResult.ROTATED) {
            return refreshed(p, family, scopes, successor, idle, false);
        }
        // another request advanced it (or revoked it) a moment ago: decide as for any earlier token
        Optional<RefreshTokenStore.FamilyAndToken> again = result == RotationResult.NOT_FOUND ? Optional.empty()
                : store.findFamilyAndToken(family.familyId());
        if (again.isEmpty() || again.get().token() == null) {
            return RefreshOutcome.rejected(Reason.UNKNOWN);
        }
        refused = refused(p, again.get().family());
        if (refused != null) {
            return refused;
        }
        return again.get().token().generation() > token.generation() ? retryOrReuse(p, again.get().family(), again.get().token())
                : RefreshOutcome.rejected(Reason.UNKNOWN);
    }

    /** Why a refresh of a token of this family is refused before its generation matters, or null. */
    private RefreshOutcome refused(Presented p, RefreshTokenFamily family) {
        if (!family.clientId().equals(p.client().clientId())) {
            return RefreshOutcome.rejected(Reason.ANOTHER_CLIENT);
        }
        if (family.dpopJkt() != null && !family.dpopJkt().equals(p.dpopJkt())) {
            return RefreshOutcome.rejected(Reason.DPOP_KEY_REQUIRED); // before anything else: without the key, a token does nothing
        }
        if (family.state() != FamilyState.ACTIVE) {
            reassertRevocation(family, p.now());
            return RefreshOutcome.rejected(Reason.REVOKED);
        }
        if (!family.usableAt(p.now())) {
            return RefreshOutcome.rejected(Reason.EXPIRED);
        }
        return null;
    }

    /**
     * An earlier token of the family came back: the live token again if this is the token just before it, inside the
     * window since the live one was issued (so it is unused) and the live token is its successor; otherwise reuse. The
     * scope is checked only once it is a retry, so a thief probing with another scope still trips reuse detection.
     */
    private RefreshOutcome retryOrReuse(Presented p, RefreshTokenFamily family, CurrentToken live) {
        Duration window = p.client().retryWindow();
        if (!window.isZero() && p.now().isBefore(live.issuedAt().plus(window))) {
            if (!hasher.knows(live.secretId())) {
                CoreLog.SECRET_UNKNOWN_HERE.log(LOG, live.secretId());
                return RefreshOutcome.rejected(Reason.SECRET_UNKNOWN_HERE);
            }
            String successor = hasher.successorOf(p.token(), family.familyId(), live.generation(), live.secretId());
            if (RefreshTokenHasher.sameHash(hasher.hash(successor, live.secretId()), live.tokenHash())) {
                Set<String> scopes = narrow(grantedScopes(family, p.client()), p.requestedScopes());
                if (scopes == null) {
                    return RefreshOutcome.rejected(Reason.SCOPE_EXCEEDS_GRANT);
                }
                return refreshed(p, family, scopes, successor, family.expiresAt(), true);
            }
        }
        reused(p, family);
        return RefreshOutcome.rejected(Reason.REUSED);
    }

    /**
     * A token of an earlier version (a stored row): the active one refreshes once more, into the family's generation 1;
     * a rotated one is a retry (its successor is that generation 1, unused, inside the window) or reuse.
     */
    private RefreshOutcome refreshLegacy(Presented p) {
        Optional<RefreshTokenStore.TokenAndFamily> found = lookup.legacyWithFamily(p.token());
        if (found.isEmpty()) {
            return RefreshOutcome.rejected(Reason.UNKNOWN);
        }
        RefreshTokenRecord record = found.get().token();
        RefreshTokenFamily family = found.get().family();
        RefreshOutcome refused = refused(p, family);
        if (refused != null) {
            return refused;
        }
        if (record.state() == TokenState.REVOKED) {
            return RefreshOutcome.rejected(Reason.REVOKED);
        }
        if (record.state() == TokenState.ACTIVE) {
            Set<String> scopes = narrow(grantedScopes(family, p.client()), p.requestedScopes());
            if (scopes == null) {
                return RefreshOutcome.rejected(Reason.SCOPE_EXCEEDS_GRANT);
            }
            String secretId = hasher.currentSecretId();
            String successor = hasher.successorOf(p.token(), family.familyId(), 1, secretId);
            Instant idle = min(p.now().plus(p.client().refreshIdleTimeout()), family.absoluteExpiresAt());
            RotationResult result = store.rotate(record.tokenHash(), family.familyId(),
                    new CurrentToken(1, hasher.hash(successor, secretId), secretId, p.now()), p.now(), idle);
            if (result == RotationResult.ROTATED) {
                return refreshed(p, family, scopes, successor, idle, false);
            }
            if (result == RotationResult.NOT_FOUND) {
                return RefreshOutcome.rejected(Reason.UNKNOWN);
            }
        }
        // rotated (before, or by the request that just won): a retry only into the family's generation 1
        Optional<RefreshTokenStore.FamilyAndToken> now = store.findFamilyAndToken(family.familyId());
        if (now.isEmpty() || now.get().family().state() != FamilyState.ACTIVE) {
            return RefreshOutcome.rejected(Reason.REVOKED);
        }
        CurrentToken live = now.get().token();
        if (live != null && live.generation() == 1) {
            return retryOrReuse(p, now.get().family(), live);
        }
        reused(p, now.get().family());
        return RefreshOutcome.rejected(Reason.REUSED);
    }

    private RefreshOutcome refreshed(Presented p, RefreshTokenFamily family, Set<String> scopes, String successor, Instant expiresAt,
                                     boolean retry) {
        IssuedAccessToken at = minter.mint(p.client(), AccessTokenMinter.Caller.of(family, scopes, p.dpopJkt()), p.now());
        events.emit(new TokenEvent.Refreshed(p.now(), p.client().clientId(), family.subject(), family.familyId(), p.remoteAddress(), retry));
        return new RefreshOutcome.Refreshed(new TokenPair(at, successor, expiresAt, scopes, family.familyId(), p.now()));
    }

    /** The family is compromised: cut its access tokens (idempotent), then revoke it in the store. */
    private void reused(Presented p, RefreshTokenFamily family) {
        RuntimeException cutFailure = null;
        try {
            revocation.revokeFamily(family.familyId(), p.now());
        } catch (RuntimeException e) {
            cutFailure = e;
        }
        store.revokeFamily(family.familyId(), p.now(), "reuse_detected");
        CoreLog.REUSE_DETECTED.log(LOG, family.familyId(), p.client().clientId(), family.subject(), p.remoteAddress());
        if (cutFailure != null) {
            CoreLog.ACCESS_TOKENS_NOT_CUT.log(LOG, family.familyId(), cutFailure.toString());
        }
        events.emit(new TokenEvent.ReuseDetected(p.now(), family.familyId(), p.client().clientId(), family.subject(), p.remoteAddress()));
    }

    /** A token of a revoked family came back: make sure its access tokens are cut (a no-op when they are). */
    private void reassertRevocation(RefreshTokenFamily family, Instant now) {
        if (family.state() == FamilyState.REVOKED) {
            try {
                revocation.revokeFamily(family.familyId(), family.revokedAt() != null ? family.revokedAt() : now);
            } catch (RuntimeException e) {
                CoreLog.ACCESS_TOKENS_NOT_CUT.log(LOG, family.familyId(), e.toString());
            }
        }
    }

    /** What the family may still be granted: its scopes, less any the client has lost since. */
    private static Set<String> grantedScopes(RefreshTokenFamily family, ClientRegistration client) {
        if (client.scopes().containsAll(family.scopes())) {
            return family.scopes();
        }
        Set<String> kept = new LinkedHashSet<>(family.scopes());
        kept.retainAll(client.scopes());
        return kept;
    }

    /** The requested scopes, or the granted ones when none are requested; null when the request asks for more. */
    private static Set<String> narrow(Set<String> granted, Set<String> requested) {
        if (requested == null) {
            return granted;
        }
        return granted.containsAll(requested) ? requested : null;
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
