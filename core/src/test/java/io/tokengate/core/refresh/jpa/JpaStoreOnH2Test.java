package io.tokengate.core.refresh.jpa;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The store contract against the JPA store on H2. */
class JpaStoreOnH2Test extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return JpaStoreContractTests.store("h2", Databases::h2);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
