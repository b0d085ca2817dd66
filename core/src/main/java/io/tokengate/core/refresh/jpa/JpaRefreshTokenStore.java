package io.tokengate.core.refresh.jpa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.refresh.FamilyState;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenRecord;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RotationResult;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.core.refresh.TokenState;

/**
 * A {@link RefreshTokenStore} on JPA with resource-local transactions, one per call. Exactly-once rotation
 * across threads and servers comes from conditional bulk UPDATEs whose row counts are checked: the family row
 * ({@code ... WHERE STATE = 'ACTIVE'}) is locked first, then the token row ({@code ... WHERE STATE = 'ACTIVE'});
 * revocation takes the same order, so the two cannot deadlock. On PostgreSQL (READ COMMITTED), MariaDB
 * (REPEATABLE READ: an UPDATE reads the latest committed row) and H2 the second writer waits for the first and
 * then matches no row. The EntityManagerFactory must not share a cache between calls
 * (see {@link JpaStores}).
 */
public final class JpaRefreshTokenStore implements RefreshTokenStore {
    private static final String ACTIVE = "ACTIVE";

    private final EntityManagerFactory emf;

    public JpaRefreshTokenStore(EntityManagerFactory emf) {
        this.emf = emf;
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em;
        try {
            em = emf.createEntityManager();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the refresh-token store", e);
        }
        EntityTransaction tx = null;
        try {
            tx = em.getTransaction();
            tx.begin();
            T result = work.apply(em);
            if (tx.getRollbackOnly()) {
                tx.rollback();
            } else {
                tx.commit();
            }
            return result;
        } catch (RuntimeException e) {
            try {
                if (tx != null && tx.isActive()) {
                    tx.rollback();
                }
            } catch (RuntimeException ignored) {
                // the original failure is what matters
            }
            throw new StoreUnavailableException("the refresh-token store failed: " + e.getClass().getSimpleName(), e);
        } finally {
            try {
                em.close();
            } catch (RuntimeException ignored) {
                // closing a broken connection
            }
        }
    }

    @Override
    public void createFamily(RefreshTokenFamily family, RefreshTokenRecord firstToken) {
        inTransaction(em -> {
            em.persist(toEntity(family));
            em.persist(toEntity(firstToken));
            return null;
        });
    }

    @Override
    public Optional<RefreshTokenRecord> findToken(String tokenHash) {
        return inTransaction(em -> Optional.ofNullable(em.find(TokenEntity.class, tokenHash)).map(JpaRefreshTokenStore::toRecord));
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        return inTransaction(em -> Optional.ofNullable(em.find(FamilyEntity.class, familyId)).map(JpaRefreshTokenStore::toFamily));
    }

    @Override
    public RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Instant now, Instant newIdleExpiresAt) {
        return inTransaction(em -> {
            TokenEntity presented = em.find(TokenEntity.class, presentedHash);
            if (presented == null) {
                return RotationResult.NOT_FOUND;
            }
            int family = em.createQuery("UPDATE TokenGateFamily f SET f.lastUsedAt = :now, f.idleExpiresAt = :idle"
                            + " WHERE f.familyId = :id AND f.state = :active")
                    .setParameter("now", now.toEpochMilli()).setParameter("idle", newIdleExpiresAt.toEpochMilli())
                    .setParameter("id", presented.familyId).setParameter("active", ACTIVE).executeUpdate();
            if (family != 1) {
                em.getTransaction().setRollbackOnly();
                return RotationResult.NOT_ACTIVE;
            }
            int token = em.createQuery("UPDATE TokenGateRefreshToken t SET t.state = :rotated, t.rotatedAt = :now,"
                            + " t.successorHash = :successor WHERE t.tokenHash = :hash AND t.state = :active")
                    .setParameter("rotated", TokenState.ROTATED.name()).setParameter("now", now.toEpochMilli())
                    .setParameter("successor", successor.tokenHash()).setParameter("hash", presentedHash)
                    .setParameter("active", ACTIVE).executeUpdate();
            if (token != 1) {
                em.getTransaction().setRollbackOnly();
                return RotationResult.NOT_ACTIVE;
            }
            em.persist(toEntity(successor));
            em.flush();
            return RotationResult.ROTATED;
        });
    }

    @Override
    public boolean revokeFamily(String familyId, Instant now, String reason) {
        return inTransaction(em -> revokeIn(em, familyId, now, reason));
    }

    private static boolean revokeIn(EntityManager em, String familyId, Instant now, String reason) {
        int family = em.createQuery("UPDATE TokenGateFamily f SET f.state = :revoked, f.revokedAt = :now, f.revokedReason = :reason"
                        + " WHERE f.familyId = :id AND f.state = :active")
                .setParameter("revoked", FamilyState.REVOKED.name()).setParameter("now", now.toEpochMilli())
                .setParameter("reason", reason).setParameter("id", familyId).setParameter("active", ACTIVE).executeUpdate();
        if (family != 1) {
            return false;
        }
        em.createQuery("UPDATE TokenGateRefreshToken t SET t.state = :revoked WHERE t.familyId = :id AND t.state = :active")
                .setParameter("revoked", TokenState.REVOKED.name()).setParameter("id", familyId).setParameter("active", ACTIVE)
                .executeUpdate();
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
        return inTransaction(em -> {
            List<String> ids = em.createQuery("SELECT f.familyId FROM TokenGateFamily f WHERE " + condition + " AND f.state = :active",
                    String.class).setParameter("v", value).setParameter("active", ACTIVE).getResultList();
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
        return inTransaction(em -> em.createQuery("SELECT f FROM TokenGateFamily f WHERE f.subject = :s ORDER BY f.createdAt DESC",
                FamilyEntity.class).setParameter("s", subject).getResultList().stream().map(JpaRefreshTokenStore::toFamily).toList());
    }

    @Override
    public List<RefreshTokenFamily> familiesRevokedSince(Instant since) {
        return inTransaction(em -> em.createQuery("SELECT f FROM TokenGateFamily f WHERE f.revokedAt >= :since AND f.state = :revoked",
                        FamilyEntity.class).setParameter("since", since.toEpochMilli()).setParameter("revoked", FamilyState.REVOKED.name())
                .getResultList().stream().map(JpaRefreshTokenStore::toFamily).toList());
    }

    @Override
    public int deleteExpired(Instant now, Instant revokedBefore, int batchSize) {
        return inTransaction(em -> {
            List<String> ids = em.createQuery("SELECT f.familyId FROM TokenGateFamily f WHERE f.idleExpiresAt <= :now"
                            + " OR f.absoluteExpiresAt <= :now OR (f.state = :revoked AND f.revokedAt < :before)", String.class)
                    .setParameter("now", now.toEpochMilli()).setParameter("revoked", FamilyState.REVOKED.name())
                    .setParameter("before", revokedBefore.toEpochMilli()).setMaxResults(batchSize).getResultList();
            if (ids.isEmpty()) {
                return 0;
            }
            em.createQuery("DELETE FROM TokenGateRefreshToken t WHERE t.familyId IN :ids").setParameter("ids", ids).executeUpdate();
            // another server may have deleted some of them already: count what this one removed
            return em.createQuery("DELETE FROM TokenGateFamily f WHERE f.familyId IN :ids").setParameter("ids", ids).executeUpdate();
        });
    }

    @Override
    public int deleteRotatedTokens(Instant rotatedBefore, int batchSize) {
        return inTransaction(em -> {
            List<String> hashes = em.createQuery("SELECT t.tokenHash FROM TokenGateRefreshToken t WHERE t.state = :rotated"
                            + " AND t.rotatedAt < :before", String.class)
                    .setParameter("rotated", TokenState.ROTATED.name()).setParameter("before", rotatedBefore.toEpochMilli())
                    .setMaxResults(batchSize).getResultList();
            if (hashes.isEmpty()) {
                return 0;
            }
            return em.createQuery("DELETE FROM TokenGateRefreshToken t WHERE t.tokenHash IN :hashes AND t.state = :rotated")
                    .setParameter("hashes", hashes).setParameter("rotated", TokenState.ROTATED.name()).executeUpdate();
        });
    }

    // ------------------------------------------------------------------ mapping

    static FamilyEntity toEntity(RefreshTokenFamily f) {
        FamilyEntity e = new FamilyEntity();
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
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : e.scopes.split(" ")) {
            if (!s.isEmpty()) {
                scopes.add(s);
            }
        }
        Set<String> groups = new LinkedHashSet<>();
        try {
            Object g = JsonUtil.parseJson(e.groups).get("g");
            if (g instanceof List) {
                for (Object o : (List<?>) g) {
                    groups.add(String.valueOf(o));
                }
            }
        } catch (org.jose4j.lang.JoseException ex) {
            throw new IllegalStateException("family " + e.familyId + " has unreadable groups", ex);
        }
        return new RefreshTokenFamily(e.familyId, e.subject, e.clientId, scopes, groups, millis(e.authTime), Instant.ofEpochMilli(e.createdAt),
                Instant.ofEpochMilli(e.lastUsedAt), Instant.ofEpochMilli(e.idleExpiresAt), Instant.ofEpochMilli(e.absoluteExpiresAt),
                FamilyState.valueOf(e.state), millis(e.revokedAt), e.revokedReason, e.userAgent, e.remoteAddress);
    }

    static TokenEntity toEntity(RefreshTokenRecord r) {
        TokenEntity e = new TokenEntity();
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

    private static Instant millis(Long v) {
        return v == null ? null : Instant.ofEpochMilli(v);
    }
}
