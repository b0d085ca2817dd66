package io.tokengate.core.refresh.jpa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;


import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.refresh.FamilyState;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenRecord;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RotationResult;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.core.refresh.TokenState;
import io.tokengate.core.revocation.Revocation;

/**
 * A {@link RefreshTokenStore} on JPA with resource-local transactions, one per call. Exactly-once rotation
 * across threads and servers comes from conditional UPDATEs whose row counts are checked: the family row
 * ({@code ... WHERE STATE = 'ACTIVE'}) is locked first, then the token row ({@code ... WHERE STATE = 'ACTIVE'});
 * revocation takes the same order, so the two cannot deadlock. On PostgreSQL (READ COMMITTED), MariaDB
 * (REPEATABLE READ: an UPDATE reads the latest committed row) and H2 the second writer waits for the first and
 * then matches no row. The EntityManagerFactory must not share a cache between calls
 * (see {@link JpaStores}).
 *
 * <p>Every row carries the issuer of the application that wrote it, and every statement is limited to this store's
 * issuer: applications that share a database (or its tables) see, revoke and clean up only their own data.
 *
 * <p>The two calls of every refresh are plain SQL through the entity manager, not entity reads: the lookup is one
 * joined SELECT in auto-commit ({@link #findTokenAndFamily}), the rotation three statements and a commit
 * ({@link #rotate}), on the tables of the entities (the shipped DDL).
 */
public final class JpaRefreshTokenStore implements RefreshTokenStore, AutoCloseable {
    private static final String ACTIVE = "ACTIVE";

    private final Transactions tx;
    private final String issuer;
    private final JpaKeySetStore keySets;

    /** The store of the application whose tokens {@code issuer} issues, on {@code emf}. */
    public JpaRefreshTokenStore(EntityManagerFactory emf, String issuer) {
        this.tx = new Transactions(emf);
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.keySets = new JpaKeySetStore(tx, issuer);
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

    /** Reads each table once: a {@link StoreUnavailableException} when the database, a table or its ISSUER column is not there. */
    void checkTables() {
        tx.withEntityManager(em -> {
            for (String table : TABLES) {
                em.createNativeQuery("SELECT COUNT(ISSUER) FROM " + table + " WHERE 1 = 0").getSingleResult();
            }
            return null;
        });
    }

    @Override
    public void createFamily(RefreshTokenFamily family, RefreshTokenRecord firstToken) {
        tx.inTransaction(em -> {
            em.persist(Rows.toEntity(family, issuer));
            em.persist(Rows.toEntity(firstToken, issuer));
            return null;
        });
    }

    @Override
    public Optional<RefreshTokenRecord> findToken(String tokenHash) {
        return tx.inTransaction(em -> Optional.ofNullable(em.find(TokenEntity.class, tokenHash)).filter(t -> issuer.equals(t.issuer))
                .map(Rows::toRecord));
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        return tx.inTransaction(em -> Optional.ofNullable(em.find(FamilyEntity.class, familyId)).filter(f -> issuer.equals(f.issuer))
                .map(Rows::toFamily));
    }

    /** The refresh path's read: the token row and its family row, one statement, no transaction around it. */
    private static final String TOKEN_AND_FAMILY = "SELECT t.TOKEN_HASH, t.SECRET_ID, t.FAMILY_ID, t.STATE, t.ISSUED_AT, t.ROTATED_AT,"
            + " t.SUCCESSOR_HASH, f.FAMILY_ID, f.SUBJECT, f.CLIENT_ID, f.SCOPES, f.GROUPS_JSON, f.AUTH_TIME, f.CREATED_AT, f.LAST_USED_AT,"
            + " f.IDLE_EXPIRES_AT, f.ABSOLUTE_EXPIRES_AT, f.STATE, f.REVOKED_AT, f.REVOKED_REASON, f.USER_AGENT, f.REMOTE_ADDRESS"
            + " FROM TG_REFRESH_TOKEN t LEFT JOIN TG_FAMILY f ON f.FAMILY_ID = t.FAMILY_ID AND f.ISSUER = t.ISSUER"
            + " WHERE t.TOKEN_HASH = ?1 AND t.ISSUER = ?2";
    /** The rotation, as three conditional statements in one transaction: family row first (the lock order of revocation too). */
    private static final String SLIDE_FAMILY = "UPDATE TG_FAMILY SET LAST_USED_AT = ?1, IDLE_EXPIRES_AT = ?2 WHERE FAMILY_ID = ?3"
            + " AND STATE = 'ACTIVE' AND ISSUER = ?4";
    private static final String ROTATE_TOKEN = "UPDATE TG_REFRESH_TOKEN SET STATE = 'ROTATED', ROTATED_AT = ?1, SUCCESSOR_HASH = ?2"
            + " WHERE TOKEN_HASH = ?3 AND STATE = 'ACTIVE' AND FAMILY_ID = ?4 AND ISSUER = ?5";
    private static final String INSERT_TOKEN = "INSERT INTO TG_REFRESH_TOKEN (TOKEN_HASH, ISSUER, SECRET_ID, FAMILY_ID, STATE, ISSUED_AT,"
            + " ROTATED_AT, SUCCESSOR_HASH) VALUES (?1, ?5, ?2, ?3, 'ACTIVE', ?4, NULL, NULL)";

    @Override
    public Optional<TokenAndFamily> findTokenAndFamily(String tokenHash) {
        return tx.withEntityManager(em -> {
            List<?> rows = em.createNativeQuery(TOKEN_AND_FAMILY).setParameter(1, tokenHash).setParameter(2, issuer).getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Rows.tokenAndFamily((Object[]) rows.get(0)));
        });
    }

    /**
     * The rotation as one PostgreSQL statement in auto-commit, one round trip: the family row is locked first
     * ({@code FOR UPDATE}, the lock order of revocation), the token row is rotated only if still active, and the
     * family slides and the successor is stored only if the token was rotated. A concurrent loser waits for the
     * family lock, then finds the token no longer active (READ COMMITTED re-reads the newest row) and changes nothing.
     */
    private static final String ROTATE_ON_POSTGRESQL = "WITH f AS (SELECT FAMILY_ID FROM TG_FAMILY WHERE FAMILY_ID = ?1 AND STATE = 'ACTIVE'"
            + " AND ISSUER = ?8 FOR UPDATE), t AS (UPDATE TG_REFRESH_TOKEN SET STATE = 'ROTATED', ROTATED_AT = ?2, SUCCESSOR_HASH = ?3 WHERE TOKEN_HASH = ?4"
            + " AND STATE = 'ACTIVE' AND FAMILY_ID IN (SELECT FAMILY_ID FROM f) RETURNING FAMILY_ID), s AS (UPDATE TG_FAMILY SET"
            + " LAST_USED_AT = ?2, IDLE_EXPIRES_AT = ?5 WHERE FAMILY_ID IN (SELECT FAMILY_ID FROM t) RETURNING FAMILY_ID), i AS (INSERT INTO"
            + " TG_REFRESH_TOKEN (TOKEN_HASH, ISSUER, SECRET_ID, FAMILY_ID, STATE, ISSUED_AT, ROTATED_AT, SUCCESSOR_HASH) SELECT ?3, ?8, ?6,"
            + " FAMILY_ID, 'ACTIVE', ?7, NULL, NULL FROM s RETURNING TOKEN_HASH) SELECT COUNT(*) FROM i";

    /** Whether the database is PostgreSQL, learnt at the first rotation. */
    private volatile Boolean postgres;

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = tx.inTransaction(em -> {
                try {
                    return em.unwrap(Connection.class).getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                            .contains("postgresql");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            postgres = known;
        }
        return known;
    }

    @Override
    public RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Instant now, Instant newIdleExpiresAt) {
        String familyId = successor.familyId();
        if (postgres()) {
            long rotated = tx.withEntityManager(em -> Rows.number(em.createNativeQuery(ROTATE_ON_POSTGRESQL).setParameter(1, familyId)
                    .setParameter(2, now.toEpochMilli()).setParameter(3, successor.tokenHash()).setParameter(4, presentedHash)
                    .setParameter(5, newIdleExpiresAt.toEpochMilli()).setParameter(6, successor.secretId())
                    .setParameter(7, successor.issuedAt().toEpochMilli()).setParameter(8, issuer).getSingleResult()));
            if (rotated == 1) {
                return RotationResult.ROTATED;
            }
            return findToken(presentedHash).isEmpty() ? RotationResult.NOT_FOUND : RotationResult.NOT_ACTIVE;
        }
        return tx.inTransaction(em -> {
            int family = em.createNativeQuery(SLIDE_FAMILY).setParameter(1, now.toEpochMilli()).setParameter(2, newIdleExpiresAt.toEpochMilli())
                    .setParameter(3, familyId).setParameter(4, issuer).executeUpdate();
            int token = family != 1 ? 0 : em.createNativeQuery(ROTATE_TOKEN).setParameter(1, now.toEpochMilli())
                    .setParameter(2, successor.tokenHash()).setParameter(3, presentedHash).setParameter(4, familyId).setParameter(5, issuer)
                    .executeUpdate();
            if (token != 1) {
                em.getTransaction().setRollbackOnly();
                // the rare path: tell a token that is not there from one that is not active any more
                TokenEntity presented = em.find(TokenEntity.class, presentedHash);
                return presented == null || !issuer.equals(presented.issuer) ? RotationResult.NOT_FOUND : RotationResult.NOT_ACTIVE;
            }
            em.createNativeQuery(INSERT_TOKEN).setParameter(1, successor.tokenHash()).setParameter(2, successor.secretId())
                    .setParameter(3, familyId).setParameter(4, successor.issuedAt().toEpochMilli()).setParameter(5, issuer).executeUpdate();
            return RotationResult.ROTATED;
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
