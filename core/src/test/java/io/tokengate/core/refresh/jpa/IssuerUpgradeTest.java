package io.tokengate.core.refresh.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.tokengate.core.refresh.TokenState;
import io.tokengate.core.revocation.Revocation;

/**
 * Tables of TokenGate 0.1 had no ISSUER column: the store adds it itself (schema-generation create), or names the
 * shipped upgrade script (none), which then works; either way the first application to start takes the old rows, and
 * another one sees none of the old families and tokens (an old revocation binds both). On H2, PostgreSQL and MariaDB.
 */
class IssuerUpgradeTest {
    private static final String FIRST = "https://first.test/app";
    private static final String SECOND = "https://second.test/app";
    private static final Instant NOW = Instant.ofEpochMilli(System.currentTimeMillis());

    @Test
    void onH2TheStoreUpgradesTheTablesItselfAndTheFirstApplicationTakesTheirRows() throws Exception {
        upgradesItself(h2());
    }

    @Test
    void onH2WithoutSchemaGenerationTheStartNamesTheUpgradeScriptWhichThenWorks() throws Exception {
        upgradedByTheDba(h2());
    }

    @Test
    void onPostgresTheStoreUpgradesTheTablesItselfAndTheFirstApplicationTakesTheirRows() throws Exception {
        upgradesItself(postgres("tg_upgrade_self"));
    }

    @Test
    void onPostgresWithoutSchemaGenerationTheStartNamesTheUpgradeScriptWhichThenWorks() throws Exception {
        upgradedByTheDba(postgres("tg_upgrade_dba"));
    }

    @Test
    void onMariaDbTheStoreUpgradesTheTablesItselfAndTheFirstApplicationTakesTheirRows() throws Exception {
        upgradesItself(mariadb("tg_upgrade_self"));
    }

    @Test
    void onMariaDbWithoutSchemaGenerationTheStartNamesTheUpgradeScriptWhichThenWorks() throws Exception {
        upgradedByTheDba(mariadb("tg_upgrade_dba"));
    }

    private static void upgradesItself(DataSource ds) throws Exception {
        tablesOf01WithRows(ds);
        try (JpaRefreshTokenStore first = JpaStores.create(ds, FIRST); JpaRefreshTokenStore second = JpaStores.create(ds, SECOND)) {
            assertTakenByTheFirst(first, second);
        }
    }

    private static void upgradedByTheDba(DataSource ds) throws Exception {
        tablesOf01WithRows(ds);
        Map<String, Object> none = Map.of(JpaStores.SCHEMA_ACTION, "none");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JpaStores.open(ds, FIRST, none));
        assertTrue(refused.getMessage().contains("tokengate-upgrade-issuer.sql"), refused.getMessage());
        assertTrue(refused.getMessage().contains("tokengate-upgrade-live-token.sql"), refused.getMessage());
        assertTrue(refused.getMessage().contains("tokengate-upgrade-dpop.sql"), refused.getMessage());
        for (int twice = 0; twice < 2; twice++) { // the scripts may run again
            for (SchemaUpgrades.Upgrade upgrade : SchemaUpgrades.ALL) {
                run(ds, upgrade.statements());
            }
        }
        try (JpaRefreshTokenStore first = JpaStores.open(ds, FIRST, none); JpaRefreshTokenStore second = JpaStores.open(ds, SECOND, none)) {
            assertTakenByTheFirst(first, second);
        }
    }

    private static void assertTakenByTheFirst(JpaRefreshTokenStore first, JpaRefreshTokenStore second) {
        assertEquals(TokenState.ACTIVE, first.findTokenAndFamily("hash-legacy").orElseThrow().token().state());
        assertEquals("alice", first.findTokenAndFamily("hash-legacy").orElseThrow().family().subject());
        Revocation legacyCut = new Revocation(Revocation.Kind.SUBJECT, "bob", NOW, NOW.plus(Duration.ofHours(1)));
        assertEquals(List.of(legacyCut), first.liveRevocations(NOW, Duration.ofHours(1)));
        assertTrue(second.findTokenAndFamily("hash-legacy").isEmpty(), "the second application gets none of the old families and tokens");
        assertTrue(second.familiesOfSubject("alice").isEmpty());
        assertEquals(List.of(legacyCut), second.liveRevocations(NOW, Duration.ofHours(1)),
                "a cut kept without an issuer is enforced by every application until it expires: revoking too much is safe");
    }

    /** The tables of TokenGate 0.1 with a family, its token and a subject's cut. */
    private static void tablesOf01WithRows(DataSource ds) throws Exception {
        List<String> statements = new java.util.ArrayList<>(script("tokengate-schema-0.1.sql"));
        long now = NOW.toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        statements.add("INSERT INTO TG_FAMILY (FAMILY_ID, SUBJECT, CLIENT_ID, SCOPES, GROUPS_JSON, CREATED_AT, LAST_USED_AT, IDLE_EXPIRES_AT,"
                + " ABSOLUTE_EXPIRES_AT, STATE) VALUES ('fam-legacy', 'alice', 'demo-client', 'read', '{\"g\":[]}', " + now + ", " + now
                + ", " + (now + day) + ", " + (now + 30 * day) + ", 'ACTIVE')");
        statements.add("INSERT INTO TG_REFRESH_TOKEN (TOKEN_HASH, SECRET_ID, FAMILY_ID, STATE, ISSUED_AT) VALUES ('hash-legacy', 's1',"
                + " 'fam-legacy', 'ACTIVE', " + now + ")");
        statements.add("INSERT INTO TG_REVOCATION (REVOCATION_ID, KIND, REVOKED_KEY, CUT_AT, DROP_AT) VALUES ('legacy-cut', 'SUBJECT', 'bob', "
                + now + ", " + (now + Duration.ofHours(1).toMillis()) + ")");
        run(ds, statements);
    }

    /** The statements of a test resource, comments removed. */
    static List<String> script(String resource) {
        return SchemaUpgrades.statements(resource);
    }

    static void run(DataSource ds, List<String> statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    static DataSource h2() {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tg-upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
        return ds;
    }

    /** An empty schema of PostgreSQL's database test. */
    static DataSource postgres(String schema) throws SQLException {
        try (Connection c = Databases.postgres().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {5432});
        ds.setDatabaseName("test");
        ds.setUser(System.getProperty("tokengate.test.postgres.user", "postgres"));
        ds.setCurrentSchema(schema);
        return ds;
    }

    /** An empty database of MariaDB. */
    static DataSource mariadb(String database) throws SQLException {
        try (Connection c = Databases.mariadb().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database);
        }
        return new org.mariadb.jdbc.MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + database + "?user=root");
    }
}
