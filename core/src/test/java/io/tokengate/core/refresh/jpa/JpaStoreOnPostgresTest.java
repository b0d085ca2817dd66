package io.tokengate.core.refresh.jpa;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The store contract against the JPA store on Postgres. */
class JpaStoreOnPostgresTest extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return JpaStoreContractTests.store("postgres", Databases::postgres);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
