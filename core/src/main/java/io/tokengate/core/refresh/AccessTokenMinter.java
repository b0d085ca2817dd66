package io.tokengate.core.refresh;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.token.IssuedAccessToken;

/** Mints the access token of a grant or a refresh, never one born revoked by a revocation of the same second. */
final class AccessTokenMinter {
    private final AccessTokenIssuer issuer;
    private final RevocationRegistry revocation;

    AccessTokenMinter(AccessTokenIssuer issuer, RevocationRegistry revocation) {
        this.issuer = issuer;
        this.revocation = revocation;
    }

    /** What the access token says about its caller, and the DPoP key it is bound to (or null). */
    record Caller(String subject, Set<String> groups, Set<String> scopes, Instant authTime, String familyId, String dpopJkt) {
        static Caller of(RefreshTokenFamily family, Set<String> scopes, String dpopJkt) {
            return new Caller(family.subject(), family.groups(), scopes, family.authTime(), family.familyId(), dpopJkt);
        }
    }

    IssuedAccessToken mint(ClientRegistration client, Caller caller, Instant issuedAt) {
        Instant revokedAt = revocation.notBefore(caller.subject(), caller.familyId());
        if (revokedAt != null && revokedAt.isBefore(issuedAt) && revokedAt.getEpochSecond() == issuedAt.getEpochSecond()) {
            // iat has whole seconds and a revocation refuses its own second: a grant that began after the revocation
            // (sign in again just after "sign out everywhere") starts its token at the next second instead of being
            // born revoked. A grant that began before the revocation keeps its iat, so the revocation covers it.
            issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        }
        return issuer.issue(AccessTokenRequest.builder(caller.subject(), client.clientId()).scopes(caller.scopes()).groups(caller.groups())
                .authTime(caller.authTime()).familyId(caller.familyId()).dpopJkt(caller.dpopJkt()).lifetime(client.accessTokenLifetime().orElse(null))
                .issuedAt(issuedAt).build());
    }
}
