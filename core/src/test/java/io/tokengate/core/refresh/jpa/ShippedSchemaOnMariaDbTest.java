package io.tokengate.core.refresh.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The shipped DDL on MariaDB (a fresh database tg_ddl_check) passes the store contract. */
class ShippedSchemaOnMariaDbTest extends RefreshTokenStoreContract {
    private static org.mariadb.jdbc.MariaDbDataSource schema;

    @Override
    protected RefreshTokenStore newStore() {
        synchronized (ShippedSchemaOnMariaDbTest.class) {
            if (schema == null) {
                try (Connection c = Databases.mariadb().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS tg_ddl_check");
                    s.execute("CREATE DATABASE tg_ddl_check");
                    org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/tg_ddl_check?user=root");
                    ShippedSchema.apply(ds);
                    schema = ds;
                } catch (SQLException e) {
                    throw new AssertionError("the shipped DDL runs on MariaDB", e);
                }
            }
        }
        return ShippedSchema.store("mariadb-ddl", schema);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
