package io.tokengate.core.refresh.jpa;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.json.StrictJson;
import io.tokengate.core.refresh.CurrentToken;
import io.tokengate.core.refresh.FamilyState;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenRecord;
import io.tokengate.core.refresh.RefreshTokenStore.FamilyAndToken;
import io.tokengate.core.refresh.RefreshTokenStore.TokenAndFamily;
import io.tokengate.core.refresh.TokenState;
import io.tokengate.core.token.Scopes;

/** Maps the store's tables to the refresh package's records and back: entities, and the columns of a native query. */
final class Rows {
    private Rows() {
    }

    /** The columns of a family in a native SELECT, in the order {@link #family(Object[], int)} reads them. */
    static final String FAMILY_COLUMNS = "f.FAMILY_ID, f.SUBJECT, f.CLIENT_ID, f.SCOPES, f.GROUPS_JSON, f.AUTH_TIME, f.CREATED_AT,"
            + " f.LAST_USED_AT, f.IDLE_EXPIRES_AT, f.ABSOLUTE_EXPIRES_AT, f.STATE, f.REVOKED_AT, f.REVOKED_REASON, f.USER_AGENT, f.REMOTE_ADDRESS,"
            + " f.DPOP_JKT";
    /** The columns of a family's live token, after {@link #FAMILY_COLUMNS}. */
    static final String LIVE_TOKEN_COLUMNS = "f.GENERATION, f.TOKEN_HASH, f.TOKEN_SECRET_ID, f.TOKEN_ISSUED_AT";
    private static final int FAMILY_WIDTH = 16;

    /** A row of the family-and-live-token SELECT of the refresh path. */
    static FamilyAndToken familyAndToken(Object[] r) {
        int t = FAMILY_WIDTH;
        boolean complete = r[t] != null && r[t + 1] != null && r[t + 2] != null && r[t + 3] != null; // else: no live token (yet)
        CurrentToken live = !complete ? null : new CurrentToken(number(r[t]), (String) r[t + 1], (String) r[t + 2], instant(r[t + 3]));
        return new FamilyAndToken(family(r, 0), live);
    }

    /** A row of the joined token-row-and-family SELECT of an earlier version's token; the family is null when its row is gone. */
    static TokenAndFamily tokenAndFamily(Object[] r) {
        RefreshTokenRecord token = new RefreshTokenRecord((String) r[0], (String) r[1], (String) r[2], TokenState.valueOf((String) r[3]),
                Instant.ofEpochMilli(number(r[4])), instant(r[5]), (String) r[6]);
        return new TokenAndFamily(token, r[7] == null ? null : family(r, 7));
    }

    private static RefreshTokenFamily family(Object[] r, int o) {
        return new RefreshTokenFamily((String) r[o], (String) r[o + 1], (String) r[o + 2], Scopes.split((String) r[o + 3]),
                groups((String) r[o], (String) r[o + 4]), instant(r[o + 5]), Instant.ofEpochMilli(number(r[o + 6])),
                Instant.ofEpochMilli(number(r[o + 7])), Instant.ofEpochMilli(number(r[o + 8])), Instant.ofEpochMilli(number(r[o + 9])),
                FamilyState.valueOf((String) r[o + 10]), instant(r[o + 11]), (String) r[o + 12], (String) r[o + 13], (String) r[o + 14],
                (String) r[o + 15]);
    }

    static long number(Object column) {
        return ((Number) column).longValue();
    }

    static Instant instant(Object column) {
        return column == null ? null : Instant.ofEpochMilli(number(column));
    }

    static FamilyEntity toEntity(RefreshTokenFamily f, CurrentToken live, String issuer) {
        FamilyEntity e = new FamilyEntity();
        e.generation = live.generation();
        e.tokenHash = live.tokenHash();
        e.tokenSecretId = live.secretId();
        e.tokenIssuedAt = live.issuedAt().toEpochMilli();
        e.issuer = issuer;
        e.familyId = f.familyId();
        e.subject = f.subject();
        e.clientId = f.clientId();
        e.scopes = String.join(" ", f.scopes());
        e.groups = groupsJson(f.groups());
        e.authTime = f.authTime() == null ? null : f.authTime().toEpochMilli();
        e.createdAt = f.createdAt().toEpochMilli();
        e.lastUsedAt = f.lastUsedAt().toEpochMilli();
        e.idleExpiresAt = f.idleExpiresAt().toEpochMilli();
        e.absoluteExpiresAt = f.absoluteExpiresAt().toEpochMilli();
        e.state = f.state().name();
        e.revokedAt = f.revokedAt() == null ? null : f.revokedAt().toEpochMilli();
        e.revokedReason = f.revokedReason();
        e.userAgent = f.userAgent();
        e.remoteAddress = f.remoteAddress();
        e.dpopJkt = f.dpopJkt();
        return e;
    }

    static RefreshTokenFamily toFamily(FamilyEntity e) {
        return new RefreshTokenFamily(e.familyId, e.subject, e.clientId, Scopes.split(e.scopes), groups(e.familyId, e.groups), millis(e.authTime),
                Instant.ofEpochMilli(e.createdAt), Instant.ofEpochMilli(e.lastUsedAt), Instant.ofEpochMilli(e.idleExpiresAt),
                Instant.ofEpochMilli(e.absoluteExpiresAt), FamilyState.valueOf(e.state), millis(e.revokedAt), e.revokedReason, e.userAgent,
                e.remoteAddress, e.dpopJkt);
    }

    /** The GROUPS_JSON column of a set of groups. */
    static String groupsJson(Set<String> groups) {
        return JsonUtil.toJson(Map.of("g", List.copyOf(groups)));
    }

    /** GROUPS_JSON is {@code {"g":[...]}}. */
    static Set<String> groups(String familyId, String column) {
        Set<String> groups = new LinkedHashSet<>();
        try {
            Object g = StrictJson.parseObject(column).get("g");
            if (g instanceof List) {
                for (Object o : (List<?>) g) {
                    groups.add(String.valueOf(o));
                }
            }
        } catch (StrictJson.MalformedJson ex) {
            throw new IllegalStateException("family " + familyId + " has unreadable groups", ex);
        }
        return groups;
    }

    static Instant millis(Long v) {
        return v == null ? null : Instant.ofEpochMilli(v);
    }
}
