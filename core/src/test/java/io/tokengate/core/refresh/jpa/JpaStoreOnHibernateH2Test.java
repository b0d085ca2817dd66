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
        try (io.tokengate.core.support.LogCapture log = io.tokengate.core.support.LogCapture.of("org.hibernate")) {
            assertEquals(true, JpaStores.allTablesExist(Databases.h2()));
            JpaStores.open(Databases.h2(), "https://tokengate.test/again", java.util.Map.of()).close();
            assertEquals(java.util.List.of(), log.lines().stream().filter(l -> l.contains("DDL") || l.contains("already exists")).toList());
        }
    }

    @Test
    void theProviderIsHibernate() {
        assertEquals("org.hibernate.jpa.HibernatePersistenceProvider", jakarta.persistence.spi.PersistenceProviderResolverHolder
                .getPersistenceProviderResolver().getPersistenceProviders().get(0).getClass().getName());
    }
}
