package io.tokengate.core.refresh.jpa;

import java.util.function.Function;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import io.tokengate.core.refresh.StoreUnavailableException;

/** The units of work of the JPA store: one entity manager per call, in a transaction or not; every failure a {@link StoreUnavailableException}. */
final class Transactions implements AutoCloseable {
    private final EntityManagerFactory emf;

    Transactions(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /** One call's work in its own transaction: committed, or rolled back when marked so or when it fails. */
    <T> T inTransaction(Function<EntityManager, T> work) {
        return withEntityManager(em -> {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            try {
                T result = work.apply(em);
                if (tx.getRollbackOnly()) {
                    tx.rollback();
                } else {
                    tx.commit();
                }
                return result;
            } catch (RuntimeException e) {
                try {
                    if (tx.isActive()) {
                        tx.rollback();
                    }
                } catch (RuntimeException ignored) {
                    // the original failure is what matters
                }
                throw e;
            }
        });
    }

    /** An entity manager for one call, closed afterwards; outside a transaction each statement commits itself. */
    <T> T withEntityManager(Function<EntityManager, T> work) {
        EntityManager em;
        try {
            em = emf.createEntityManager();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the refresh-token store", e);
        }
        try {
            return work.apply(em);
        } catch (RuntimeException e) {
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
    public void close() {
        emf.close();
    }
}
