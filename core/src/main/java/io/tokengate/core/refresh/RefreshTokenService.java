package io.tokengate.core.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.event.TokenEventListener;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;

/**
 * The refresh-token lifecycle (RFC 6749 §6, RFC 9700 §4.14) behind one face, each job in its own class: issuing a
 * family ({@code FamilyIssuer}), refreshing with rotation, retry and reuse detection ({@code Rotation}), revocation
 * ({@code Revoker}), the device inventory, and cleanup. It speaks no protocol: a refresh answers with a
 * {@link RefreshOutcome}; a store failure is a {@link StoreUnavailableException} after nothing was half-written.
 * Thread-safe; exactly-once rotation is the store's compare-and-set.
 */
public final class RefreshTokenService {
    private final RefreshTokenStore store;
    private final TokenLookup lookup;
    private final FamilyIssuer issuer;
    private final Rotation rotation;
    private final Revoker revoker;
    private final TokenEvents events;
    private final Clock clock;

    public RefreshTokenService(RefreshTokenStore store, RefreshTokenHasher hasher, AccessTokenIssuer accessTokens,
                               RevocationRegistry revocation, TokenEventListener events, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(hasher, "hasher");
        Objects.requireNonNull(revocation, "revocation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = new TokenEvents(events);
        AccessTokenMinter minter = new AccessTokenMinter(Objects.requireNonNull(accessTokens, "accessTokens"), revocation);
        this.lookup = new TokenLookup(store, hasher);
        this.issuer = new FamilyIssuer(store, hasher, minter, this.events, clock);
        this.rotation = new Rotation(store, hasher, lookup, minter, revocation, this.events, clock);
        this.revoker = new Revoker(store, revocation, this.events, clock);
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
     * @param dpopJkt       the key of the request's DPoP proof, or null: its access tokens are bound to it, and a public
     *                      client's refresh tokens too (RFC 9449 §5)
     */
    public record Grant(ClientRegistration client, String grantType, String subject, Set<String> groups, Set<String> scopes,
                        Instant authTime, String userAgent, String remoteAddress, String dpopJkt) {
        /** A grant without DPoP. */
        public Grant(ClientRegistration client, String grantType, String subject, Set<String> groups, Set<String> scopes, Instant authTime,
                     String userAgent, String remoteAddress) {
            this(client, grantType, subject, groups, scopes, authTime, userAgent, remoteAddress, null);
        }

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
        return issuer.issue(grant);
    }

    /** An access token without a refresh token or family (client_credentials, or a client that may not refresh). */
    public TokenPair issueAccessTokenOnly(Grant grant) {
        return issuer.accessTokenOnly(grant);
    }

    /**
     * {@code grant_type=refresh_token} for an authenticated {@code client}.
     *
     * @param requestedScopes the {@code scope} parameter, or null to keep the family's scopes
     * @throws StoreUnavailableException when the store fails (nothing was consumed)
     */
    public RefreshOutcome refresh(ClientRegistration client, String presentedToken, Set<String> requestedScopes, String remoteAddress) {
        return refresh(client, presentedToken, requestedScopes, remoteAddress, null);
    }

    /**
     * A refresh with the key of the request's DPoP proof ({@code dpopJkt}, null without one): a family bound to a key
     * refreshes only with a proof of it ({@link RefreshOutcome.Reason#DPOP_KEY_REQUIRED} otherwise, nothing consumed),
     * and the new access token is bound to the proof's key.
     */
    public RefreshOutcome refresh(ClientRegistration client, String presentedToken, Set<String> requestedScopes, String remoteAddress,
                                  String dpopJkt) {
        return rotation.refresh(client, presentedToken, requestedScopes, remoteAddress, dpopJkt);
    }

    /** A family by its id. */
    public Optional<RefreshTokenFamily> family(String familyId) {
        return store.findFamily(familyId);
    }

    /**
     * What the store knows of a presented token: its family and whether it is the family's live token; empty for a
     * token this server never issued (or whose family is gone). Hashes and tags are compared in constant time.
     */
    public Optional<KnownToken> find(String presentedToken) {
        return lookup.find(presentedToken);
    }

    /** The family of a presented token (its live token or an earlier one), if the token is known. */
    public Optional<RefreshTokenFamily> familyOf(String presentedToken) {
        return lookup.find(presentedToken).map(KnownToken::family);
    }

    /** The subject's families, newest first: the device inventory. */
    public List<RefreshTokenFamily> families(String subject) {
        return store.familiesOfSubject(subject);
    }

    /** Revokes one family (one device) and cuts its live access tokens. Returns true if it was active. */
    public boolean revokeFamily(String familyId, String by) {
        return revoker.revokeFamily(familyId, by);
    }

    /** Log out everywhere: revokes every family of the subject and cuts all their live access tokens. */
    public List<String> revokeSubject(String subject, String by) {
        return revoker.revokeSubject(subject, by);
    }

    /** Revokes every family of a client and cuts their live access tokens. */
    public List<String> revokeClient(String clientId, String by) {
        return revoker.revokeClient(clientId, by);
    }

    /** Denylists one access token until its expiry (RFC 7009 for access tokens). */
    public void revokeAccessToken(String jti, Instant expiresAt, String by) {
        revoker.revokeAccessToken(jti, expiresAt, by);
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
     * {@link #cleanUp(Duration, int)}), up to {@code batchSize} token rows of an earlier version rotated longer ago than
     * {@code keepRotatedFor} (null: kept while their family lives), and up to {@code batchSize} stored revocations
     * whose tokens have all expired. Safe to run on several servers at once.
     */
    public CleanUpResult cleanUp(Duration keepRevokedFor, Duration keepRotatedFor, int batchSize) {
        Instant now = clock.instant();
        int families = store.deleteExpired(now, now.minus(keepRevokedFor), batchSize);
        int tokens = keepRotatedFor == null ? 0 : store.deleteRotatedTokens(now.minus(keepRotatedFor), batchSize);
        int revocations = store.deleteExpiredRevocations(now, batchSize);
        if (families > 0 || tokens > 0 || revocations > 0) {
            events.emit(new TokenEvent.CleanedUp(now, families, tokens, revocations));
        }
        return new CleanUpResult(families, tokens, revocations);
    }
}
