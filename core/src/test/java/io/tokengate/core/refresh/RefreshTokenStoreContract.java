package io.tokengate.core.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.revocation.Revocation;

/**
 * What every {@link RefreshTokenStore} must do. An implementation's test extends this class and supplies
 * {@link #newStore()}; the in-memory store runs it here and the JPA store ({@code refresh.jpa}) on H2, PostgreSQL
 * and MariaDB. {@link #newStore()} returns an empty store (the cleanup test counts what it deletes).
 */
public abstract class RefreshTokenStoreContract {
    /** With milliseconds: a store must keep instants at least that precisely. */
    protected static final Instant T0 = Instant.parse("2026-11-27T10:00:00.123Z");

    protected RefreshTokenStore store;

    /** An empty store to test. */
    protected abstract RefreshTokenStore newStore();

    /**
     * The store of another application (another issuer) on the same database as {@link #store}, not emptied; a store
     * that lives in one application's memory only is another application's simply by being another instance.
     */
    protected RefreshTokenStore anotherApplicationsStore() {
        return newStore();
    }

    /** Called after each test, e.g. to close a connection pool. */
    protected void closeStore(RefreshTokenStore store) {
    }

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        closeStore(store);
    }

    protected static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    protected static RefreshTokenFamily family(String familyId, String subject, String clientId, Instant now) {
        return new RefreshTokenFamily(familyId, subject, clientId, Set.of("read", "write"), Set.of("user"), now.minusSeconds(5), now, now,
                now.plus(Duration.ofDays(14)), now.plus(Duration.ofDays(30)), FamilyState.ACTIVE, null, null, "JUnit/5", "127.0.0.1");
    }

    private RefreshTokenFamily newFamily(String subject, String clientId, String firstHash, Instant now) {
        RefreshTokenFamily f = family(id("fam"), subject, clientId, now);
        store.createFamily(f, RefreshTokenRecord.active(firstHash, "s1", f.familyId(), now));
        return f;
    }

    @Test
    void createdFamilyAndTokenAreFoundWithEveryField() {
        String hash = id("h");
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", hash, T0);
        assertEquals(f, store.findFamily(f.familyId()).orElseThrow());
        RefreshTokenRecord r = store.findToken(hash).orElseThrow();
        assertEquals(RefreshTokenRecord.active(hash, "s1", f.familyId(), T0), r);
        assertTrue(store.findToken(id("h")).isEmpty());
        assertTrue(store.findFamily(id("fam")).isEmpty());
    }

    @Test
    void rotateMarksTheTokenRotatedStoresTheSuccessorAndSlidesTheFamily() {
        String first = id("h");
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", first, T0);
        String second = id("h");
        Instant later = T0.plusSeconds(3600);
        Instant idle = later.plus(Duration.ofDays(14));
        assertEquals(RotationResult.ROTATED, store.rotate(first, RefreshTokenRecord.active(second, "s1", f.familyId(), later), later, idle));

        RefreshTokenRecord old = store.findToken(first).orElseThrow();
        assertEquals(TokenState.ROTATED, old.state());
        assertEquals(later, old.rotatedAt());
        assertEquals(second, old.successorHash());
        assertEquals(TokenState.ACTIVE, store.findToken(second).orElseThrow().state());
        RefreshTokenFamily after = store.findFamily(f.familyId()).orElseThrow();
        assertEquals(later, after.lastUsedAt());
        assertEquals(idle, after.idleExpiresAt());
        assertEquals(f.absoluteExpiresAt(), after.absoluteExpiresAt());
    }

    @Test
    void rotatingTheSameTokenTwiceSucceedsOnce() {
        String first = id("h");
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", first, T0);
        assertEquals(RotationResult.ROTATED, store.rotate(first, RefreshTokenRecord.active(id("h"), "s1", f.familyId(), T0), T0, T0.plusSeconds(60)));
        String loser = id("h");
        assertEquals(RotationResult.NOT_ACTIVE, store.rotate(first, RefreshTokenRecord.active(loser, "s1", f.familyId(), T0), T0, T0.plusSeconds(60)));
        assertTrue(store.findToken(loser).isEmpty(), "the loser's successor was not stored");
    }

    @Test
    void tokenAndFamilyAreReadTogetherWithEveryField() {
        String hash = id("h");
        RefreshTokenFamily f = new RefreshTokenFamily(id("fam"), id("zo\u00eb"), "demo-client", Set.of("read", "write", "orders.read"),
                Set.of("user", "\u7ba1\u7406\u8005", "quote\"and\\backslash"), T0.minusSeconds(5), T0, T0, T0.plus(Duration.ofDays(14)),
                T0.plus(Duration.ofDays(30)), FamilyState.ACTIVE, null, null, "Firefox/128 (X11)", "::1");
        store.createFamily(f, RefreshTokenRecord.active(hash, "s1", f.familyId(), T0));
        RefreshTokenStore.TokenAndFamily both = store.findTokenAndFamily(hash).orElseThrow();
        assertEquals(store.findToken(hash).orElseThrow(), both.token());
        assertEquals(f, both.family());

        String next = id("h");
        Instant later = T0.plusSeconds(60);
        store.rotate(hash, RefreshTokenRecord.active(next, "s1", f.familyId(), later), later, later.plus(Duration.ofDays(14)));
        RefreshTokenStore.TokenAndFamily rotated = store.findTokenAndFamily(hash).orElseThrow();
        assertEquals(TokenState.ROTATED, rotated.token().state());
        assertEquals(next, rotated.token().successorHash());
        assertEquals(later, rotated.family().lastUsedAt());
        assertEquals(store.findFamily(f.familyId()).orElseThrow(), store.findTokenAndFamily(next).orElseThrow().family());
        assertTrue(store.findTokenAndFamily(id("h")).isEmpty());
    }

    @Test
    void aLosingRotationLeavesTheFamilyAsTheWinnerLeftIt() {
        String first = id("h");
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", first, T0);
        Instant won = T0.plusSeconds(10);
        store.rotate(first, RefreshTokenRecord.active(id("h"), "s1", f.familyId(), won), won, won.plus(Duration.ofDays(14)));
        Instant lost = T0.plusSeconds(20);
        assertEquals(RotationResult.NOT_ACTIVE,
                store.rotate(first, RefreshTokenRecord.active(id("h"), "s1", f.familyId(), lost), lost, lost.plus(Duration.ofDays(14))));
        RefreshTokenFamily after = store.findFamily(f.familyId()).orElseThrow();
        assertEquals(won, after.lastUsedAt(), "the loser did not slide the family");
        assertEquals(won.plus(Duration.ofDays(14)), after.idleExpiresAt());
    }

    @Test
    void rotatingAnUnknownTokenChangesNothing() {
        String successor = id("h");
        assertEquals(RotationResult.NOT_FOUND, store.rotate(id("h"), RefreshTokenRecord.active(successor, "s1", id("fam"), T0), T0, T0));
        assertTrue(store.findToken(successor).isEmpty());
    }

    @Test
    void concurrentRotationsOfOneTokenHaveExactlyOneWinner() throws Exception {
        int threads = 16;
        for (int round = 0; round < 20; round++) {
            String first = id("h");
            RefreshTokenFamily f = newFamily(id("alice"), "demo-client", first, T0);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<RotationResult>> results = new ArrayList<>();
                String successor = id("h"); // as in production: every caller derives the same successor
                for (int t = 0; t < threads; t++) {
                    Callable<RotationResult> call = () -> {
                        start.await();
                        return store.rotate(first, RefreshTokenRecord.active(successor, "s1", f.familyId(), T0), T0, T0.plusSeconds(60));
                    };
                    results.add(pool.submit(call));
                }
                start.countDown();
                int winners = 0;
                for (Future<RotationResult> r : results) {
                    RotationResult result = r.get(60, TimeUnit.SECONDS);
                    if (result == RotationResult.ROTATED) {
                        winners++;
                    } else {
                        assertEquals(RotationResult.NOT_ACTIVE, result);
                    }
                }
                assertEquals(1, winners, "round " + round);
                assertEquals(successor, store.findToken(first).orElseThrow().successorHash());
                assertEquals(TokenState.ACTIVE, store.findToken(successor).orElseThrow().state());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void revokedFamilyCannotRotateAndItsTokensAreRevoked() {
        String first = id("h");
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", first, T0);
        assertTrue(store.revokeFamily(f.familyId(), T0.plusSeconds(1), "logout"));
        assertFalse(store.revokeFamily(f.familyId(), T0.plusSeconds(2), "logout"), "already revoked");
        RefreshTokenFamily revoked = store.findFamily(f.familyId()).orElseThrow();
        assertEquals(FamilyState.REVOKED, revoked.state());
        assertEquals(T0.plusSeconds(1), revoked.revokedAt());
        assertEquals("logout", revoked.revokedReason());
        assertEquals(TokenState.REVOKED, store.findToken(first).orElseThrow().state());
        assertEquals(RotationResult.NOT_ACTIVE, store.rotate(first, RefreshTokenRecord.active(id("h"), "s1", f.familyId(), T0), T0, T0));
        assertFalse(store.revokeFamily(id("fam"), T0, "unknown"));
    }

    @Test
    void activeTokenOfARevokedFamilyCannotRotate() {
        RefreshTokenFamily revoked = family(id("fam"), id("alice"), "demo-client", T0).revoked(T0, "logout");
        String hash = id("h");
        store.createFamily(revoked, RefreshTokenRecord.active(hash, "s1", revoked.familyId(), T0));
        String successor = id("h");
        assertEquals(RotationResult.NOT_ACTIVE, store.rotate(hash, RefreshTokenRecord.active(successor, "s1", revoked.familyId(), T0), T0, T0));
        assertTrue(store.findToken(successor).isEmpty());
        assertEquals(TokenState.ACTIVE, store.findToken(hash).orElseThrow().state());
    }

    @Test
    void revokingARotatedFamilyRevokesItsCurrentSuccessor() {
        String first = id("h");
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", first, T0);
        String second = id("h");
        String third = id("h");
        store.rotate(first, RefreshTokenRecord.active(second, "s1", f.familyId(), T0), T0, T0.plusSeconds(60));
        store.rotate(second, RefreshTokenRecord.active(third, "s1", f.familyId(), T0), T0, T0.plusSeconds(60));
        assertTrue(store.revokeFamily(f.familyId(), T0, "reuse_detected"));
        assertEquals(TokenState.REVOKED, store.findToken(third).orElseThrow().state());
        assertEquals(TokenState.ROTATED, store.findToken(first).orElseThrow().state(), "history keeps its successor links");
        assertEquals(second, store.findToken(first).orElseThrow().successorHash());
        assertEquals(RotationResult.NOT_ACTIVE, store.rotate(third, RefreshTokenRecord.active(id("h"), "s1", f.familyId(), T0), T0, T0));
    }

    @Test
    void rotationRacingARevocationNeverLeavesAnActiveTokenInARevokedFamily() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                String current = id("h");
                RefreshTokenFamily f = newFamily(id("alice"), "demo-client", current, T0);
                CountDownLatch start = new CountDownLatch(1);
                List<String> chain = new ArrayList<>(List.of(current));
                for (int i = 0; i < 5; i++) {
                    chain.add(id("h"));
                }
                Future<?> rotator = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 5; i++) {
                        if (store.rotate(chain.get(i), RefreshTokenRecord.active(chain.get(i + 1), "s1", f.familyId(), T0), T0,
                                T0.plusSeconds(60)) != RotationResult.ROTATED) {
                            break;
                        }
                    }
                    return null;
                });
                Future<?> revoker = pool.submit(() -> {
                    start.await();
                    store.revokeFamily(f.familyId(), T0, "logout");
                    return null;
                });
                start.countDown();
                rotator.get(60, TimeUnit.SECONDS);
                revoker.get(60, TimeUnit.SECONDS);
                assertEquals(FamilyState.REVOKED, store.findFamily(f.familyId()).orElseThrow().state());
                for (String h : chain) {
                    store.findToken(h).ifPresent(r -> assertFalse(r.state() == TokenState.ACTIVE,
                            "an active token survived the revocation of its family"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void optionalFieldsLongStringsAndUnicodeRoundTrip() {
        RefreshTokenFamily f = new RefreshTokenFamily(id("fam"), id("zoë"), "demo-client", Set.of(), Set.of("Ärzte", "group with spaces"),
                null, T0, T0, T0.plus(Duration.ofDays(14)), T0.plus(Duration.ofDays(30)), FamilyState.ACTIVE, null, null,
                "U".repeat(512), null);
        String hash = id("h");
        store.createFamily(f, RefreshTokenRecord.active(hash, "s1", f.familyId(), T0));
        assertEquals(f, store.findFamily(f.familyId()).orElseThrow());
        RefreshTokenFamily minimal = new RefreshTokenFamily(id("fam"), id("bob"), "demo-client", Set.of("read"), Set.of(), null, T0, T0,
                T0.plusSeconds(1), T0.plusSeconds(2), FamilyState.ACTIVE, null, null, null, "::1");
        store.createFamily(minimal, RefreshTokenRecord.active(id("h"), "s1", minimal.familyId(), T0));
        assertEquals(minimal, store.findFamily(minimal.familyId()).orElseThrow());
    }

    @Test
    void revokedFamiliesStayInTheInventory() {
        String alice = id("alice");
        RefreshTokenFamily f = newFamily(alice, "demo-client", id("h"), T0);
        store.revokeFamily(f.familyId(), T0.plusSeconds(5), "logout");
        List<RefreshTokenFamily> list = store.familiesOfSubject(alice);
        assertEquals(1, list.size());
        assertEquals(FamilyState.REVOKED, list.get(0).state());
        assertEquals(T0.plusSeconds(5), list.get(0).revokedAt());
    }

    @Test
    void revokingASubjectRevokesAllItsFamiliesAndNoOthers() {
        String alice = id("alice");
        String bob = id("bob");
        RefreshTokenFamily a1 = newFamily(alice, "demo-client", id("h"), T0);
        RefreshTokenFamily a2 = newFamily(alice, "other-client", id("h"), T0);
        RefreshTokenFamily b1 = newFamily(bob, "demo-client", id("h"), T0);
        assertEquals(Set.of(a1.familyId(), a2.familyId()), Set.copyOf(store.revokeFamiliesOfSubject(alice, T0, "logout_everywhere")));
        assertEquals(FamilyState.ACTIVE, store.findFamily(b1.familyId()).orElseThrow().state());
        assertEquals(List.of(), store.revokeFamiliesOfSubject(alice, T0, "again"));
    }

    @Test
    void revokingAClientRevokesAllItsFamiliesAndNoOthers() {
        String client = id("client");
        RefreshTokenFamily c1 = newFamily(id("alice"), client, id("h"), T0);
        RefreshTokenFamily c2 = newFamily(id("bob"), client, id("h"), T0);
        RefreshTokenFamily other = newFamily(id("alice"), "demo-client", id("h"), T0);
        assertEquals(Set.of(c1.familyId(), c2.familyId()), Set.copyOf(store.revokeFamiliesOfClient(client, T0, "client_disabled")));
        assertEquals(FamilyState.ACTIVE, store.findFamily(other.familyId()).orElseThrow().state());
    }

    @Test
    void familiesOfASubjectAreListedNewestFirst() {
        String alice = id("alice");
        RefreshTokenFamily older = newFamily(alice, "demo-client", id("h"), T0);
        RefreshTokenFamily newer = newFamily(alice, "demo-spa", id("h"), T0.plusSeconds(60));
        newFamily(id("bob"), "demo-client", id("h"), T0);
        List<RefreshTokenFamily> list = store.familiesOfSubject(alice);
        assertEquals(List.of(newer.familyId(), older.familyId()), list.stream().map(RefreshTokenFamily::familyId).toList());
        assertEquals("JUnit/5", list.get(0).userAgent());
        assertEquals("127.0.0.1", list.get(0).remoteAddress());
    }

    @Test
    void cleanupDeletesExpiredAndLongRevokedFamiliesInBatches() {
        String subject = id("alice");
        List<String> hashes = new ArrayList<>();
        List<String> rotatedChain = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String h = id("h");
            hashes.add(h);
            RefreshTokenFamily fam = newFamily(subject, "demo-client", h, T0);
            if (i == 0) {
                String next = id("h");
                store.rotate(h, RefreshTokenRecord.active(next, "s1", fam.familyId(), T0), T0, T0.plus(Duration.ofDays(14)));
                rotatedChain.add(next);
            }
        }
        String liveHash = id("h");
        RefreshTokenFamily live = newFamily(subject, "demo-client", liveHash, T0.plus(Duration.ofDays(20)));
        String revokedHash = id("h");
        RefreshTokenFamily recentlyRevoked = newFamily(subject, "demo-client", revokedHash, T0.plus(Duration.ofDays(20)));
        store.revokeFamily(recentlyRevoked.familyId(), T0.plus(Duration.ofDays(20)), "logout");

        Instant now = T0.plus(Duration.ofDays(15)).plus(Duration.ofDays(6)); // the first five idle-expired
        Instant revokedBefore = now.minus(Duration.ofDays(7));
        int first = store.deleteExpired(now, revokedBefore, 3);
        assertEquals(3, first, "one batch");
        int second = store.deleteExpired(now, revokedBefore, 3);
        assertEquals(2, second);
        assertEquals(0, store.deleteExpired(now, revokedBefore, 3));
        for (String h : hashes) {
            assertTrue(store.findToken(h).isEmpty(), "tokens go with their family");
        }
        for (String h : rotatedChain) {
            assertTrue(store.findToken(h).isEmpty(), "rotated tokens and successors go too");
        }
        assertTrue(store.findFamily(live.familyId()).isPresent());
        assertTrue(store.findToken(revokedHash).isPresent(), "recently revoked families stay, so reuse is still recognised");
        assertEquals(1, store.deleteExpired(now.plus(Duration.ofDays(8)).minus(Duration.ofDays(9)),
                now.plus(Duration.ofDays(8)), 10), "revoked long enough ago");
    }

    @Test
    void cleanupDeletesLongRotatedTokensOfLiveFamiliesInBatches() {
        String first = id("h");
        RefreshTokenFamily fam = newFamily(id("alice"), "demo-client", first, T0);
        List<String> chain = new ArrayList<>(List.of(first));
        for (int i = 1; i <= 4; i++) { // rotated at T0+1h .. T0+4h
            String next = id("h");
            Instant at = T0.plus(Duration.ofHours(i));
            assertEquals(RotationResult.ROTATED,
                    store.rotate(chain.get(i - 1), RefreshTokenRecord.active(next, "s1", fam.familyId(), at), at, at.plus(Duration.ofDays(14))));
            chain.add(next);
        }
        Instant before = T0.plus(Duration.ofHours(3)).plusMillis(1); // the first three were rotated before it
        assertEquals(2, store.deleteRotatedTokens(before, 2), "one batch");
        assertEquals(1, store.deleteRotatedTokens(before, 2));
        assertEquals(0, store.deleteRotatedTokens(before, 2));
        for (int i = 0; i < 3; i++) {
            assertTrue(store.findToken(chain.get(i)).isEmpty(), "rotated before the cut-off: gone");
        }
        assertEquals(TokenState.ROTATED, store.findToken(chain.get(3)).orElseThrow().state(), "rotated after the cut-off: kept for reuse detection");
        assertEquals(TokenState.ACTIVE, store.findToken(chain.get(4)).orElseThrow().state(), "the active token is never deleted");
        assertTrue(store.findFamily(fam.familyId()).isPresent(), "the family lives on");
    }

    private static final Duration NOT_BEFORE_LIFE = Duration.ofMinutes(61);

    @Test
    void revocationsAreKeptUntilTheyStopMatteringAndALaterCutReplacesAnEarlierOne() {
        Instant exp = T0.plus(Duration.ofMinutes(5));
        Revocation jti = new Revocation(Revocation.Kind.ACCESS_TOKEN, "jti-" + id("j"), exp, exp.plusSeconds(30));
        Revocation subject = new Revocation(Revocation.Kind.SUBJECT, "alice-\u00e9-" + id("s"), T0, T0.plus(NOT_BEFORE_LIFE));
        store.saveRevocation(jti);
        store.saveRevocation(subject);
        assertEquals(Set.of(jti, subject), Set.copyOf(store.liveRevocations(T0, NOT_BEFORE_LIFE)));

        Revocation later = new Revocation(Revocation.Kind.SUBJECT, subject.key(), T0.plusSeconds(600), T0.plus(Duration.ofMinutes(71)));
        store.saveRevocation(later);
        store.saveRevocation(subject); // an older cut arriving late changes nothing
        assertEquals(Set.of(jti, later), Set.copyOf(store.liveRevocations(T0, NOT_BEFORE_LIFE)));
        for (String other : List.of(subject.key().toUpperCase(java.util.Locale.ROOT), subject.key() + " ")) {
            // case and trailing spaces make another subject, whatever the database's collation
            store.saveRevocation(new Revocation(Revocation.Kind.SUBJECT, other, T0, T0.plus(NOT_BEFORE_LIFE)));
        }
        store.saveRevocation(new Revocation(Revocation.Kind.ACCESS_TOKEN, subject.key(), exp, exp.plusSeconds(30)));
        assertEquals(5, store.liveRevocations(T0, NOT_BEFORE_LIFE).size(), "a jti and a subject with the same name are two cuts");
        assertTrue(store.liveRevocations(T0, NOT_BEFORE_LIFE).contains(later), "the later cut is intact");

        assertEquals(Set.of(later), Set.copyOf(store.liveRevocations(T0.plus(Duration.ofMinutes(65)), NOT_BEFORE_LIFE)),
                "the others stopped mattering");
        assertEquals(0, store.deleteExpiredRevocations(T0, 100));
        assertEquals(2, store.deleteExpiredRevocations(T0.plus(Duration.ofMinutes(65)), 2), "batched");
        assertEquals(2, store.deleteExpiredRevocations(T0.plus(Duration.ofMinutes(65)), 2));
        assertEquals(0, store.deleteExpiredRevocations(T0.plus(Duration.ofMinutes(65)), 2));
        assertEquals(List.of(later), store.liveRevocations(T0, NOT_BEFORE_LIFE));
    }

    @Test
    void aRevokedFamilyIsALiveCutForTheLongestTokenLifetime() {
        RefreshTokenFamily old = newFamily(id("alice"), "demo-client", id("h"), T0);
        RefreshTokenFamily recent = newFamily(id("alice"), "demo-client", id("h"), T0);
        RefreshTokenFamily live = newFamily(id("alice"), "demo-client", id("h"), T0);
        store.revokeFamily(old.familyId(), T0.plus(Duration.ofMinutes(1)), "logout");
        store.revokeFamily(recent.familyId(), T0.plus(Duration.ofMinutes(30)), "logout");
        Instant now = T0.plus(Duration.ofMinutes(70));
        List<Revocation> cuts = store.liveRevocations(now, NOT_BEFORE_LIFE);
        assertEquals(List.of(new Revocation(Revocation.Kind.FAMILY, recent.familyId(), T0.plus(Duration.ofMinutes(30)),
                T0.plus(Duration.ofMinutes(30)).plus(NOT_BEFORE_LIFE))), cuts, "revoked within the window only; active ones are no cut");
        assertEquals(0, store.deleteExpiredRevocations(now.plus(Duration.ofDays(1)), 10), "the family's cut has no row of its own");
        assertTrue(store.findFamily(live.familyId()).isPresent());
    }

    @Test
    void anotherApplicationOnTheSameDatabaseSeesRevokesAndCleansUpNothingOfThisOne() {
        RefreshTokenStore other = anotherApplicationsStore();
        String subject = id("alice");
        String mineFirst = id("h");
        RefreshTokenFamily mine = newFamily(subject, "shared-client", mineFirst, T0);
        String mineNext = id("h");
        assertEquals(RotationResult.ROTATED, store.rotate(mineFirst, RefreshTokenRecord.active(mineNext, "s1", mine.familyId(), T0), T0,
                T0.plus(Duration.ofDays(14))));
        Revocation cut = new Revocation(Revocation.Kind.SUBJECT, subject, T0, T0.plus(NOT_BEFORE_LIFE));
        store.saveRevocation(cut);
        RefreshTokenFamily mineRevoked = newFamily(subject, "shared-client", id("h"), T0);
        store.revokeFamily(mineRevoked.familyId(), T0, "logout");
        RefreshTokenFamily theirs = family(id("fam"), subject, "shared-client", T0);
        String theirHash = id("h");
        other.createFamily(theirs, RefreshTokenRecord.active(theirHash, "s1", theirs.familyId(), T0));

        assertTrue(other.findToken(mineNext).isEmpty(), "another application's token is unknown");
        assertTrue(other.findTokenAndFamily(mineNext).isEmpty());
        assertTrue(other.findFamily(mine.familyId()).isEmpty());
        assertEquals(List.of(theirs.familyId()), other.familiesOfSubject(subject).stream().map(RefreshTokenFamily::familyId).toList(),
                "the same user's families of another application are not listed");
        assertEquals(RotationResult.NOT_FOUND, other.rotate(mineNext, RefreshTokenRecord.active(id("h"), "s1", mine.familyId(), T0), T0,
                T0.plus(Duration.ofDays(14))));
        assertEquals(RotationResult.NOT_FOUND, other.rotate(mineNext, RefreshTokenRecord.active(id("h"), "s1", theirs.familyId(), T0), T0,
                T0.plus(Duration.ofDays(14))), "not even under a family of its own");
        Revocation theirCut = new Revocation(Revocation.Kind.SUBJECT, subject, T0.plusSeconds(60), T0.plus(NOT_BEFORE_LIFE).plusSeconds(60));
        other.saveRevocation(theirCut);
        assertFalse(other.revokeFamily(mine.familyId(), T0, "attack"));
        assertEquals(List.of(theirs.familyId()), other.revokeFamiliesOfSubject(subject, T0, "logout-everywhere"));
        assertEquals(List.of(), other.revokeFamiliesOfClient("shared-client", T0, "client"));
        assertEquals(Set.of(theirCut, new Revocation(Revocation.Kind.FAMILY, theirs.familyId(), T0, T0.plus(NOT_BEFORE_LIFE))),
                Set.copyOf(other.liveRevocations(T0, NOT_BEFORE_LIFE)), "only its own cuts are re-applied at its start");
        Instant farFuture = T0.plus(Duration.ofDays(400));
        assertEquals(1, other.deleteExpired(farFuture, farFuture, 100), "its cleanup deletes its own family only");
        assertEquals(0, other.deleteRotatedTokens(farFuture, 100));
        assertEquals(1, other.deleteExpiredRevocations(farFuture, 100), "its own cut only");

        assertEquals(FamilyState.ACTIVE, store.findFamily(mine.familyId()).orElseThrow().state(), "this application's family is intact");
        assertEquals(TokenState.ACTIVE, store.findToken(mineNext).orElseThrow().state());
        assertEquals(TokenState.ROTATED, store.findToken(mineFirst).orElseThrow().state());
        assertEquals(Set.of(cut, new Revocation(Revocation.Kind.FAMILY, mineRevoked.familyId(), T0, T0.plus(NOT_BEFORE_LIFE))),
                Set.copyOf(store.liveRevocations(T0, NOT_BEFORE_LIFE)), "its own cut, untouched by the other's later cut of the same name");
        assertEquals(Set.of(mine.familyId(), mineRevoked.familyId()),
                Set.copyOf(store.familiesOfSubject(subject).stream().map(RefreshTokenFamily::familyId).toList()));
    }

    // ------------------------------------------------------------------ the shared key set (keys.source=database)

    @Test
    void theSharedKeySetIsStoredOnceThenChangedOnlyFromTheVersionItReplaces() {
        KeySetStore keys = store.keySets();
        assertTrue(keys.load().isEmpty(), "nothing stored yet");
        assertTrue(keys.compareAndSet(0, "sealed-1"));
        assertFalse(keys.compareAndSet(0, "sealed-other"), "a second first record loses");
        assertEquals(new KeySetStore.Stored(1, "sealed-1"), keys.load().orElseThrow());
        assertFalse(keys.compareAndSet(2, "sealed-3"), "not from a version that is not stored");
        assertTrue(keys.compareAndSet(1, "sealed-2"));
        assertFalse(keys.compareAndSet(1, "sealed-2b"), "a server that read version 1 loses to the one that changed it");
        assertEquals(new KeySetStore.Stored(2, "sealed-2"), keys.load().orElseThrow());
        String large = "x".repeat(KeySetStore.MAX_SEALED_LENGTH); // a sealed set of several RSA keys
        assertTrue(keys.compareAndSet(2, large));
        assertEquals(large, keys.load().orElseThrow().sealed());
        org.junit.jupiter.api.Assertions.assertThrows(io.tokengate.core.keys.KeySetException.class,
                () -> keys.compareAndSet(3, "x".repeat(KeySetStore.MAX_SEALED_LENGTH + 1)), "longer than the row holds: refused, not cut");
        assertEquals(3, keys.load().orElseThrow().version());
    }

    @Test
    void ofServersStoringTheFirstKeySetAtOnceExactlyOneSucceeds() throws Exception {
        KeySetStore keys = store.keySets();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String mine = "sealed-by-" + i;
                wins.add(pool.submit(() -> {
                    go.await();
                    return keys.compareAndSet(0, mine);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : wins) {
                won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won, "one first record");
            assertEquals(1, keys.load().orElseThrow().version());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachApplicationHasAKeySetOfItsOwn() {
        assertTrue(store.keySets().compareAndSet(0, "this-application"));
        RefreshTokenStore other = anotherApplicationsStore();
        try {
            KeySetStore theirs = other.keySets();
            long version = theirs.load().map(KeySetStore.Stored::version).orElse(0L);
            assertTrue(theirs.load().map(KeySetStore.Stored::sealed).filter("this-application"::equals).isEmpty(), "not this application's");
            assertTrue(theirs.compareAndSet(version, "other-application"), "its own version, not this application's");
            assertEquals("this-application", store.keySets().load().orElseThrow().sealed());
        } finally {
            if (other != store) {
                closeStore(other);
            }
        }
    }
}
