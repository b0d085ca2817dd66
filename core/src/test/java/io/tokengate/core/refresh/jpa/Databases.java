package io.tokengate.core.refresh.jpa;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The databases the store tests run on. PostgreSQL (127.0.0.1:5432, trust, database test) and MariaDB
 * (127.0.0.1:3306, root without password, database test) run on the development and CI machines: a test that
 * needs one is skipped with a message when it is absent, except under {@code CI=true}, where its absence fails.
 */
final class Databases {
    private Databases() {
    }

    static DataSource h2() {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tokengate;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
        return ds;
    }

    static DataSource postgres() {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {5432});
        ds.setDatabaseName("test");
        ds.setUser(System.getProperty("tokengate.test.postgres.user", "postgres"));
        return require("PostgreSQL at 127.0.0.1:5432 (database test)", ds);
    }

    static DataSource mariadb() {
        try {
            org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/test?user=root");
            return require("MariaDB at 127.0.0.1:3306 (database test)", ds);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DataSource require(String what, DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return ds;
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail(what + " is required under CI=true but not reachable: " + e.getMessage());
            }
            assumeTrue(false, what + " is not running; skipped (under CI=true this fails)");
            return null;
        }
    }
}
