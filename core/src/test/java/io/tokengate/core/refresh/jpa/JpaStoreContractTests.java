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

    /** The issuer of the stores under test. */
    static final String ISSUER = "https://tokengate.test/app";
    /** Another application's issuer, on the same database. */
    static final String OTHER_ISSUER = "https://tokengate.test/other-app";

    private static final Map<String, EntityManagerFactory> FACTORIES = new ConcurrentHashMap<>();
    private static final Map<RefreshTokenStore, EntityManagerFactory> FACTORY_OF = new java.util.IdentityHashMap<>();

    static RefreshTokenStore store(String name, Supplier<DataSource> dataSource) {
        DataSource ds = dataSource.get(); // skips or fails before the factory exists when the database is absent
        return emptied(FACTORIES.computeIfAbsent(name, n -> upgraded(JpaStores.entityManagerFactory(ds, Map.of()))));
    }

    /** The factory, its tables upgraded when an earlier run left tables of an earlier version in the database. */
    static EntityManagerFactory upgraded(EntityManagerFactory emf) {
        SchemaUpgrades.applyWhereMissing(new Transactions(emf));
        return emf;
    }

    /** The store on {@code emf}, its tables emptied first. */
    static RefreshTokenStore emptied(EntityManagerFactory emf) {
        var em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.createQuery("DELETE FROM TokenGateRefreshToken").executeUpdate();
            em.createQuery("DELETE FROM TokenGateFamily").executeUpdate();
            em.createQuery("DELETE FROM TokenGateRevocation").executeUpdate();
            em.createQuery("DELETE FROM TokenGateAuthorizationCode").executeUpdate();
            em.createQuery("DELETE FROM TokenGateKeySet k WHERE k.issuer = :issuer").setParameter("issuer", ISSUER).executeUpdate();
            em.getTransaction().commit();
        } finally {
            em.close();
        }
        RefreshTokenStore store = new JpaRefreshTokenStore(emf, ISSUER);
        synchronized (FACTORY_OF) {
            FACTORY_OF.put(store, emf);
        }
        return store;
    }

    /** Another application's store on the database of {@code store}. */
    static RefreshTokenStore besides(RefreshTokenStore store) {
        synchronized (FACTORY_OF) {
            return new JpaRefreshTokenStore(FACTORY_OF.get(store), OTHER_ISSUER);
        }
    }
}
