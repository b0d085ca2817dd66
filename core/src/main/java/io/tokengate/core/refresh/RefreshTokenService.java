package io.tokengate.core.refresh;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthException;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.event.TokenEventListener;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.token.IssuedAccessToken;

/**
 * The refresh-token lifecycle (RFC 6749 §6, RFC 9700 §4.14): issue a family, refresh with rotation, answer a
 * retried refresh with the same successor, detect reuse and revoke the family, revoke by family, subject or
 * client. Thread-safe; exactly-once rotation is the store's compare-and-set.
 *
 * <p>Failures are {@link OAuthException}s with RFC codes; a store failure is {@code temporarily_unavailable}
 * and leaves nothing half-written (each store call is atomic, and the only multi-step path — reuse — first
 * revokes in the store, then cuts access tokens, so a failure in between errs on the side of revocation).
 */
public final class RefreshTokenService {
    private static final System.Logger LOG = System.getLogger(RefreshTokenService.class.getName());
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final RefreshTokenStore store;
    private final RefreshTokenHasher hasher;
    private final AccessTokenIssuer accessTokens;
    private final RevocationRegistry revocation;
    private final TokenEventListener events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RefreshTokenService(RefreshTokenStore store, RefreshTokenHasher hasher, AccessTokenIssuer accessTokens,
                               RevocationRegistry revocation, TokenEventListener events, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.accessTokens = Objects.requireNonNull(accessTokens, "accessTokens");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.events = events == null ? TokenEventListener.NONE : events;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What a grant established about the caller.
     *
     * @param client        the client
     * @param grantType     the grant's name for events ({@code password}, {@code container_login}, ...)
     * @param subject       the resource owner
     * @param groups        their groups
     * @param scopes        the scopes granted (already checked against the client)
     * @param authTime      when they authenticated, or null
     * @param userAgent     the client's User-Agent, or null
     * @param remoteAddress the client's address, or null
     */
    public record Grant(ClientRegistration client, String grantType, String subject, Set<String> groups, Set<String> scopes,
                        Instant authTime, String userAgent, String remoteAddress) {
        public Grant {
            Objects.requireNonNull(client, "client");
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("a grant needs a subject");
            }
            groups = Set.copyOf(groups);
            scopes = Set.copyOf(scopes);
        }
    }

    /**
     * Issues the first token pair of a grant: a new family with its first refresh token (when the client may
     * refresh) and an access token carrying the family as {@code sid}.
     */
    public TokenPair issue(Grant grant) {
        Instant now = clock.instant();
        ClientRegistration client = grant.client();
        if (!client.allows(GrantType.REFRESH_TOKEN)) {
            return issueAccessTokenOnly(grant);
        }
        String familyId = newFamilyId();
        Instant absolute = now.plus(client.refreshAbsoluteLifetime());
        Instant idle = min(now.plus(client.refreshIdleTimeout()), absolute);
        RefreshTokenFamily family = new RefreshTokenFamily(familyId, grant.subject(), client.clientId(), grant.scopes(), grant.groups(),
                grant.authTime(), now, now, idle, absolute, FamilyState.ACTIVE, null, null,
                truncate(grant.userAgent(), 512), truncate(grant.remoteAddress(), 64));
        String token = hasher.newToken();
        store.createFamily(family, RefreshTokenRecord.active(hasher.hash(token), hasher.currentSecretId(), familyId, now));
        IssuedAccessToken at = mint(client, grant.subject(), grant.groups(), grant.scopes(), grant.authTime(), familyId, now);
        emit(new TokenEvent.Issued(now, grant.grantType(), client.clientId(), grant.subject(), familyId, grant.remoteAddress()));
        return new TokenPair(at, token, idle, grant.scopes(), familyId, now);
    }

    /** An access token without a refresh token or family (client_credentials, or a client that may not refresh). */
    public TokenPair issueAccessTokenOnly(Grant grant) {
        Instant now = clock.instant();
        ClientRegistration client = grant.client();
        IssuedAccessToken at = mint(client, grant.subject(), grant.groups(), grant.scopes(), grant.authTime(), null, now);
        emit(new TokenEvent.Issued(now, grant.grantType(), client.clientId(), grant.subject(), null, grant.remoteAddress()));
        return new TokenPair(at, null, null, grant.scopes(), null, now);
    }

    /** A family by its id (e.g. the {@code familyId} of a record from {@link #find(String)}). */
    public Optional<RefreshTokenFamily> family(String familyId) {
        return store.findFamily(familyId);
    }

    /**
     * {@code grant_type=refresh_token} for an authenticated {@code client}.
     *
     * @param requestedScopes the {@code scope} parameter, or null to keep the family's scopes
     * @throws OAuthException {@code invalid_grant} (unknown, expired, revoked, reused, or another client's token),
     *                        {@code invalid_scope} (wider than the grant), {@code temporarily_unavailable}
     */
    public TokenPair refresh(ClientRegistration client, String presentedToken, Set<String> requestedScopes, String remoteAddress) {
        // every token minted below carries this instant as iat: a revocation landing meanwhile is later, so it covers it
        Instant now = clock.instant();
        RefreshTokenStore.TokenAndFamily found = findWithFamily(presentedToken)
                .orElseThrow(() -> invalidGrant("The refresh token is invalid"));
        RefreshTokenRecord record = found.token();
        RefreshTokenFamily family = found.family();
        if (!family.clientId().equals(client.clientId())) {
            throw invalidGrant("The refresh token was issued to another client");
        }
        if (family.state() != FamilyState.ACTIVE || record.state() == TokenState.REVOKED) {
            reassertRevocation(family, now);
            throw invalidGrant("The refresh token was revoked");
        }
        if (!family.usableAt(now)) {
            throw invalidGrant("The refresh token expired");
        }

        if (record.state() == TokenState.ACTIVE) {
            Set<String> scopes = narrow(grantedScopes(family, client), requestedScopes); // refused before anything is consumed
            String successor = hasher.successorOf(presentedToken, hasher.currentSecretId());
            Instant idle = min(now.plus(client.refreshIdleTimeout()), family.absoluteExpiresAt());
            RotationResult result = store.rotate(record.tokenHash(),
                    RefreshTokenRecord.active(hasher.hash(successor), hasher.currentSecretId(), family.familyId(), now), now, idle);
            if (result == RotationResult.ROTATED) {
                IssuedAccessToken at = mint(client, family.subject(), family.groups(), scopes, family.authTime(), family.familyId(), now);
                emit(new TokenEvent.Refreshed(now, client.clientId(), family.subject(), family.familyId(), remoteAddress, false));
                return new TokenPair(at, successor, idle, scopes, family.familyId(), now);
            }
            if (result == RotationResult.NOT_FOUND) {
                throw invalidGrant("The refresh token is invalid");
            }
            // another request rotated it a moment ago: decide as for any rotated token
            record = store.findToken(record.tokenHash()).orElseThrow(() -> invalidGrant("The refresh token is invalid"));
            family = store.findFamily(record.familyId()).orElseThrow(() -> invalidGrant("The refresh token is invalid"));
            if (family.state() != FamilyState.ACTIVE || record.state() != TokenState.ROTATED) {
                throw invalidGrant("The refresh token was revoked");
            }
        }
        return retryOrReuse(client, presentedToken, record, family, requestedScopes, now, remoteAddress);
    }

    /**
     * A rotated token came back: the same successor again if this is a retry inside the window and the successor
     * is unused; otherwise reuse. The scope is checked only once it is a retry, so a thief probing with another
     * scope still trips reuse detection.
     */
    private TokenPair retryOrReuse(ClientRegistration client, String presentedToken, RefreshTokenRecord record,
                                   RefreshTokenFamily family, Set<String> requestedScopes, Instant now, String remoteAddress) {
        Duration window = client.retryWindow();
        if (!window.isZero() && record.rotatedAt() != null && now.isBefore(record.rotatedAt().plus(window))
                && record.successorHash() != null) {
            Optional<RefreshTokenRecord> successorRecord = store.findToken(record.successorHash());
            if (successorRecord.isPresent() && successorRecord.get().state() == TokenState.ACTIVE) {
                String secretId = successorRecord.get().secretId();
                if (hasher.hash(presentedToken, secretId) == null) {
                    // another server already uses a secret this one does not know: a roll-out in progress
                    LOG.log(Level.ERROR, "TG-1004 refresh-token secret {0} is unknown here; add it to every server before making it current",
                            secretId);
                    throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, "The token service is temporarily unavailable; try again later");
                }
                String successor = hasher.successorOf(presentedToken, secretId);
                if (RefreshTokenHasher.sameHash(hasher.hash(successor, secretId), record.successorHash())) {
                    Set<String> scopes = narrow(grantedScopes(family, client), requestedScopes);
                    IssuedAccessToken at = mint(client, family.subject(), family.groups(), scopes, family.authTime(), family.familyId(), now);
                    emit(new TokenEvent.Refreshed(now, client.clientId(), family.subject(), family.familyId(), remoteAddress, true));
                    return new TokenPair(at, successor, family.expiresAt(), scopes, family.familyId(), now);
                }
            }
        }
        // reuse of a rotated token: the family is compromised. Cut its access tokens first (idempotent), then
        // revoke it in the store; if the cut fails, later requests with any of its tokens try again.
        RuntimeException cutFailure = null;
        try {
            revocation.revokeFamily(family.familyId(), now);
        } catch (RuntimeException e) {
            cutFailure = e;
        }
        store.revokeFamily(family.familyId(), now, "reuse_detected");
        LOG.log(Level.WARNING, "TG-1001 refresh token reuse detected: family {0} of client {1} revoked (subject {2}, from {3})",
                family.familyId(), client.clientId(), family.subject(), remoteAddress);
        if (cutFailure != null) {
            LOG.log(Level.ERROR, "TG-1003 family {0} is revoked but its live access tokens could not be cut yet: {1}",
                    family.familyId(), cutFailure.toString());
        }
        emit(new TokenEvent.ReuseDetected(now, family.familyId(), client.clientId(), family.subject(), remoteAddress));
        throw invalidGrant("The refresh token was already used; its session has been revoked");
    }

    /** A token of a revoked family came back: make sure its access tokens are cut (a no-op when they are). */
    private void reassertRevocation(RefreshTokenFamily family, Instant now) {
        if (family.state() == FamilyState.REVOKED) {
            try {
                revocation.revokeFamily(family.familyId(), family.revokedAt() != null ? family.revokedAt() : now);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "TG-1003 family {0} is revoked but its live access tokens could not be cut yet: {1}",
                        family.familyId(), e.toString());
            }
        }
    }

    /** What the family may still be granted: its scopes, less any the client has lost since. */
    private static Set<String> grantedScopes(RefreshTokenFamily family, ClientRegistration client) {
        if (client.scopes().containsAll(family.scopes())) {
            return family.scopes();
        }
        Set<String> kept = new java.util.LinkedHashSet<>(family.scopes());
        kept.retainAll(client.scopes());
        return kept;
    }

    /** Finds the stored record of a presented token, trying every hashing secret, comparing in constant time. */
    public Optional<RefreshTokenRecord> find(String presentedToken) {
        return byCandidateHash(presentedToken, store::findToken, RefreshTokenRecord::tokenHash);
    }

    /** A presented token's record and family in one read of the store; empty if either is unknown. */
    private Optional<RefreshTokenStore.TokenAndFamily> findWithFamily(String presentedToken) {
        return byCandidateHash(presentedToken, store::findTokenAndFamily, r -> r.token().tokenHash()).filter(r -> r.family() != null);
    }

    /** Looks a presented token up under each secret's hash, current secret first. */
    private <T> Optional<T> byCandidateHash(String presentedToken, java.util.function.Function<String, Optional<T>> lookUp,
                                            java.util.function.Function<T, String> storedHash) {
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

    /** The family of a presented token, if the token is known. */
    public Optional<RefreshTokenFamily> familyOf(String presentedToken) {
        return find(presentedToken).flatMap(r -> store.findFamily(r.familyId()));
    }

    /** Revokes one family (one device) and cuts its live access tokens. Returns true if it was active. */
    public boolean revokeFamily(String familyId, String by) {
        Instant now = clock.instant();
        boolean changed = store.revokeFamily(familyId, now, "revoked");
        revocation.revokeFamily(familyId, now);
        if (changed) {
            emit(new TokenEvent.Revoked(now, by, TokenEvent.Target.FAMILY, familyId, List.of(familyId)));
        }
        return changed;
    }

    /** Log out everywhere: revokes every family of the subject and cuts all their live access tokens. */
    public List<String> revokeSubject(String subject, String by) {
        Instant now = clock.instant();
        List<String> ids = store.revokeFamiliesOfSubject(subject, now, "subject_revoked");
        revocation.revokeSubject(subject, now);
        emit(new TokenEvent.Revoked(now, by, TokenEvent.Target.SUBJECT, subject, ids));
        return ids;
    }

    /** Revokes every family of a client and cuts their live access tokens. */
    public List<String> revokeClient(String clientId, String by) {
        Instant now = clock.instant();
        List<String> ids = store.revokeFamiliesOfClient(clientId, now, "client_revoked");
        for (String id : ids) {
            revocation.revokeFamily(id, now);
        }
        emit(new TokenEvent.Revoked(now, by, TokenEvent.Target.CLIENT, clientId, ids));
        return ids;
    }

    /** Denylists one access token until its expiry (RFC 7009 for access tokens). */
    public void revokeAccessToken(String jti, Instant expiresAt, String by) {
        revocation.revokeAccessToken(jti, expiresAt);
        emit(new TokenEvent.Revoked(clock.instant(), by, TokenEvent.Target.ACCESS_TOKEN, jti, List.of()));
    }

    /** The subject's families, newest first: the device inventory. */
    public List<RefreshTokenFamily> families(String subject) {
        return store.familiesOfSubject(subject);
    }

    /**
     * Deletes up to {@code batchSize} families that can never refresh again (expired, or revoked longer ago than
     * {@code keepRevokedFor}, kept that long so reuse of their tokens is still recognised).
     */
    public int cleanUp(Duration keepRevokedFor, int batchSize) {
        return cleanUp(keepRevokedFor, null, batchSize).families();
    }

    /** What one cleanup batch deleted. */
    public record CleanUpResult(int families, int rotatedTokens, int revocations) {
        public boolean nothing() {
            return families == 0 && rotatedTokens == 0 && revocations == 0;
        }
    }

    /**
     * One cleanup batch: up to {@code batchSize} families that can never refresh again (as
     * {@link #cleanUp(Duration, int)}), up to {@code batchSize} records of tokens rotated longer ago than
     * {@code keepRotatedFor} (null: kept while their family lives), and up to {@code batchSize} stored revocations
     * whose tokens have all expired. Safe to run on several servers at once.
     */
    public CleanUpResult cleanUp(Duration keepRevokedFor, Duration keepRotatedFor, int batchSize) {
        Instant now = clock.instant();
        int families = store.deleteExpired(now, now.minus(keepRevokedFor), batchSize);
        int tokens = keepRotatedFor == null ? 0 : store.deleteRotatedTokens(now.minus(keepRotatedFor), batchSize);
        int revocations = store.deleteExpiredRevocations(now, batchSize);
        if (families > 0 || tokens > 0 || revocations > 0) {
            emit(new TokenEvent.CleanedUp(now, families, tokens, revocations));
        }
        return new CleanUpResult(families, tokens, revocations);
    }

    private static Set<String> narrow(Set<String> granted, Set<String> requested) {
        if (requested == null) {
            return granted;
        }
        if (!granted.containsAll(requested)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope exceeds the scope granted");
        }
        return requested;
    }

    private IssuedAccessToken mint(ClientRegistration client, String subject, Set<String> groups, Set<String> scopes,
                                   Instant authTime, String familyId, Instant issuedAt) {
        Instant revokedAt = revocation.notBefore(subject, familyId);
        if (revokedAt != null && revokedAt.isBefore(issuedAt) && revokedAt.getEpochSecond() == issuedAt.getEpochSecond()) {
            // iat has whole seconds and a revocation refuses its own second: a grant that began after the revocation
            // (sign in again just after "sign out everywhere") starts its token at the next second instead of being
            // born revoked. A grant that began before the revocation keeps its iat, so the revocation covers it.
            issuedAt = issuedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        }
        return accessTokens.issue(AccessTokenRequest.builder(subject, client.clientId()).scopes(scopes).groups(groups)
                .authTime(authTime).familyId(familyId).lifetime(client.accessTokenLifetime().orElse(null)).issuedAt(issuedAt).build());
    }

    private void emit(TokenEvent event) {
        try {
            events.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TG-1002 a token event listener failed on " + event.getClass().getSimpleName(), e);
        }
    }

    private String newFamilyId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    private static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuthError.INVALID_GRANT, description);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
