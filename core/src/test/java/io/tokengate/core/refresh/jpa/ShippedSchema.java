package io.tokengate.core.refresh.jpa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import io.tokengate.core.refresh.RefreshTokenStore;

/**
 * Applies the DDL shipped for DBAs ({@code tokengate/ddl/tokengate-schema.sql}) to an empty schema and opens the JPA
 * store on it with {@code schema-generation none}: the store contract then proves the file matches the mapping.
 */
final class ShippedSchema {
    static final String RESOURCE = "tokengate/ddl/tokengate-schema.sql";
    static final Set<String> INDEXES = Set.of("TG_FAMILY_SUBJECT_IX", "TG_FAMILY_CLIENT_IX", "TG_FAMILY_IDLE_IX", "TG_FAMILY_ABSOLUTE_IX", "TG_FAMILY_REVOKED_IX",
            "TG_REFRESH_TOKEN_FAMILY_IX", "TG_REFRESH_TOKEN_ROTATED_IX", "TG_REVOCATION_DROP_IX", "TG_AUTHORIZATION_CODE_EXPIRES_IX");
    private static final Map<String, EntityManagerFactory> FACTORIES = new java.util.concurrent.ConcurrentHashMap<>();

    private ShippedSchema() {
    }

    static String ddl() {
        try (InputStream in = ShippedSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("the jar ships " + RESOURCE, e);
        }
    }

    /** Runs the shipped DDL on an empty schema behind {@code ds}. */
    static void apply(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            StringBuilder sql = new StringBuilder();
            for (String line : ddl().split("\n")) {
                if (!line.trim().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            for (String statement : sql.toString().split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
            Set<String> found = new TreeSet<>();
            found.addAll(indexes(c.getMetaData(), c.getCatalog(), c.getSchema(), "TG_FAMILY"));
            found.addAll(indexes(c.getMetaData(), c.getCatalog(), c.getSchema(), "TG_REFRESH_TOKEN"));
            found.addAll(indexes(c.getMetaData(), c.getCatalog(), c.getSchema(), "TG_REVOCATION"));
            found.addAll(indexes(c.getMetaData(), c.getCatalog(), c.getSchema(), "TG_AUTHORIZATION_CODE"));
            assertTrue(found.containsAll(INDEXES), "indexes for subject, client, expiry, family, rotation and revocation expiry: " + found);
        }
    }

    private static Set<String> indexes(DatabaseMetaData meta, String catalog, String schema, String table) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (String t : Set.of(table, table.toLowerCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getIndexInfo(catalog, schema, t, false, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        names.add(rs.getString("INDEX_NAME").toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return names;
    }

    /** The store on the DDL-made schema (no DDL from the application), emptied. */
    static RefreshTokenStore store(String name, DataSource ds) {
        return JpaStoreContractTests.emptied(FACTORIES.computeIfAbsent(name,
                n -> JpaStores.entityManagerFactory(ds, Map.of("jakarta.persistence.schema-generation.database.action", "none"))));
    }
}
