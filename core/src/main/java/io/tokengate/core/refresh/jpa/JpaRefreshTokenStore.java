package io.tokengate.core.refresh.jpa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Query;

import io.tokengate.core.authorize.AuthorizationCodeStore;
import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.refresh.CurrentToken;
import io.tokengate.core.refresh.FamilyState;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RotationResult;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.core.refresh.TokenState;
import io.tokengate.core.revocation.Revocation;

/**
 * A {@link RefreshTokenStore} on JPA with resource-local transactions, one per call. Exactly-once rotation
 * across threads and servers comes from a conditional UPDATE whose row count is checked: the family row
 * ({@code ... WHERE STATE = 'ACTIVE' AND GENERATION = ?}); where a token row of an earlier version is involved, the
 * family row is locked first, then the token row, and revocation takes the same order, so the two cannot deadlock. On PostgreSQL (READ COMMITTED), MariaDB
 * (REPEATABLE READ: an UPDATE reads the latest committed row) and H2 the second writer waits for the first and
 * then matches no row. The EntityManagerFactory must not share a cache between calls
 * (see {@link JpaStores}).
 *
 * <p>Every row carries the issuer of the application that wrote it, and every statement is limited to this store's
 * issuer: applications that share a database (or its tables) see, revoke and clean up only their own data.
 *
 * <p>A family is one row of TG_FAMILY with its live token, whatever the number of refreshes. The two calls of every
 * refresh are plain SQL through the entity manager, not entity reads, on that row by primary key: one SELECT in
 * auto-commit ({@link #findFamilyAndToken}), then one conditional UPDATE and its commit ({@link #advance}). Token rows
 * of an earlier version (TG_REFRESH_TOKEN) are read, rotated once into their family's row and cleaned up.
 */
public final class JpaRefreshTokenStore implements RefreshTokenStore, AutoCloseable {
    private static final String ACTIVE = "ACTIVE";

    private final Transactions tx;
    private final String issuer;
    private final JpaKeySetStore keySets;
    private final JpaAuthorizationCodeStore codes;

    /** The store of the application whose tokens {@code issuer} issues, on {@code emf}. */
    public JpaRefreshTokenStore(EntityManagerFactory emf, String issuer) {
        this.tx = new Transactions(emf);
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.keySets = new JpaKeySetStore(tx, issuer);
        this.codes = new JpaAuthorizationCodeStore(tx, issuer);
    }

    /** The issuer's authorization codes, in table {@code TG_AUTHORIZATION_CODE} of this store's database. */
    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return codes;
    }

    /** The issuer's shared key set, in table {@code TG_KEY_SET} of this store's database. */
    @Override
    public KeySetStore keySets() {
        return keySets;
    }

    /** The issuer whose rows this store reads and writes. */
    public String issuer() {
        return issuer;
    }

    /** Closes the factory. */
    @Override
    public void close() {
        tx.close();
    }

    static final List<String> TABLES = List.of("TG_FAMILY", "TG_REFRESH_TOKEN", "TG_REVOCATION");

    /**
     * Reads each table once: a {@link StoreUnavailableException} when the database, a table or a column of an upgrade
     * ({@link SchemaUpgrades}) is not there.
     */
    void checkTables() {
        tx.withEntityManager(em -> {
            for (SchemaUpgrades.Upgrade upgrade : SchemaUpgrades.ALL) {
                for (String table : upgrade.tables()) {
                    em.createNativeQuery("SELECT COUNT(" + upgrade.column() + ") FROM " + table + " WHERE 1 = 0").getSingleResult();
                }
            }
            return null;
        });
    }

    @Override
    public void createFamily(RefreshTokenFamily family, CurrentToken firstToken) {
        tx.inTransaction(em -> {
            em.persist(Rows.toEntity(family, firstToken, issuer));
            return null;
        });
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        return tx.inTransaction(em -> Optional.ofNullable(em.find(FamilyEntity.class, familyId)).filter(f -> issuer.equals(f.issuer))
                .map(Rows::toFamily));
    }

    /** The refresh path's read: the family row with its live token, by primary key, no transaction around it. */
    private static final String FAMILY_AND_TOKEN = "SELECT " + Rows.FAMILY_COLUMNS + ", " + Rows.LIVE_TOKEN_COLUMNS
            + " FROM TG_FAMILY f WHERE f.FAMILY_ID = ?1 AND f.ISSUER = ?2";
    /** The refresh path's write: one conditional UPDATE of the family row, the compare-and-set on the generation. */
    private static final String ADVANCE = "UPDATE TG_FAMILY SET GENERATION = ?1, TOKEN_HASH = ?2, TOKEN_SECRET_ID = ?3, TOKEN_ISSUED_AT = ?4,"
            + " LAST_USED_AT = ?5, IDLE_EXPIRES_AT = ?6 WHERE FAMILY_ID = ?7 AND ISSUER = ?8 AND STATE = 'ACTIVE' AND GENERATION = ?9";
    /** An earlier version's family takes its first live token (family row first: the lock order of revocation)... */
    private static final String FIRST_LIVE_TOKEN = "UPDATE TG_FAMILY SET GENERATION = ?1, TOKEN_HASH = ?2, TOKEN_SECRET_ID = ?3,"
            + " TOKEN_ISSUED_AT = ?4, LAST_USED_AT = ?5, IDLE_EXPIRES_AT = ?6 WHERE FAMILY_ID = ?7 AND ISSUER = ?8 AND STATE = 'ACTIVE'"
            + " AND GENERATION IS NULL";
    /** ...and its token row is marked rotated, in the same transaction. */
    private static final String ROTATE_TOKEN_ROW = "UPDATE TG_REFRESH_TOKEN SET STATE = 'ROTATED', ROTATED_AT = ?1, SUCCESSOR_HASH = ?2"
            + " WHERE TOKEN_HASH = ?3 AND STATE = 'ACTIVE' AND FAMILY_ID = ?4 AND ISSUER = ?5";
    /** An earlier version's token row and its family row, one statement. */
    private static final String TOKEN_ROW_AND_FAMILY = "SELECT t.TOKEN_HASH, t.SECRET_ID, t.FAMILY_ID, t.STATE, t.ISSUED_AT, t.ROTATED_AT,"
            + " t.SUCCESSOR_HASH, " + Rows.FAMILY_COLUMNS
            + " FROM TG_REFRESH_TOKEN t LEFT JOIN TG_FAMILY f ON f.FAMILY_ID = t.FAMILY_ID AND f.ISSUER = t.ISSUER"
            + " WHERE t.TOKEN_HASH = ?1 AND t.ISSUER = ?2";

    @Override
    public Optional<FamilyAndToken> findFamilyAndToken(String familyId) {
        return tx.withEntityManager(em -> {
            List<?> rows = em.createNativeQuery(FAMILY_AND_TOKEN).setParameter(1, familyId).setParameter(2, issuer).getResultList();
            return rows.isEmpty() ? Optional.empty() : Optional.of(Rows.familyAndToken((Object[]) rows.get(0)));
        });
    }

    @Override
    public RotationResult advance(String familyId, long generation, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        int updated = tx.inTransaction(em -> liveToken(em.createNativeQuery(ADVANCE), familyId, successor, now, newIdleExpiresAt)
                .setParameter(9, generation).executeUpdate());
        return updated == 1 ? RotationResult.ROTATED : findFamily(familyId).isPresent() ? RotationResult.NOT_ACTIVE : RotationResult.NOT_FOUND;
    }

    private Query liveToken(Query q, String familyId, CurrentToken live, Instant now, Instant idle) {
        return q.setParameter(1, live.generation()).setParameter(2, live.tokenHash()).setParameter(3, live.secretId())
                .setParameter(4, live.issuedAt().toEpochMilli()).setParameter(5, now.toEpochMilli()).setParameter(6, idle.toEpochMilli())
                .setParameter(7, familyId).setParameter(8, issuer);
    }

    @Override
    public Optional<TokenAndFamily> findTokenAndFamily(String tokenHash) {
        return tx.withEntityManager(em -> {
            List<?> rows = em.createNativeQuery(TOKEN_ROW_AND_FAMILY).setParameter(1, tokenHash).setParameter(2, issuer).getResultList();
            return rows.isEmpty() ? Optional.empty() : Optional.of(Rows.tokenAndFamily((Object[]) rows.get(0)));
        });
    }

    @Override
    public RotationResult rotate(String presentedHash, String familyId, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        return tx.inTransaction(em -> {
            int family = liveToken(em.createNativeQuery(FIRST_LIVE_TOKEN), familyId, successor, now, newIdleExpiresAt).executeUpdate();
            int token = family != 1 ? 0 : em.createNativeQuery(ROTATE_TOKEN_ROW).setParameter(1, now.toEpochMilli())
                    .setParameter(2, successor.tokenHash()).setParameter(3, presentedHash).setParameter(4, familyId).setParameter(5, issuer)
                    .executeUpdate();
            if (token == 1) {
                return RotationResult.ROTATED;
            }
            em.getTransaction().setRollbackOnly();
            // the rare path: tell a token that is not there from one that is not active any more
            TokenEntity presented = em.find(TokenEntity.class, presentedHash);
            return presented == null || !issuer.equals(presented.issuer) || !presented.familyId.equals(familyId) ? RotationResult.NOT_FOUND
                    : RotationResult.NOT_ACTIVE;
        });
    }

    @Override
    public boolean revokeFamily(String familyId, Instant now, String reason) {
        return tx.inTransaction(em -> revokeIn(em, familyId, now, reason));
    }

    private boolean revokeIn(EntityManager em, String familyId, Instant now, String reason) {
        int family = em.createQuery("UPDATE TokenGateFamily f SET f.state = :revoked, f.revokedAt = :now, f.revokedReason = :reason"
                        + " WHERE f.familyId = :id AND f.state = :active AND f.issuer = :issuer")
                .setParameter("revoked", FamilyState.REVOKED.name()).setParameter("now", now.toEpochMilli())
                .setParameter("reason", reason).setParameter("id", familyId).setParameter("active", ACTIVE).setParameter("issuer", issuer)
                .executeUpdate();
        if (family != 1) {
            return false;
        }
        em.createQuery("UPDATE TokenGateRefreshToken t SET t.state = :revoked WHERE t.familyId = :id AND t.state = :active"
                        + " AND t.issuer = :issuer").setParameter("revoked", TokenState.REVOKED.name()).setParameter("id", familyId)
                .setParameter("active", ACTIVE).setParameter("issuer", issuer).executeUpdate();
        return true;
    }

    @Override
    public List<String> revokeFamiliesOfSubject(String subject, Instant now, String reason) {
        return revokeWhere("f.subject = :v", subject, now, reason);
    }

    @Override
    public List<String> revokeFamiliesOfClient(String clientId, Instant now, String reason) {
        return revokeWhere("f.clientId = :v", clientId, now, reason);
    }

    private List<String> revokeWhere(String condition, String value, Instant now, String reason) {
        return tx.inTransaction(em -> {
            List<String> ids = em.createQuery("SELECT f.familyId FROM TokenGateFamily f WHERE " + condition + " AND f.state = :active"
                    + " AND f.issuer = :issuer", String.class).setParameter("v", value).setParameter("active", ACTIVE)
                    .setParameter("issuer", issuer).getResultList();
            List<String> revoked = new ArrayList<>();
            for (String id : ids) {
                if (revokeIn(em, id, now, reason)) {
                    revoked.add(id);
                }
            }
            return revoked;
        });
    }

    @Override
    public List<RefreshTokenFamily> familiesOfSubject(String subject) {
        return tx.inTransaction(em -> em.createQuery("SELECT f FROM TokenGateFamily f WHERE f.subject = :s AND f.issuer = :issuer"
                + " ORDER BY f.createdAt DESC", FamilyEntity.class).setParameter("s", subject).setParameter("issuer", issuer).getResultList()
                .stream().map(Rows::toFamily).toList());
    }

    /**
     * A conditional UPDATE (only a later cut replaces the row), else an INSERT; two servers inserting the same cut
     * at once make one of them fail on the key, and its second attempt takes the UPDATE.
     */
    @Override
    public void saveRevocation(Revocation revocation) {
        String id = revocationId(issuer, revocation.kind(), revocation.key());
        for (int attempt = 0; ; attempt++) {
            try {
                tx.inTransaction(em -> {
                    int updated = em.createQuery("UPDATE TokenGateRevocation r SET r.cutAt = :at, r.dropAt = :dropAt WHERE r.id = :id"
                                    + " AND r.issuer = :issuer AND r.cutAt < :at").setParameter("at", revocation.at().toEpochMilli())
                            .setParameter("dropAt", revocation.dropAt().toEpochMilli()).setParameter("id", id).setParameter("issuer", issuer)
                            .executeUpdate();
                    if (updated == 0 && em.find(RevocationEntity.class, id) == null) {
                        RevocationEntity e = new RevocationEntity();
                        e.id = id;
                        e.issuer = issuer;
                        e.kind = revocation.kind().name();
                        e.key = revocation.key();
                        e.cutAt = revocation.at().toEpochMilli();
                        e.dropAt = revocation.dropAt().toEpochMilli();
                        em.persist(e);
                    }
                    return null;
                });
                return;
            } catch (StoreUnavailableException e) {
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /**
     * The row key of a cut: a hash of its application's issuer, its kind and key, so the database's collation
     * (MariaDB's ignores case and trailing spaces) can never fold two subjects into one row, nor two applications.
     */
    static String revocationId(String issuer, Revocation.Kind kind, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((issuer + "\n" + kind.name() + ":" + key).getBytes(
                    StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<Revocation> liveRevocations(Instant now, Duration notBeforeLife) {
        return tx.inTransaction(em -> {
            List<Revocation> out = new ArrayList<>();
            // a cut kept by TokenGate 0.1 has no issuer: every application enforces it until it drops (revoking too much is safe)
            for (RevocationEntity e : em.createQuery("SELECT r FROM TokenGateRevocation r WHERE r.dropAt > :now"
                            + " AND (r.issuer = :issuer OR r.issuer IS NULL)",
                    RevocationEntity.class).setParameter("now", now.toEpochMilli()).setParameter("issuer", issuer).getResultList()) {
                out.add(new Revocation(Revocation.Kind.valueOf(e.kind), e.key, Instant.ofEpochMilli(e.cutAt), Instant.ofEpochMilli(e.dropAt)));
            }
            for (Object[] f : em.createQuery("SELECT f.familyId, f.revokedAt FROM TokenGateFamily f WHERE f.revokedAt > :since"
                            + " AND f.state = :revoked AND f.issuer = :issuer", Object[].class)
                    .setParameter("since", now.minus(notBeforeLife).toEpochMilli()).setParameter("revoked", FamilyState.REVOKED.name())
                    .setParameter("issuer", issuer).getResultList()) {
                Instant at = Instant.ofEpochMilli(Rows.number(f[1]));
                out.add(new Revocation(Revocation.Kind.FAMILY, (String) f[0], at, at.plus(notBeforeLife)));
            }
            return out;
        });
    }

    @Override
    public int deleteExpiredRevocations(Instant now, int batchSize) {
        return tx.inTransaction(em -> {
            List<String> ids = em.createQuery("SELECT r.id FROM TokenGateRevocation r WHERE (r.issuer = :issuer OR r.issuer IS NULL)"
                            + " AND r.dropAt <= :now",
                    String.class).setParameter("issuer", issuer).setParameter("now", now.toEpochMilli()).setMaxResults(batchSize).getResultList();
            // dropAt again: a cut renewed since the SELECT stays
            return ids.isEmpty() ? 0 : em.createQuery("DELETE FROM TokenGateRevocation r WHERE r.id IN :ids AND r.dropAt <= :now")
                    .setParameter("ids", ids).setParameter("now", now.toEpochMilli()).executeUpdate();
        });
    }

    @Override
    public int deleteExpired(Instant now, Instant revokedBefore, int batchSize) {
        return tx.inTransaction(em -> {
            List<String> ids = em.createQuery("SELECT f.familyId FROM TokenGateFamily f WHERE f.issuer = :issuer AND (f.idleExpiresAt <= :now"
                            + " OR f.absoluteExpiresAt <= :now OR (f.state = :revoked AND f.revokedAt < :before))", String.class)
                    .setParameter("issuer", issuer).setParameter("now", now.toEpochMilli()).setParameter("revoked", FamilyState.REVOKED.name())
                    .setParameter("before", revokedBefore.toEpochMilli()).setMaxResults(batchSize).getResultList();
            if (ids.isEmpty()) {
                return 0;
            }
            em.createQuery("DELETE FROM TokenGateRefreshToken t WHERE t.familyId IN :ids AND t.issuer = :issuer").setParameter("ids", ids)
                    .setParameter("issuer", issuer).executeUpdate();
            // another server may have deleted some of them already: count what this one removed
            return em.createQuery("DELETE FROM TokenGateFamily f WHERE f.familyId IN :ids AND f.issuer = :issuer").setParameter("ids", ids)
                    .setParameter("issuer", issuer).executeUpdate();
        });
    }

    @Override
    public int deleteRotatedTokens(Instant rotatedBefore, int batchSize) {
        return tx.inTransaction(em -> {
            List<String> hashes = em.createQuery("SELECT t.tokenHash FROM TokenGateRefreshToken t WHERE t.issuer = :issuer"
                            + " AND t.state = :rotated AND t.rotatedAt < :before", String.class)
                    .setParameter("issuer", issuer).setParameter("rotated", TokenState.ROTATED.name()).setParameter("before", rotatedBefore.toEpochMilli())
                    .setMaxResults(batchSize).getResultList();
            if (hashes.isEmpty()) {
                return 0;
            }
            return em.createQuery("DELETE FROM TokenGateRefreshToken t WHERE t.tokenHash IN :hashes AND t.state = :rotated"
                            + " AND t.issuer = :issuer").setParameter("hashes", hashes).setParameter("rotated", TokenState.ROTATED.name())
                    .setParameter("issuer", issuer).executeUpdate();
        });
    }
}
