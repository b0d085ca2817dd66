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

    protected static CurrentToken token(long generation, Instant issuedAt) {
        return new CurrentToken(generation, id("h"), "s1", issuedAt);
    }

    private RefreshTokenFamily newFamily(String subject, String clientId, Instant now) {
        RefreshTokenFamily f = family(id("fam"), subject, clientId, now);
        store.createFamily(f, token(0, now));
        return f;
    }

    private CurrentToken live(RefreshTokenFamily f) {
        return store.findFamilyAndToken(f.familyId()).orElseThrow().token();
    }

    @Test
    void createdFamilyAndItsFirstTokenAreFoundWithEveryField() {
        RefreshTokenFamily f = family(id("fam"), id("alice"), "demo-client", T0);
        CurrentToken first = token(0, T0);
        store.createFamily(f, first);
        assertEquals(f, store.findFamily(f.familyId()).orElseThrow());
        assertEquals(new RefreshTokenStore.FamilyAndToken(f, first), store.findFamilyAndToken(f.familyId()).orElseThrow());
        assertTrue(store.findFamily(id("fam")).isEmpty());
        assertTrue(store.findFamilyAndToken(id("fam")).isEmpty());
    }

    @Test
    void advanceReplacesTheLiveTokenAndSlidesTheFamily() {
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
        Instant later = T0.plusSeconds(3600);
        Instant idle = later.plus(Duration.ofDays(14));
        CurrentToken second = new CurrentToken(1, id("h"), "s2", later);
        assertEquals(RotationResult.ROTATED, store.advance(f.familyId(), 0, second, later, idle));

        RefreshTokenStore.FamilyAndToken after = store.findFamilyAndToken(f.familyId()).orElseThrow();
        assertEquals(second, after.token(), "hash, generation, secret and issue of the successor, to the millisecond");
        assertEquals(later, after.family().lastUsedAt());
        assertEquals(idle, after.family().idleExpiresAt());
        assertEquals(f.absoluteExpiresAt(), after.family().absoluteExpiresAt());
        assertEquals(f.createdAt(), after.family().createdAt());
        assertEquals(after.family(), store.findFamily(f.familyId()).orElseThrow());
    }

    @Test
    void advancingTheSameGenerationTwiceSucceedsOnce() {
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
        CurrentToken winner = token(1, T0);
        assertEquals(RotationResult.ROTATED, store.advance(f.familyId(), 0, winner, T0, T0.plusSeconds(60)));
        assertEquals(RotationResult.NOT_ACTIVE, store.advance(f.familyId(), 0, token(1, T0), T0, T0.plusSeconds(60)));
        assertEquals(RotationResult.NOT_ACTIVE, store.advance(f.familyId(), 5, token(6, T0), T0, T0.plusSeconds(60)),
                "a generation the family never had");
        assertEquals(winner, live(f), "the losers' successors were not stored");
    }

    @Test
    void aLosingAdvanceLeavesTheFamilyAsTheWinnerLeftIt() {
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
        Instant won = T0.plusSeconds(10);
        store.advance(f.familyId(), 0, token(1, won), won, won.plus(Duration.ofDays(14)));
        Instant lost = T0.plusSeconds(20);
        assertEquals(RotationResult.NOT_ACTIVE, store.advance(f.familyId(), 0, token(1, lost), lost, lost.plus(Duration.ofDays(14))));
        RefreshTokenFamily after = store.findFamily(f.familyId()).orElseThrow();
        assertEquals(won, after.lastUsedAt(), "the loser did not slide the family");
        assertEquals(won.plus(Duration.ofDays(14)), after.idleExpiresAt());
    }

    @Test
    void advancingAnUnknownFamilyChangesNothing() {
        String familyId = id("fam");
        assertEquals(RotationResult.NOT_FOUND, store.advance(familyId, 0, token(1, T0), T0, T0));
        assertTrue(store.findFamilyAndToken(familyId).isEmpty());
    }

    @Test
    void aFamilyRefreshedAThousandTimesIsStillOneFamilyWithOneLiveToken() {
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
        CurrentToken last = null;
        for (int g = 0; g < 1000; g++) {
            last = token(g + 1, T0.plusSeconds(g));
            assertEquals(RotationResult.ROTATED, store.advance(f.familyId(), g, last, T0.plusSeconds(g), T0.plus(Duration.ofDays(14))));
        }
        assertEquals(last, live(f));
        assertEquals(1, store.familiesOfSubject(f.subject()).size());
        assertEquals(0, store.deleteRotatedTokens(T0.plus(Duration.ofDays(400)), 10_000), "no rows of earlier tokens to clean up");
    }

    @Test
    void concurrentAdvancesOfOneGenerationHaveExactlyOneWinner() throws Exception {
        int threads = 16;
        for (int round = 0; round < 20; round++) {
            RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<RotationResult>> results = new ArrayList<>();
                CurrentToken successor = token(1, T0); // as in production: every caller derives the same successor
                for (int t = 0; t < threads; t++) {
                    Callable<RotationResult> call = () -> {
                        start.await();
                        return store.advance(f.familyId(), 0, successor, T0, T0.plusSeconds(60));
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
                assertEquals(successor, live(f));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRevokedFamilyCannotAdvance() {
        RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
        CurrentToken first = live(f);
        assertTrue(store.revokeFamily(f.familyId(), T0.plusSeconds(1), "logout"));
        assertFalse(store.revokeFamily(f.familyId(), T0.plusSeconds(2), "logout"), "already revoked");
        RefreshTokenFamily revoked = store.findFamily(f.familyId()).orElseThrow();
        assertEquals(FamilyState.REVOKED, revoked.state());
        assertEquals(T0.plusSeconds(1), revoked.revokedAt());
        assertEquals("logout", revoked.revokedReason());
        assertEquals(RotationResult.NOT_ACTIVE, store.advance(f.familyId(), 0, token(1, T0), T0, T0));
        assertEquals(first, live(f), "the live token is kept, so a replay of it is still known as this family's");
        assertFalse(store.revokeFamily(id("fam"), T0, "unknown"));

        RefreshTokenFamily bornRevoked = family(id("fam"), id("alice"), "demo-client", T0).revoked(T0, "logout");
        store.createFamily(bornRevoked, token(0, T0));
        assertEquals(RotationResult.NOT_ACTIVE, store.advance(bornRevoked.familyId(), 0, token(1, T0), T0, T0));
    }

    @Test
    void advancesRacingARevocationNeverAdvanceTheFamilyAfterIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                RefreshTokenFamily f = newFamily(id("alice"), "demo-client", T0);
                CountDownLatch start = new CountDownLatch(1);
                Future<Integer> rotator = pool.submit(() -> {
                    start.await();
                    int advanced = 0;
                    while (advanced < 5 && store.advance(f.familyId(), advanced, token(advanced + 1, T0), T0, T0.plusSeconds(60))
                            == RotationResult.ROTATED) {
                        advanced++;
                    }
                    return advanced;
                });
                Future<?> revoker = pool.submit(() -> {
                    start.await();
                    store.revokeFamily(f.familyId(), T0, "logout");
                    return null;
                });
                start.countDown();
                int advanced = rotator.get(60, TimeUnit.SECONDS);
                revoker.get(60, TimeUnit.SECONDS);
                assertEquals(FamilyState.REVOKED, store.findFamily(f.familyId()).orElseThrow().state());
                assertEquals(advanced, live(f).generation(), "every advance that answered ROTATED is the one kept, and no other");
                assertEquals(RotationResult.NOT_ACTIVE, store.advance(f.familyId(), advanced, token(advanced + 1, T0), T0, T0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void optionalFieldsLongStringsAndUnicodeRoundTrip() {
        RefreshTokenFamily f = new RefreshTokenFamily(id("fam"), id("zoë"), "demo-client", Set.of(), Set.of("Ärzte", "group with spaces",
                "\u7ba1\u7406\u8005", "quote\"and\\backslash"), null, T0, T0, T0.plus(Duration.ofDays(14)), T0.plus(Duration.ofDays(30)),
                FamilyState.ACTIVE, null, null, "U".repeat(512), null, "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
        store.createFamily(f, token(0, T0));
        assertEquals(f, store.findFamily(f.familyId()).orElseThrow());
        assertEquals(f, store.findFamilyAndToken(f.familyId()).orElseThrow().family(), "with the DPoP key it is bound to");
        assertEquals(f.dpopJkt(), f.revoked(T0, "logout").touched(T0, T0).dpopJkt(), "a family's changes keep its binding");
        RefreshTokenFamily minimal = new RefreshTokenFamily(id("fam"), id("bob"), "demo-client", Set.of("read"), Set.of(), null, T0, T0,
                T0.plusSeconds(1), T0.plusSeconds(2), FamilyState.ACTIVE, null, null, null, "::1");
        store.createFamily(minimal, new CurrentToken(Long.MAX_VALUE - 1, id("h"), "s".repeat(64), T0));
        assertEquals(minimal, store.findFamily(minimal.familyId()).orElseThrow());
        assertEquals(Long.MAX_VALUE - 1, live(minimal).generation());
    }

    @Test
    void revokedFamiliesStayInTheInventory() {
        String alice = id("alice");
        RefreshTokenFamily f = newFamily(alice, "demo-client", T0);
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
        RefreshTokenFamily a1 = newFamily(alice, "demo-client", T0);
        RefreshTokenFamily a2 = newFamily(alice, "other-client", T0);
        RefreshTokenFamily b1 = newFamily(bob, "demo-client", T0);
        assertEquals(Set.of(a1.familyId(), a2.familyId()), Set.copyOf(store.revokeFamiliesOfSubject(alice, T0, "logout_everywhere")));
        assertEquals(FamilyState.ACTIVE, store.findFamily(b1.familyId()).orElseThrow().state());
        assertEquals(List.of(), store.revokeFamiliesOfSubject(alice, T0, "again"));
    }

    @Test
    void revokingAClientRevokesAllItsFamiliesAndNoOthers() {
        String client = id("client");
        RefreshTokenFamily c1 = newFamily(id("alice"), client, T0);
        RefreshTokenFamily c2 = newFamily(id("bob"), client, T0);
        RefreshTokenFamily other = newFamily(id("alice"), "demo-client", T0);
        assertEquals(Set.of(c1.familyId(), c2.familyId()), Set.copyOf(store.revokeFamiliesOfClient(client, T0, "client_disabled")));
        assertEquals(FamilyState.ACTIVE, store.findFamily(other.familyId()).orElseThrow().state());
    }

    @Test
    void familiesOfASubjectAreListedNewestFirst() {
        String alice = id("alice");
        RefreshTokenFamily older = newFamily(alice, "demo-client", T0);
        RefreshTokenFamily newer = newFamily(alice, "demo-spa", T0.plusSeconds(60));
        newFamily(id("bob"), "demo-client", T0);
        List<RefreshTokenFamily> list = store.familiesOfSubject(alice);
        assertEquals(List.of(newer.familyId(), older.familyId()), list.stream().map(RefreshTokenFamily::familyId).toList());
        assertEquals("JUnit/5", list.get(0).userAgent());
        assertEquals("127.0.0.1", list.get(0).remoteAddress());
    }

    @Test
    void cleanupDeletesExpiredAndLongRevokedFamiliesInBatches() {
        String subject = id("alice");
        List<RefreshTokenFamily> expiring = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RefreshTokenFamily fam = newFamily(subject, "demo-client", T0);
            if (i == 0) {
                store.advance(fam.familyId(), 0, token(1, T0), T0, T0.plus(Duration.ofDays(14)));
            }
            expiring.add(fam);
        }
        RefreshTokenFamily live = newFamily(subject, "demo-client", T0.plus(Duration.ofDays(20)));
        RefreshTokenFamily recentlyRevoked = newFamily(subject, "demo-client", T0.plus(Duration.ofDays(20)));
        store.revokeFamily(recentlyRevoked.familyId(), T0.plus(Duration.ofDays(20)), "logout");

        Instant now = T0.plus(Duration.ofDays(15)).plus(Duration.ofDays(6)); // the first five idle-expired
        Instant revokedBefore = now.minus(Duration.ofDays(7));
        int first = store.deleteExpired(now, revokedBefore, 3);
        assertEquals(3, first, "one batch");
        int second = store.deleteExpired(now, revokedBefore, 3);
        assertEquals(2, second);
        assertEquals(0, store.deleteExpired(now, revokedBefore, 3));
        for (RefreshTokenFamily f : expiring) {
            assertTrue(store.findFamilyAndToken(f.familyId()).isEmpty(), "a family goes with its live token");
        }
        assertTrue(store.findFamily(live.familyId()).isPresent());
        assertTrue(store.findFamilyAndToken(recentlyRevoked.familyId()).isPresent(),
                "recently revoked families stay, so reuse is still recognised");
        assertEquals(1, store.deleteExpired(now.plus(Duration.ofDays(8)).minus(Duration.ofDays(9)),
                now.plus(Duration.ofDays(8)), 10), "revoked long enough ago");
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
        RefreshTokenFamily old = newFamily(id("alice"), "demo-client", T0);
        RefreshTokenFamily recent = newFamily(id("alice"), "demo-client", T0);
        RefreshTokenFamily live = newFamily(id("alice"), "demo-client", T0);
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
        RefreshTokenFamily mine = newFamily(subject, "shared-client", T0);
        CurrentToken mineNext = token(1, T0);
        assertEquals(RotationResult.ROTATED, store.advance(mine.familyId(), 0, mineNext, T0, T0.plus(Duration.ofDays(14))));
        Revocation cut = new Revocation(Revocation.Kind.SUBJECT, subject, T0, T0.plus(NOT_BEFORE_LIFE));
        store.saveRevocation(cut);
        RefreshTokenFamily mineRevoked = newFamily(subject, "shared-client", T0);
        store.revokeFamily(mineRevoked.familyId(), T0, "logout");
        RefreshTokenFamily theirs = family(id("fam"), subject, "shared-client", T0);
        other.createFamily(theirs, token(0, T0));

        assertTrue(other.findFamilyAndToken(mine.familyId()).isEmpty(), "another application's family and token are unknown");
        assertTrue(other.findFamily(mine.familyId()).isEmpty());
        assertEquals(List.of(theirs.familyId()), other.familiesOfSubject(subject).stream().map(RefreshTokenFamily::familyId).toList(),
                "the same user's families of another application are not listed");
        assertEquals(RotationResult.NOT_FOUND, other.advance(mine.familyId(), 1, token(2, T0), T0, T0.plus(Duration.ofDays(14))));
        Revocation theirCut = new Revocation(Revocation.Kind.SUBJECT, subject, T0.plusSeconds(60), T0.plus(NOT_BEFORE_LIFE).plusSeconds(60));
        other.saveRevocation(theirCut);
        assertFalse(other.revokeFamily(mine.familyId(), T0, "attack"));
        assertEquals(List.of(theirs.familyId()), other.revokeFamiliesOfSubject(subject, T0, "logout-everywhere"));
        assertEquals(List.of(), other.revokeFamiliesOfClient("shared-client", T0, "client"));
        assertEquals(Set.of(theirCut, new Revocation(Revocation.Kind.FAMILY, theirs.familyId(), T0, T0.plus(NOT_BEFORE_LIFE))),
                Set.copyOf(other.liveRevocations(T0, NOT_BEFORE_LIFE)), "only its own cuts are re-applied at its start");
        Instant farFuture = T0.plus(Duration.ofDays(400));
        assertEquals(1, other.deleteExpired(farFuture, farFuture, 100), "its cleanup deletes its own family only");
        assertEquals(1, other.deleteExpiredRevocations(farFuture, 100), "its own cut only");

        assertEquals(FamilyState.ACTIVE, store.findFamily(mine.familyId()).orElseThrow().state(), "this application's family is intact");
        assertEquals(mineNext, live(mine));
        assertEquals(Set.of(cut, new Revocation(Revocation.Kind.FAMILY, mineRevoked.familyId(), T0, T0.plus(NOT_BEFORE_LIFE))),
                Set.copyOf(store.liveRevocations(T0, NOT_BEFORE_LIFE)), "its own cut, untouched by the other's later cut of the same name");
        assertEquals(Set.of(mine.familyId(), mineRevoked.familyId()),
                Set.copyOf(store.familiesOfSubject(subject).stream().map(RefreshTokenFamily::familyId).toList()));
    }

    // ------------------------------------------------------------------ authorization codes

    private static io.tokengate.core.authorize.AuthorizationCode code(String clientId, Instant issuedAt) {
        return new io.tokengate.core.authorize.AuthorizationCode(id("c"), clientId, "http://127.0.0.1:8765/callback",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", id("zo\u00eb"), Set.of("user", "\u7ba1\u7406\u8005"), Set.of("read", "write"),
                issuedAt.minusSeconds(3), issuedAt, issuedAt.plusSeconds(60));
    }

    @Test
    void anAuthorizationCodeIsRedeemedOnceWithEveryFieldThenItsReplayNamesTheFamilyItIssued() {
        io.tokengate.core.authorize.AuthorizationCodeStore codes = store.authorizationCodes();
        io.tokengate.core.authorize.AuthorizationCode c = code("demo-native", T0);
        codes.save(c);
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Redeemed(c), codes.redeem(c.codeHash(), T0.plusSeconds(5)));
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Replayed(c, null), codes.redeem(c.codeHash(), T0.plusSeconds(6)));
        codes.recordFamily(c.codeHash(), "fam-of-the-code");
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Replayed(c, "fam-of-the-code"), codes.redeem(c.codeHash(), T0.plusSeconds(7)));
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Unknown(), codes.redeem(id("c"), T0));
    }

    @Test
    void anExpiredCodeIsNotRedeemedAndTheCleanupDeletesItInBatches() {
        io.tokengate.core.authorize.AuthorizationCodeStore codes = store.authorizationCodes();
        io.tokengate.core.authorize.AuthorizationCode c = code("demo-native", T0);
        codes.save(c);
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Expired(), codes.redeem(c.codeHash(), T0.plusSeconds(60)), "60 s exactly");
        for (int i = 0; i < 4; i++) {
            codes.save(code("demo-native", T0));
        }
        io.tokengate.core.authorize.AuthorizationCode live = code("demo-native", T0.plusSeconds(3600));
        codes.save(live);
        Instant later = T0.plusSeconds(120);
        assertEquals(3, codes.deleteExpired(later, 3));
        assertEquals(2, codes.deleteExpired(later, 3));
        assertEquals(0, codes.deleteExpired(later, 3));
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Unknown(), codes.redeem(c.codeHash(), later));
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Redeemed(live), codes.redeem(live.codeHash(), T0.plusSeconds(3601)));
    }

    @Test
    void ofConcurrentRedemptionsOfOneCodeExactlyOneWins() throws Exception {
        io.tokengate.core.authorize.AuthorizationCodeStore codes = store.authorizationCodes();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 10; round++) {
                io.tokengate.core.authorize.AuthorizationCode c = code("demo-native", T0);
                codes.save(c);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<io.tokengate.core.authorize.CodeRedemption>> results = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return codes.redeem(c.codeHash(), T0.plusSeconds(1));
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<io.tokengate.core.authorize.CodeRedemption> r : results) {
                    io.tokengate.core.authorize.CodeRedemption outcome = r.get(60, TimeUnit.SECONDS);
                    if (outcome instanceof io.tokengate.core.authorize.CodeRedemption.Redeemed) {
                        won++;
                    } else {
                        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Replayed(c, null), outcome);
                    }
                }
                assertEquals(1, won, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherApplicationCannotRedeemOrSeeThisOnesCodes() {
        io.tokengate.core.authorize.AuthorizationCode c = code("shared-client", T0);
        store.authorizationCodes().save(c);
        RefreshTokenStore other = anotherApplicationsStore();
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Unknown(), other.authorizationCodes().redeem(c.codeHash(), T0.plusSeconds(1)));
        assertEquals(0, other.authorizationCodes().deleteExpired(T0.plusSeconds(600), 10));
        assertEquals(new io.tokengate.core.authorize.CodeRedemption.Redeemed(c), store.authorizationCodes().redeem(c.codeHash(), T0.plusSeconds(1)));
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
