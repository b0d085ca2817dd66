package io.tokengate.core.refresh.jpa;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The store contract against the JPA store on Hibernate ORM (WildFly's provider) and MariaDb, on the tables EclipseLink's run left. */
class JpaStoreOnHibernateMariaDbTest extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return JpaStoreContractTests.store("hibernate-mariadb", Databases::mariadb);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
