package io.tokengate.core.refresh.jpa;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The store contract against the JPA store on Hibernate ORM (WildFly's provider) and Postgres, on the tables EclipseLink's run left. */
class JpaStoreOnHibernatePostgresTest extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return JpaStoreContractTests.store("hibernate-postgres", Databases::postgres);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
