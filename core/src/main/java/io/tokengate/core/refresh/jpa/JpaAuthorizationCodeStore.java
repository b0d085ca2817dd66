package io.tokengate.core.refresh.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.tokengate.core.authorize.AuthorizationCode;
import io.tokengate.core.authorize.AuthorizationCodeStore;
import io.tokengate.core.authorize.CodeRedemption;
import io.tokengate.core.token.Scopes;

/**
 * The authorization codes of one issuer in table {@code TG_AUTHORIZATION_CODE}: redeemed by one conditional UPDATE
 * ({@code ... WHERE REDEEMED_AT IS NULL AND EXPIRES_AT > now}) whose row count decides, then read in the same
 * transaction to tell a replay from an expired or unknown code. Of two concurrent redemptions the second waits for the
 * first's row lock and then matches no row (PostgreSQL and H2 READ COMMITTED; MariaDB's UPDATE reads the latest row).
 */
final class JpaAuthorizationCodeStore implements AuthorizationCodeStore {
    private static final String REDEEM = "UPDATE TG_AUTHORIZATION_CODE SET REDEEMED_AT = ?1 WHERE CODE_HASH = ?2 AND ISSUER = ?3"
            + " AND REDEEMED_AT IS NULL AND EXPIRES_AT > ?1";

    private final Transactions tx;
    private final String issuer;

    JpaAuthorizationCodeStore(Transactions tx, String issuer) {
        this.tx = tx;
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    @Override
    public void save(AuthorizationCode code) {
        tx.inTransaction(em -> {
            AuthorizationCodeEntity e = new AuthorizationCodeEntity();
            e.codeHash = code.codeHash();
            e.issuer = issuer;
            e.clientId = code.clientId();
            e.redirectUri = code.redirectUri();
            e.codeChallenge = code.codeChallenge();
            e.subject = code.subject();
            e.groups = Rows.groupsJson(code.groups());
            e.scopes = String.join(" ", code.scopes());
            e.authTime = code.authTime().toEpochMilli();
            e.issuedAt = code.issuedAt().toEpochMilli();
            e.expiresAt = code.expiresAt().toEpochMilli();
            em.persist(e);
            return null;
        });
    }

    @Override
    public CodeRedemption redeem(String codeHash, Instant now) {
        return tx.inTransaction(em -> {
            int won = em.createNativeQuery(REDEEM).setParameter(1, now.toEpochMilli()).setParameter(2, codeHash).setParameter(3, issuer)
                    .executeUpdate();
            AuthorizationCodeEntity e = em.find(AuthorizationCodeEntity.class, codeHash);
            if (e == null || !issuer.equals(e.issuer)) {
                return new CodeRedemption.Unknown();
            }
            AuthorizationCode code = new AuthorizationCode(e.codeHash, e.clientId, e.redirectUri, e.codeChallenge, e.subject,
                    Rows.groups(e.codeHash, e.groups), Scopes.split(e.scopes), Instant.ofEpochMilli(e.authTime),
                    Instant.ofEpochMilli(e.issuedAt), Instant.ofEpochMilli(e.expiresAt));
            if (won == 1) {
                return new CodeRedemption.Redeemed(code);
            }
            return e.redeemedAt != null ? new CodeRedemption.Replayed(code, e.familyId) : new CodeRedemption.Expired();
        });
    }

    @Override
    public void recordFamily(String codeHash, String familyId) {
        tx.inTransaction(em -> em.createNativeQuery("UPDATE TG_AUTHORIZATION_CODE SET FAMILY_ID = ?1 WHERE CODE_HASH = ?2 AND ISSUER = ?3")
                .setParameter(1, familyId).setParameter(2, codeHash).setParameter(3, issuer).executeUpdate());
    }

    @Override
    public int deleteExpired(Instant before, int batchSize) {
        return tx.inTransaction(em -> {
            List<String> hashes = em.createQuery("SELECT c.codeHash FROM TokenGateAuthorizationCode c WHERE c.issuer = :issuer"
                    + " AND c.expiresAt < :before", String.class).setParameter("issuer", issuer).setParameter("before", before.toEpochMilli())
                    .setMaxResults(batchSize).getResultList();
            return hashes.isEmpty() ? 0 : em.createQuery("DELETE FROM TokenGateAuthorizationCode c WHERE c.codeHash IN :hashes"
                    + " AND c.issuer = :issuer").setParameter("hashes", hashes).setParameter("issuer", issuer).executeUpdate();
        });
    }
}
