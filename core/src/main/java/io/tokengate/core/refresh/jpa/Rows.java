package io.tokengate.core.refresh.jpa;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.json.StrictJson;
import io.tokengate.core.refresh.FamilyState;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenRecord;
import io.tokengate.core.refresh.RefreshTokenStore.TokenAndFamily;
import io.tokengate.core.refresh.TokenState;
import io.tokengate.core.token.Scopes;

/** Maps the store's tables to the refresh package's records and back: entities, and the columns of a native query. */
final class Rows {
    private Rows() {
    }

    /** A row of the joined token-and-family SELECT of the refresh path; the family is null when its row is gone. */
    static TokenAndFamily tokenAndFamily(Object[] r) {
        RefreshTokenRecord token = new RefreshTokenRecord((String) r[0], (String) r[1], (String) r[2], TokenState.valueOf((String) r[3]),
                Instant.ofEpochMilli(number(r[4])), instant(r[5]), (String) r[6]);
        RefreshTokenFamily family = r[7] == null ? null : new RefreshTokenFamily((String) r[7], (String) r[8], (String) r[9],
                Scopes.split((String) r[10]), groups((String) r[7], (String) r[11]), instant(r[12]), Instant.ofEpochMilli(number(r[13])),
                Instant.ofEpochMilli(number(r[14])), Instant.ofEpochMilli(number(r[15])), Instant.ofEpochMilli(number(r[16])),
                FamilyState.valueOf((String) r[17]), instant(r[18]), (String) r[19], (String) r[20], (String) r[21]);
        return new TokenAndFamily(token, family);
    }

    static long number(Object column) {
        return ((Number) column).longValue();
    }

    static Instant instant(Object column) {
        return column == null ? null : Instant.ofEpochMilli(number(column));
    }

    static FamilyEntity toEntity(RefreshTokenFamily f, String issuer) {
        FamilyEntity e = new FamilyEntity();
        e.issuer = issuer;
        e.familyId = f.familyId();
        e.subject = f.subject();
        e.clientId = f.clientId();
        e.scopes = String.join(" ", f.scopes());
        e.groups = JsonUtil.toJson(Map.of("g", List.copyOf(f.groups())));
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
        return e;
    }

    static RefreshTokenFamily toFamily(FamilyEntity e) {
        return new RefreshTokenFamily(e.familyId, e.subject, e.clientId, Scopes.split(e.scopes), groups(e.familyId, e.groups), millis(e.authTime),
                Instant.ofEpochMilli(e.createdAt), Instant.ofEpochMilli(e.lastUsedAt), Instant.ofEpochMilli(e.idleExpiresAt),
                Instant.ofEpochMilli(e.absoluteExpiresAt), FamilyState.valueOf(e.state), millis(e.revokedAt), e.revokedReason, e.userAgent,
                e.remoteAddress);
    }

    /** GROUPS_JSON is {@code {"g":[...]}}. */
    private static Set<String> groups(String familyId, String column) {
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

    static TokenEntity toEntity(RefreshTokenRecord r, String issuer) {
        TokenEntity e = new TokenEntity();
        e.issuer = issuer;
        e.tokenHash = r.tokenHash();
        e.secretId = r.secretId();
        e.familyId = r.familyId();
        e.state = r.state().name();
        e.issuedAt = r.issuedAt().toEpochMilli();
        e.rotatedAt = r.rotatedAt() == null ? null : r.rotatedAt().toEpochMilli();
        e.successorHash = r.successorHash();
        return e;
    }

    static RefreshTokenRecord toRecord(TokenEntity e) {
        return new RefreshTokenRecord(e.tokenHash, e.secretId, e.familyId, TokenState.valueOf(e.state), Instant.ofEpochMilli(e.issuedAt),
                millis(e.rotatedAt), e.successorHash);
    }

    static Instant millis(Long v) {
        return v == null ? null : Instant.ofEpochMilli(v);
    }
}
