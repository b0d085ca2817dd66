package io.tokengate.core.refresh.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * The ISSUER column that tells applications on one database apart, for tables made by TokenGate 0.1, which had
 * none: added where missing (the shipped upgrade script, when the store may change its schema), and families and
 * tokens without an issuer given to the first application that starts on them.
 */
final class IssuerColumns {
    /** The shipped upgrade, also for DBAs (tokengate.schema-generation=none). */
    static final String UPGRADE = "tokengate/ddl/tokengate-upgrade-issuer.sql";

    private IssuerColumns() {
    }

    /** Runs the upgrade script (it may run again) when a table lacks the column; nothing on tables that have it. */
    static void addWhereMissing(Transactions tx) {
        boolean missing = false;
        for (String table : JpaRefreshTokenStore.TABLES) {
            missing |= !has(tx, table);
        }
        if (missing) {
            for (String statement : statements()) {
                tx.inTransaction(em -> em.createNativeQuery(statement).executeUpdate());
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

    private static boolean has(Transactions tx, String table) {
        try {
            tx.withEntityManager(em -> em.createNativeQuery("SELECT COUNT(ISSUER) FROM " + table + " WHERE 1 = 0").getSingleResult());
            return true;
        } catch (StoreUnavailableException e) {
            if (JpaStores.schemaError(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The statements of the upgrade script, without its comments. */
    static List<String> statements() {
        String script;
        try (InputStream in = IssuerColumns.class.getClassLoader().getResourceAsStream(UPGRADE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + UPGRADE);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + UPGRADE, e);
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
