package io.tokengate.core.refresh.jpa;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** Opens the JPA store (EclipseLink) on a database for the contract and lifecycle tests, emptied. */
final class JpaStoreContractTests {
    private JpaStoreContractTests() {
    }

    private static final Map<String, EntityManagerFactory> FACTORIES = new ConcurrentHashMap<>();

    static RefreshTokenStore store(String name, Supplier<DataSource> dataSource) {
        DataSource ds = dataSource.get(); // skips or fails before the factory exists when the database is absent
        return emptied(FACTORIES.computeIfAbsent(name, n -> JpaStores.entityManagerFactory(ds, Map.of())));
    }

    /** The store on {@code emf}, its tables emptied first. */
    static RefreshTokenStore emptied(EntityManagerFactory emf) {
        var em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.createQuery("DELETE FROM TokenGateRefreshToken").executeUpdate();
            em.createQuery("DELETE FROM TokenGateFamily").executeUpdate();
            em.createQuery("DELETE FROM TokenGateRevocation").executeUpdate();
            em.getTransaction().commit();
        } finally {
            em.close();
        }
        return new JpaRefreshTokenStore(emf);
    }
}
