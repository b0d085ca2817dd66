package io.tokengate.core.refresh.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * Brings tables of earlier versions up to this one with the shipped upgrade scripts, in order (when the store may change
 * its schema; a DBA runs the same scripts otherwise): the ISSUER column that tells applications on one database apart
 * (TokenGate 0.1 had none), whose rows without an issuer go to the first application that starts on them, and the
 * live-token columns of a family's row, and the DPoP key a family is bound to.
 */
final class SchemaUpgrades {
    /** One shipped script: what it adds, and where, so its absence can be seen. */
    record Upgrade(String script, String column, List<String> tables) {
        /** The statements of the script, without its comments. */
        List<String> statements() {
            return SchemaUpgrades.statements(script);
        }
    }

    /** The ISSUER column of every table. */
    static final Upgrade ISSUER = new Upgrade("tokengate/ddl/tokengate-upgrade-issuer.sql", "ISSUER", JpaRefreshTokenStore.TABLES);
    /** The live-token columns of TG_FAMILY. */
    static final Upgrade LIVE_TOKEN = new Upgrade("tokengate/ddl/tokengate-upgrade-live-token.sql", "GENERATION", List.of("TG_FAMILY"));
    /** The DPoP key binding of TG_FAMILY. */
    static final Upgrade DPOP = new Upgrade("tokengate/ddl/tokengate-upgrade-dpop.sql", "DPOP_JKT", List.of("TG_FAMILY"));
    /** In the order they must run. */
    static final List<Upgrade> ALL = List.of(ISSUER, LIVE_TOKEN, DPOP);

    private SchemaUpgrades() {
    }

    /** Runs each upgrade script (they may run again) whose column a table lacks; nothing on tables that have them. */
    static void applyWhereMissing(Transactions tx) {
        for (Upgrade upgrade : ALL) {
            if (upgrade.tables().stream().anyMatch(table -> !has(tx, table, upgrade.column()))) {
                for (String statement : upgrade.statements()) {
                    tx.inTransaction(em -> em.createNativeQuery(statement).executeUpdate());
                }
            }
        }
    }

    /**
     * Gives the families and refresh tokens without an issuer to {@code issuer}, in one transaction (family rows first,
     * the lock order of the store: an application starting at the same time waits, then finds none left); how many.
     * Revocations without an issuer stay so: every application enforces them until they expire.
     */
    static int claimRowsWithout(Transactions tx, String issuer) {
        return tx.inTransaction(em -> em.createNativeQuery("UPDATE TG_FAMILY SET ISSUER = ?1 WHERE ISSUER IS NULL").setParameter(1, issuer)
                .executeUpdate() + em.createNativeQuery("UPDATE TG_REFRESH_TOKEN SET ISSUER = ?1 WHERE ISSUER IS NULL").setParameter(1, issuer)
                .executeUpdate());
    }

    private static boolean has(Transactions tx, String table, String column) {
        try {
            tx.withEntityManager(em -> em.createNativeQuery("SELECT COUNT(" + column + ") FROM " + table + " WHERE 1 = 0").getSingleResult());
            return true;
        } catch (StoreUnavailableException e) {
            if (JpaStores.schemaError(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The statements of a SQL script on the class path, without its comments. */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = SchemaUpgrades.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.trim());
            }
        }
        return statements;
    }
}
