package io.tokengate.core.refresh.jpa;

import java.util.Objects;
import java.util.Optional;

import io.tokengate.core.keys.KeySetException;
import io.tokengate.core.keys.KeySetStore;

/**
 * The shared key set of one issuer in table {@code TG_KEY_SET}: read by primary key, changed by an UPDATE that
 * names the version it replaces (so of two servers changing it at once, one wins and the other reads again), the
 * first one stored by an INSERT that a second server's fails on the primary key.
 */
final class JpaKeySetStore implements KeySetStore {
    private final Transactions tx;
    private final String issuer;

    JpaKeySetStore(Transactions tx, String issuer) {
        this.tx = tx;
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    @Override
    public Optional<Stored> load() {
        return tx.withEntityManager(em -> Optional.ofNullable(em.find(KeySetEntity.class, issuer)).map(e -> new Stored(e.version, e.sealed)));
    }

    @Override
    public boolean compareAndSet(long expectedVersion, String sealed) {
        if (sealed.length() > MAX_SEALED_LENGTH) {
            throw new KeySetException("the key set is too large to store (" + sealed.length() + " characters sealed, at most "
                    + MAX_SEALED_LENGTH + "): retire previous keys first");
        }
        long now = System.currentTimeMillis();
        if (expectedVersion == 0) {
            try {
                return tx.inTransaction(em -> {
                    KeySetEntity e = new KeySetEntity();
                    e.issuer = issuer;
                    e.version = 1;
                    e.sealed = sealed;
                    e.updatedAt = now;
                    em.persist(e);
                    em.flush();
                    return true;
                });
            } catch (RuntimeException e) {
                if (load().isPresent()) {
                    return false; // another server stored the first one
                }
                throw e;
            }
        }
        return tx.inTransaction(em -> em.createQuery("UPDATE TokenGateKeySet k SET k.version = :next, k.sealed = :sealed, k.updatedAt = :now"
                + " WHERE k.issuer = :issuer AND k.version = :expected")
                .setParameter("next", expectedVersion + 1).setParameter("sealed", sealed).setParameter("now", now)
                .setParameter("issuer", issuer).setParameter("expected", expectedVersion).executeUpdate() == 1);
    }
}
