package io.tokengate.core.refresh.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStoreContract;

/** The shipped DDL on PostgreSQL (a fresh schema tg_ddl_check) passes the store contract. */
class ShippedSchemaOnPostgresTest extends RefreshTokenStoreContract {
    private static org.postgresql.ds.PGSimpleDataSource schema;

    @Override
    protected RefreshTokenStore newStore() {
        synchronized (ShippedSchemaOnPostgresTest.class) {
            if (schema == null) {
                try (Connection c = Databases.postgres().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS tg_ddl_check CASCADE");
                    s.execute("CREATE SCHEMA tg_ddl_check");
                    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
                    ds.setServerNames(new String[] {"127.0.0.1"});
                    ds.setPortNumbers(new int[] {5432});
                    ds.setDatabaseName("test");
                    ds.setUser(System.getProperty("tokengate.test.postgres.user", "postgres"));
                    ds.setCurrentSchema("tg_ddl_check");
                    ShippedSchema.apply(ds);
                    schema = ds;
                } catch (SQLException e) {
                    throw new AssertionError("the shipped DDL runs on PostgreSQL", e);
                }
            }
        }
        return ShippedSchema.store("postgres-ddl", schema);
    }

    @Override
    protected RefreshTokenStore anotherApplicationsStore() {
        return JpaStoreContractTests.besides(store);
    }
}
