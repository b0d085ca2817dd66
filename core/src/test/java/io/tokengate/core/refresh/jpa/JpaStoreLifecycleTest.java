package io.tokengate.core.refresh.jpa;

import static io.tokengate.core.support.EndpointFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.support.EndpointFixture;

/** The refresh lifecycle end to end on the JPA store: concurrent refreshes on real databases, and a database that goes away. */
class JpaStoreLifecycleTest {

    private static Supplier<DataSource> database(String name) {
        switch (name) {
            case "postgres":
                return Databases::postgres;
            case "mariadb":
                return Databases::mariadb;
            default:
                return Databases::h2;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mariadb"})
    void thirtyTwoConcurrentRefreshesOfOneTokenGiveOneSuccessorPerRound(String db) throws Exception {
        RefreshTokenStore store = JpaStoreContractTests.store(db, database(db));
        EndpointFixture f = new EndpointFixture(store, List.of());
        String token = (String) f.login().get("refresh_token");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            for (int round = 0; round < 15; round++) {
                Set<String> successors = f.refreshConcurrently(token, 32, pool);
                assertEquals(1, successors.size(), "round " + round);
                token = successors.iterator().next();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
        assertEquals(200, f.refresh(token).status());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mariadb"})
    void twoServersCleaningUpAtOnceDeleteEachExpiredFamilyOnceAndNothingElse(String db) throws Exception {
        RefreshTokenStore store = JpaStoreContractTests.store(db, database(db));
        java.time.Instant t0 = java.time.Instant.parse("2026-11-27T10:00:00Z");
        int expired = 60;
        for (int i = 0; i < expired + 5; i++) {
            boolean live = i >= expired;
            java.time.Instant created = live ? t0.plus(java.time.Duration.ofDays(20)) : t0;
            io.tokengate.core.refresh.RefreshTokenFamily fam = new io.tokengate.core.refresh.RefreshTokenFamily("fam-" + db + "-" + i, "alice",
                    "demo-client", Set.of("read"), Set.of("user"), null, created, created, created.plus(java.time.Duration.ofDays(14)),
                    created.plus(java.time.Duration.ofDays(30)), io.tokengate.core.refresh.FamilyState.ACTIVE, null, null, "JUnit", "127.0.0.1");
            store.createFamily(fam, new io.tokengate.core.refresh.CurrentToken(0, "hash-" + db + "-" + i, "s1", created));
        }
        java.time.Instant now = t0.plus(java.time.Duration.ofDays(15)); // the first sixty are idle-expired
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> servers = new ArrayList<>();
        for (int server = 0; server < 2; server++) {
            servers.add(pool.submit(() -> {
                start.await();
                int deleted = 0;
                int failures = 0;
                int n;
                do {
                    try {
                        n = store.deleteExpired(now, now.minus(java.time.Duration.ofDays(7)), 7);
                    } catch (io.tokengate.core.refresh.StoreUnavailableException e) {
                        // e.g. a deadlock victim: its batch rolled back whole; the next run goes on
                        assertTrue(++failures < 20, "a cleanup batch keeps failing: " + e);
                        n = 1;
                        continue;
                    }
                    deleted += n;
                } while (n > 0);
                return deleted;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : servers) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(expired, total, "each expired family deleted exactly once between the two servers");
        for (int i = 0; i < expired + 5; i++) {
            assertEquals(i >= expired, store.findFamilyAndToken("fam-" + db + "-" + i).isPresent(), "family " + i);
        }
    }

    /**
     * A family refreshed a thousand times is still one row (and adds none elsewhere), and its very first token, replayed
     * after all of them, is still recognised as this family's: reuse, the family revoked. A token with one character
     * changed is merely invalid and revokes nothing.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mariadb"})
    void aThousandRefreshesKeepOneRowAndTheFirstTokenIsStillKnownAsReuse(String db) throws Exception {
        RefreshTokenStore store = JpaStoreContractTests.store(db, database(db));
        EndpointFixture f = new EndpointFixture(store, List.of());
        f.login(); // another family beside it
        String first = (String) f.login().get("refresh_token");
        String token = first;
        String middle = null;
        for (int i = 0; i < 1000; i++) {
            f.clock.advance(java.time.Duration.ofSeconds(30)); // outside the retry window of the token before
            EndpointResponse r = f.refresh(token);
            assertEquals(200, r.status(), r.body());
            token = (String) json(r).get("refresh_token");
            middle = i == 500 ? token : middle;
        }
        assertEquals(Map.of("TG_FAMILY", 2L, "TG_REFRESH_TOKEN", 0L), rows(database(db).get()), "two families, two rows, nothing more");
        String familyId = f.service.familyOf(token).orElseThrow().familyId();
        assertEquals(1000, store.findFamilyAndToken(familyId).orElseThrow().token().generation());

        char c = middle.charAt(60);
        String forged = middle.substring(0, 60) + (c == 'A' ? 'B' : 'A') + middle.substring(61);
        assertEquals("invalid_grant", json(f.refresh(forged)).get("error"));
        assertEquals(io.tokengate.core.refresh.FamilyState.ACTIVE, f.service.family(familyId).orElseThrow().state(), "a forgery revokes nothing");
        assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());

        assertEquals("invalid_grant", json(f.refresh(first)).get("error"));
        assertEquals(io.tokengate.core.refresh.FamilyState.REVOKED, f.service.family(familyId).orElseThrow().state());
        assertEquals(1, f.events(TokenEvent.ReuseDetected.class).size(), "the first of a thousand and one tokens is reuse");
        assertEquals("invalid_grant", json(f.refresh(token)).get("error"), "the live token died with its family");
    }

    /** Rows of this issuer in each table. */
    private static Map<String, Long> rows(DataSource ds) throws SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (java.sql.Connection c = ds.getConnection()) {
            for (String table : List.of("TG_FAMILY", "TG_REFRESH_TOKEN")) {
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE ISSUER = ?")) {
                    ps.setString(1, JpaStoreContractTests.ISSUER);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    /**
     * The connection breaks when the rotation commits, after its UPDATE ran: the rotation must vanish whole, so the
     * presented token is still the live one and the family did not slide.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mariadb"})
    void aFailureAtTheRotationsCommitLeavesThePresentedTokenLive(String db) {
        DataSource real = database(db).get();
        AtomicBoolean breakOnCommit = new AtomicBoolean();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!(result instanceof java.sql.Connection c)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class}, (p2, m2, a2) -> {
                        if (m2.getName().equals("commit") && breakOnCommit.get()) {
                            throw new SQLException("connection reset at commit");
                        }
                        try {
                            return m2.invoke(c, a2);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
                });
        JpaStoreContractTests.store(db, database(db)); // empties the tables
        RefreshTokenStore store = new JpaRefreshTokenStore(JpaStores.entityManagerFactory(flaky, Map.of()), JpaStoreContractTests.ISSUER);
        EndpointFixture f = new EndpointFixture(store, List.of());
        Map<String, Object> login = f.login();
        String token = (String) login.get("refresh_token");
        String familyId = f.service.familyOf(token).orElseThrow().familyId();
        f.clock.advance(java.time.Duration.ofMinutes(1));
        breakOnCommit.set(true);
        EndpointResponse r = f.refresh(token);
        assertEquals(503, r.status(), r.body());
        assertEquals("temporarily_unavailable", json(r).get("error"));
        breakOnCommit.set(false);
        assertTrue(f.service.find(token).orElseThrow().live(), "the UPDATE was rolled back with the failed commit");
        assertEquals(0, store.findFamilyAndToken(familyId).orElseThrow().token().generation());
        assertEquals(f.service.family(familyId).orElseThrow().lastUsedAt(), f.service.family(familyId).orElseThrow().createdAt(),
                "the family did not slide");
        EndpointResponse retry = f.refresh(token);
        assertEquals(200, retry.status(), "the same token refreshes once the database answers: " + retry.body());
        assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
    }

    @Test
    void theSchemaCreatedOnFirstStartHasEveryIndex() throws Exception {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tokengate-first-start;DB_CLOSE_DELAY=-1");
        JpaStores.entityManagerFactory(ds, Map.of()).createEntityManager().close(); // deploys the unit: creates the tables
        try (java.sql.Connection c = ds.getConnection()) {
            Set<String> indexes = new java.util.TreeSet<>();
            for (String table : List.of("TG_FAMILY", "TG_REFRESH_TOKEN", "TG_REVOCATION", "TG_AUTHORIZATION_CODE")) {
                try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
                    while (rs.next()) {
                        indexes.add(rs.getString("INDEX_NAME") + "(" + rs.getString("COLUMN_NAME") + ")");
                    }
                }
            }
            for (String ix : ShippedSchema.INDEXES) {
                assertTrue(indexes.stream().anyMatch(i -> i.startsWith(ix + "(")), ix + " in " + indexes);
            }
            assertTrue(indexes.stream().anyMatch(i -> i.startsWith("PRIMARY_KEY") && i.endsWith("(FAMILY_ID)")), "family id is a key: " + indexes);
        }
    }

    @Test
    void databaseGoingAwayMidSessionMeans503AndTheTokenWorksOnceItIsBack() {
        AtomicBoolean down = new AtomicBoolean();
        DataSource real = Databases.h2();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        throw new SQLException("Connection refused");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RefreshTokenStore store = new JpaRefreshTokenStore(JpaStores.entityManagerFactory(flaky, Map.of()), JpaStoreContractTests.ISSUER);
        EndpointFixture f = new EndpointFixture(store, List.of());
        Map<String, Object> login = f.login();
        down.set(true);
        EndpointResponse r = f.refresh((String) login.get("refresh_token"));
        assertEquals(503, r.status(), r.body());
        assertEquals("temporarily_unavailable", json(r).get("error"));
        assertTrue(f.validator.validate((String) login.get("access_token")).isValid(), "bearer validation needs no database");
        down.set(false);
        assertEquals(200, f.refresh((String) login.get("refresh_token")).status(), "nothing was half-written");
    }
}
