package io.tokengate.core.refresh.jpa;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceProvider;
import jakarta.persistence.spi.PersistenceProviderResolverHolder;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * Builds the {@link JpaRefreshTokenStore} on a {@link DataSource} (e.g. the server's
 * {@code java:comp/DefaultDataSource}) without a persistence.xml in the application: the persistence unit
 * {@value #UNIT} is described in code, resource-local, with TokenGate's four entities only and no shared cache.
 * The tables are created when missing. Works with any JPA 3.1 provider found on the class path (EclipseLink in
 * Payara and GlassFish, Hibernate in WildFly: the store contract runs on both).
 */
public final class JpaStores {
    /** Name of TokenGate's persistence unit. */
    public static final String UNIT = "tokengate";
    /** The JPA property that says whether the store may create (and upgrade) its tables: {@code create} or {@code none}. */
    public static final String SCHEMA_ACTION = "jakarta.persistence.schema-generation.database.action";
    private static final System.Logger LOG = System.getLogger(JpaStores.class.getName());

    private JpaStores() {
    }

    /** The store of the application whose tokens {@code issuer} issues, its tables created when missing. */
    public static JpaRefreshTokenStore create(DataSource dataSource, String issuer) {
        return open(dataSource, issuer, Map.of());
    }

    /**
     * Opens the store of the application whose tokens {@code issuer} issues on {@code dataSource} and checks that its
     * tables answer (creating them first, and upgrading tables of an earlier version, unless {@code extra}
     * sets {@link #SCHEMA_ACTION} to {@code none}); rows without an issuer become this application's (TG-1011). The
     * store owns its factory and closes it with {@link JpaRefreshTokenStore#close()}.
     *
     * @throws StoreUnavailableException when the database cannot be reached: try again later
     * @throws RuntimeException          anything else (no JPA provider, tables missing or refused): a configuration error
     */
    public static JpaRefreshTokenStore open(DataSource dataSource, String issuer, Map<String, Object> extra) {
        EntityManagerFactory emf;
        try {
            emf = entityManagerFactory(dataSource, extra);
        } catch (RuntimeException e) {
            throw classified(e);
        }
        JpaRefreshTokenStore store = new JpaRefreshTokenStore(emf, issuer);
        try {
            Transactions tx = new Transactions(emf);
            if (!"none".equals(extra.get(SCHEMA_ACTION))) {
                SchemaUpgrades.applyWhereMissing(tx);
            }
            store.checkTables();
            int claimed = SchemaUpgrades.claimRowsWithout(tx, issuer);
            if (claimed > 0) {
                CoreLog.ROWS_CLAIMED.log(LOG, Integer.toString(claimed), issuer);
            }
        } catch (RuntimeException e) {
            emf.close();
            throw classified(e);
        }
        return store;
    }

    /**
     * A failure to open the store: {@link StoreUnavailableException} when the database could not be reached (try
     * again); an {@link IllegalStateException} when it answered with an error that waiting does not mend — a table
     * that is not there or may not be created (SQLState class 42: the DDL was not applied under
     * {@code schema-generation=none}, or the user lacks the right), or no SQL error at all (a mapping or provider problem).
     */
    private static RuntimeException classified(RuntimeException e) {
        SQLException sql = null;
        for (Throwable t = e; t != null && sql == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
            }
        }
        if (sql == null) {
            return e instanceof StoreUnavailableException ? new IllegalStateException(String.valueOf(e.getCause()), e) : e;
        }
        if (schemaError(sql)) {
            return new IllegalStateException("the database refuses TokenGate's tables (" + sql.getMessage() + "): apply the shipped DDL"
                    + " (tokengate/ddl/tokengate-schema.sql; for tables of an earlier version, in this order and each where its column is"
                    + " missing: tokengate/ddl/tokengate-upgrade-issuer.sql, tokengate/ddl/tokengate-upgrade-live-token.sql,"
                    + " tokengate/ddl/tokengate-upgrade-dpop.sql) or let"
                    + " the store create them (tokengate.schema-generation=create)", e);
        }
        return e instanceof StoreUnavailableException u ? u : new StoreUnavailableException("cannot reach the database", e);
    }

    /** A table or column that is not there, or may not be used (SQLState class 42). */
    static boolean schemaError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql instanceof SQLSyntaxErrorException || (sql.getSQLState() != null && sql.getSQLState().startsWith("42"));
            }
        }
        return false;
    }

    /** The factory behind the store, e.g. to close it when the application stops. */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource, Map<String, Object> extra) {
        List<PersistenceProvider> providers = PersistenceProviderResolverHolder.getPersistenceProviderResolver().getPersistenceProviders();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no JPA provider on the class path");
        }
        Map<String, Object> props = new HashMap<>();
        props.put(SCHEMA_ACTION, "create");
        props.put("jakarta.persistence.sharedCache.mode", "NONE");
        props.put("eclipselink.cache.shared.default", "false");
        props.put("eclipselink.logging.level", "WARNING");
        props.put("eclipselink.logging.level.sql", "OFF");
        props.put("eclipselink.ddl-generation.output-mode", "database");
        // EclipseLink reuses a deployed session by unit name and root URL, and session names are server-wide: each
        // factory gets its own, unique across applications (each WAR has its own copy of this class, so a counter
        // would repeat), so a factory on another DataSource never runs on the first one's nor fails on its name
        props.put("eclipselink.session-name", UNIT + "-" + UUID.randomUUID());
        props.putAll(extra);
        if ("create".equals(props.get(SCHEMA_ACTION)) && allTablesExist(dataSource)) {
            // nothing to create: a provider would try every CREATE TABLE anyway, and Hibernate logs a stack trace
            // for each table that exists
            props.put(SCHEMA_ACTION, "none");
        }
        return providers.get(0).createContainerEntityManagerFactory(new Unit(dataSource, providers.get(0).getClass().getName()), props);
    }

    /** TokenGate's tables, as its entities name them. */
    static final List<String> ALL_TABLES = List.of("TG_FAMILY", "TG_REFRESH_TOKEN", "TG_REVOCATION", "TG_KEY_SET", "TG_AUTHORIZATION_CODE");

    /**
     * Whether every table of TokenGate's is in the connection's own schema (JDBC metadata, names compared without
     * case: PostgreSQL keeps them in lower case); false when that cannot be told, and the provider's DDL decides.
     */
    static boolean allTablesExist(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            Set<String> found = new HashSet<>();
            try (ResultSet r = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    found.add(r.getString("TABLE_NAME").toUpperCase(Locale.ROOT));
                }
            }
            return found.containsAll(ALL_TABLES);
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return false;
        }
    }

    private static final class Unit implements PersistenceUnitInfo {
        private final DataSource dataSource;
        private final String provider;

        Unit(DataSource dataSource, String provider) {
            this.dataSource = dataSource;
            this.provider = provider;
        }

        @Override
        public String getPersistenceUnitName() {
            return UNIT;
        }

        @Override
        public String getPersistenceProviderClassName() {
            return provider;
        }

        @Override
        public PersistenceUnitTransactionType getTransactionType() {
            return PersistenceUnitTransactionType.RESOURCE_LOCAL;
        }

        @Override
        public DataSource getJtaDataSource() {
            return null;
        }

        @Override
        public DataSource getNonJtaDataSource() {
            return dataSource;
        }

        @Override
        public List<String> getMappingFileNames() {
            return List.of();
        }

        @Override
        public List<URL> getJarFileUrls() {
            return List.of();
        }

        @Override
        public URL getPersistenceUnitRootUrl() {
            return JpaStores.class.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        public List<String> getManagedClassNames() {
            return List.of(FamilyEntity.class.getName(), TokenEntity.class.getName(), RevocationEntity.class.getName(), KeySetEntity.class.getName(),
                    AuthorizationCodeEntity.class.getName());
        }

        @Override
        public boolean excludeUnlistedClasses() {
            return true;
        }

        @Override
        public SharedCacheMode getSharedCacheMode() {
            return SharedCacheMode.NONE;
        }

        @Override
        public ValidationMode getValidationMode() {
            return ValidationMode.NONE;
        }

        @Override
        public Properties getProperties() {
            return new Properties();
        }

        @Override
        public String getPersistenceXMLSchemaVersion() {
            return "3.0";
        }

        @Override
        public ClassLoader getClassLoader() {
            return JpaStores.class.getClassLoader();
        }

        @Override
        public void addTransformer(ClassTransformer transformer) {
            // no weaving: the entities are plain
        }

        @Override
        public ClassLoader getNewTempClassLoader() {
            return JpaStores.class.getClassLoader();
        }
    }
}
