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
 * A refresh (RFC 6749 §6, RFC 9700 §4.14): an active token is rotated exactly once (the store's compare-and-set); a
 * rotated token inside the client's retry window, with its successor unused, gets that same successor again (a lost
 * response never logs a user out); any other use of a rotated token is reuse, and its family is revoked — its
 * access tokens cut first, then the family revoked in the store, so a failure in between errs on the side of
 * revocation (and the next replay cuts again).
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

    /** One refresh as presented: who, which token, what it asks for, when. */
    private record Presented(ClientRegistration client, String token, Set<String> requestedScopes, String remoteAddress, Instant now) {
    }

    RefreshOutcome refresh(ClientRegistration client, String presentedToken, Set<String> requestedScopes, String remoteAddress) {
        // every token minted below carries this instant as iat: a revocation landing meanwhile is later, so it covers it
        Presented p = new Presented(client, presentedToken, requestedScopes, remoteAddress, clock.instant());
        Optional<RefreshTokenStore.TokenAndFamily> found = lookup.withFamily(presentedToken);
        if (found.isEmpty()) {
            return RefreshOutcome.rejected(Reason.UNKNOWN);
        }
        RefreshTokenRecord record = found.get().token();
        RefreshTokenFamily family = found.get().family();
        if (!family.clientId().equals(client.clientId())) {
            return RefreshOutcome.rejected(Reason.ANOTHER_CLIENT);
        }
        if (family.state() != FamilyState.ACTIVE || record.state() == TokenState.REVOKED) {
            reassertRevocation(family, p.now());
            return RefreshOutcome.rejected(Reason.REVOKED);
        }
        if (!family.usableAt(p.now())) {
            return RefreshOutcome.rejected(Reason.EXPIRED);
        }
        if (record.state() == TokenState.ACTIVE) {
            Set<String> scopes = narrow(grantedScopes(family, client), requestedScopes);
            if (scopes == null) {
                return RefreshOutcome.rejected(Reason.SCOPE_EXCEEDS_GRANT); // refused before anything is consumed
            }
            String successor = hasher.successorOf(presentedToken, hasher.currentSecretId());
            Instant idle = min(p.now().plus(client.refreshIdleTimeout()), family.absoluteExpiresAt());
            RotationResult result = store.rotate(record.tokenHash(),
                    RefreshTokenRecord.active(hasher.hash(successor), hasher.currentSecretId(), family.familyId(), p.now()), p.now(), idle);
            if (result == RotationResult.ROTATED) {
                IssuedAccessToken at = minter.mint(client, AccessTokenMinter.Caller.of(family, scopes), p.now());
                events.emit(new TokenEvent.Refreshed(p.now(), client.clientId(), family.subject(), family.familyId(), remoteAddress, false));
                return new RefreshOutcome.Refreshed(new TokenPair(at, successor, idle, scopes, family.familyId(), p.now()));
            }
            if (result == RotationResult.NOT_FOUND) {
                return RefreshOutcome.rejected(Reason.UNKNOWN);
            }
            // another request rotated it a moment ago: decide as for any rotated token
            Optional<RefreshTokenRecord> again = store.findToken(record.tokenHash());
            Optional<RefreshTokenFamily> familyAgain = again.flatMap(r -> store.findFamily(r.familyId()));
            if (again.isEmpty() || familyAgain.isEmpty()) {
                return RefreshOutcome.rejected(Reason.UNKNOWN);
            }
            record = again.get();
            family = familyAgain.get();
            if (family.state() != FamilyState.ACTIVE || record.state() != TokenState.ROTATED) {
                return RefreshOutcome.rejected(Reason.REVOKED);
            }
        }
        return retryOrReuse(p, record, family);
    }

    /**
     * A rotated token came back: the same successor again if this is a retry inside the window and the successor
     * is unused; otherwise reuse. The scope is checked only once it is a retry, so a thief probing with another
     * scope still trips reuse detection.
     */
    private RefreshOutcome retryOrReuse(Presented p, RefreshTokenRecord record, RefreshTokenFamily family) {
        Duration window = p.client().retryWindow();
        if (!window.isZero() && record.rotatedAt() != null && p.now().isBefore(record.rotatedAt().plus(window))
                && record.successorHash() != null) {
            Optional<RefreshTokenRecord> successorRecord = store.findToken(record.successorHash());
            if (successorRecord.isPresent() && successorRecord.get().state() == TokenState.ACTIVE) {
                String secretId = successorRecord.get().secretId();
                if (hasher.hash(p.token(), secretId) == null) {
                    CoreLog.SECRET_UNKNOWN_HERE.log(LOG, secretId);
                    return RefreshOutcome.rejected(Reason.SECRET_UNKNOWN_HERE);
                }
                String successor = hasher.successorOf(p.token(), secretId);
                if (RefreshTokenHasher.sameHash(hasher.hash(successor, secretId), record.successorHash())) {
                    Set<String> scopes = narrow(grantedScopes(family, p.client()), p.requestedScopes());
                    if (scopes == null) {
                        return RefreshOutcome.rejected(Reason.SCOPE_EXCEEDS_GRANT);
                    }
                    IssuedAccessToken at = minter.mint(p.client(), AccessTokenMinter.Caller.of(family, scopes), p.now());
                    events.emit(new TokenEvent.Refreshed(p.now(), p.client().clientId(), family.subject(), family.familyId(),
                            p.remoteAddress(), true));
                    return new RefreshOutcome.Refreshed(new TokenPair(at, successor, family.expiresAt(), scopes, family.familyId(), p.now()));
                }
            }
        }
        reused(p, family);
        return RefreshOutcome.rejected(Reason.REUSED);
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
