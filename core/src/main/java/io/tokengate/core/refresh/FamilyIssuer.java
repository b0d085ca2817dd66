package io.tokengate.core.refresh;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.token.IssuedAccessToken;
import io.tokengate.core.random.SecureRandoms;

/** Issues the first pair of a grant: a new family with its first refresh token, and an access token carrying it. */
final class FamilyIssuer {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final RefreshTokenStore store;
    private final RefreshTokenHasher hasher;
    private final AccessTokenMinter minter;
    private final TokenEvents events;
    private final Clock clock;

    FamilyIssuer(RefreshTokenStore store, RefreshTokenHasher hasher, AccessTokenMinter minter, TokenEvents events, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.minter = minter;
        this.events = events;
        this.clock = clock;
    }

    TokenPair issue(RefreshTokenService.Grant grant) {
        ClientRegistration client = grant.client();
        if (!client.allows(GrantType.REFRESH_TOKEN)) {
            return accessTokenOnly(grant);
        }
        Instant now = clock.instant();
        String familyId = newFamilyId();
        Instant absolute = now.plus(client.refreshAbsoluteLifetime());
        Instant idle = Rotation.min(now.plus(client.refreshIdleTimeout()), absolute);
        RefreshTokenFamily family = new RefreshTokenFamily(familyId, grant.subject(), client.clientId(), grant.scopes(), grant.groups(),
                grant.authTime(), now, now, idle, absolute, FamilyState.ACTIVE, null, null,
                truncate(grant.userAgent(), 512), truncate(grant.remoteAddress(), 64),
                client.isConfidential() ? null : grant.dpopJkt()); // RFC 9449 §5: a confidential client's are bound by its authentication
        String token = hasher.firstToken(familyId);
        store.createFamily(family, new CurrentToken(0, hasher.hash(token), hasher.currentSecretId(), now));
        IssuedAccessToken at = minter.mint(client, AccessTokenMinter.Caller.of(family, grant.scopes(), grant.dpopJkt()), now);
        events.emit(new TokenEvent.Issued(now, grant.grantType(), client.clientId(), grant.subject(), familyId, grant.remoteAddress()));
        return new TokenPair(at, token, idle, grant.scopes(), familyId, now);
    }

    /** An access token without a refresh token or family (client_credentials, or a client that may not refresh). */
    TokenPair accessTokenOnly(RefreshTokenService.Grant grant) {
        Instant now = clock.instant();
        ClientRegistration client = grant.client();
        IssuedAccessToken at = minter.mint(client, new AccessTokenMinter.Caller(grant.subject(), grant.groups(), grant.scopes(),
                grant.authTime(), null, grant.dpopJkt()), now);
        events.emit(new TokenEvent.Issued(now, grant.grantType(), client.clientId(), grant.subject(), null, grant.remoteAddress()));
        return new TokenPair(at, null, null, grant.scopes(), null, now);
    }

    private String newFamilyId() {
        return B64.encodeToString(SecureRandoms.bytes(16));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
