package io.tokengate.core.refresh.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/**
 * The store contract against the JPA store on Hibernate ORM (WildFly's provider) and H2, in a test JVM without
 * EclipseLink (the surefire execution "hibernate"): the store makes no provider-specific call.
 */
class JpaStoreOnHibernateH2Test extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return JpaStoreContractTests.store("hibernate-h2", Databases::h2);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }

    @Test
    void aStoreOpenedOnExistingTablesRunsNoDdlSoHibernateLogsNoStackTraces() {
        store.findFamily("x"); // the tables exist: this test's store created them
        java.util.logging.Logger hibernate = java.util.logging.Logger.getLogger("org.hibernate");
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        hibernate.addHandler(handler);
        try {
            assertEquals(true, JpaStores.allTablesExist(Databases.h2()));
            JpaStores.open(Databases.h2(), "https://tokengate.test/again", java.util.Map.of()).close();
            assertEquals(java.util.List.of(), lines.stream().filter(l -> l.contains("DDL") || l.contains("already exists")).toList());
        } finally {
            hibernate.removeHandler(handler);
        }
    }

    @Test
    void theProviderIsHibernate() {
        assertEquals("org.hibernate.jpa.HibernatePersistenceProvider", jakarta.persistence.spi.PersistenceProviderResolverHolder
                .getPersistenceProviderResolver().getPersistenceProviders().get(0).getClass().getName());
    }
}
