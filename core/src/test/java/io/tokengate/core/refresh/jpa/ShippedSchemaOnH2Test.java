package io.tokengate.core.refresh.jpa;

import java.sql.SQLException;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The shipped DDL on H2 (Payara's default datasource) passes the store contract. */
class ShippedSchemaOnH2Test extends RefreshTokenStoreContract {
    private static boolean applied;

    @Override
    protected RefreshTokenStore newStore() {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tokengate-ddl;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
        synchronized (ShippedSchemaOnH2Test.class) {
            if (!applied) {
                try {
                    ShippedSchema.apply(ds);
                } catch (SQLException e) {
                    throw new AssertionError("the shipped DDL runs on H2", e);
                }
                applied = true;
            }
        }
        return ShippedSchema.store("h2-ddl", ds);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
