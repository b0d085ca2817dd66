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
            store.createFamily(fam, io.tokengate.core.refresh.RefreshTokenRecord.active("hash-" + db + "-" + i, "s1", fam.familyId(), created));
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
            assertEquals(i >= expired, store.findFamily("fam-" + db + "-" + i).isPresent(), "family " + i);
            assertEquals(i >= expired, store.findToken("hash-" + db + "-" + i).isPresent(), "token of family " + i);
        }
    }

    /**
     * The connection breaks inside the rotation's transaction, after the token row was updated and when the
     * successor is written: the rotation must vanish whole, so the presented token is still active.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mariadb"})
    void aFailureInsideTheRotationLeavesThePresentedTokenActiveAndNoSuccessor(String db) {
        DataSource real = database(db).get();
        AtomicBoolean breakOnSuccessor = new AtomicBoolean();
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
                        if (m2.getName().equals("prepareStatement") && breakOnSuccessor.get()
                                && String.valueOf(a2[0]).toUpperCase(java.util.Locale.ROOT).contains("INSERT INTO TG_REFRESH_TOKEN")) {
                            // the statement that writes the successor: the third of the portable rotation, or the whole
                            // of PostgreSQL's one-statement rotation
                            throw new SQLException("connection reset while writing the successor");
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
        var before = f.service.find(token).orElseThrow();
        breakOnSuccessor.set(true);
        EndpointResponse r = f.refresh(token);
        assertEquals(503, r.status(), r.body());
        assertEquals("temporarily_unavailable", json(r).get("error"));
        breakOnSuccessor.set(false);
        var after = f.service.find(token).orElseThrow();
        assertEquals(io.tokengate.core.refresh.TokenState.ACTIVE, after.state(), "the token row's update was rolled back with the failed insert");
        assertEquals(before.successorHash(), after.successorHash());
        assertEquals(f.service.family(before.familyId()).orElseThrow().lastUsedAt(), f.service.family(before.familyId()).orElseThrow().createdAt(),
                "the family row's update was rolled back too");
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
            for (String table : List.of("TG_FAMILY", "TG_REFRESH_TOKEN", "TG_REVOCATION")) {
                try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
                    while (rs.next()) {
                        indexes.add(rs.getString("INDEX_NAME") + "(" + rs.getString("COLUMN_NAME") + ")");
                    }
                }
            }
            for (String ix : ShippedSchema.INDEXES) {
                assertTrue(indexes.stream().anyMatch(i -> i.startsWith(ix + "(")), ix + " in " + indexes);
            }
            assertTrue(indexes.stream().anyMatch(i -> i.startsWith("PRIMARY_KEY") && i.endsWith("(TOKEN_HASH)")), "token hash is the key: " + indexes);
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
