package io.tokengate.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tokengate.core.support.FaultyStore;
import io.tokengate.core.support.MutableClock;

/** Cuts of a server whose registry lives in memory outlive its restart: they are kept in the store and reloaded. */
class DurableRevocationRegistryTest {
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration SKEW = Duration.ofSeconds(30);
    private final MutableClock clock = MutableClock.startingAt("2026-12-02T10:00:00Z");
    private final FaultyStore store = new FaultyStore();

    /** A server's registry: memory, kept in the shared store. */
    private DurableRevocationRegistry server() {
        return new DurableRevocationRegistry(new InMemoryRevocationRegistry(clock, LIFETIME, SKEW), store, clock, LIFETIME, SKEW);
    }

    @Test
    void jtiAndSubjectCutsAreEnforcedAgainAfterARestart() {
        Instant now = clock.instant();
        Instant issued = now.minusSeconds(60);
        DurableRevocationRegistry before = server();
        before.revokeAccessToken("jti-1", now.plus(Duration.ofMinutes(5)));
        before.revokeSubject("alice", now);

        DurableRevocationRegistry after = server(); // the restarted server's memory is empty
        assertFalse(after.isRevoked("jti-1", "bob", null, issued));
        assertEquals(2, after.reload());
        assertTrue(after.isRevoked("jti-1", "bob", null, issued), "the revoked access token");
        assertTrue(after.isRevoked("jti-2", "alice", null, issued), "every token of the user signed out everywhere");
        assertFalse(after.isRevoked("jti-4", "bob", "family-2", issued), "nothing else");
    }

    @Test
    void cutsWhoseTokensHaveAllExpiredAreNotReloaded() {
        Instant now = clock.instant();
        server().revokeAccessToken("jti-1", now.plus(Duration.ofMinutes(5)));
        server().revokeSubject("alice", now);
        clock.advance(Duration.ofMinutes(6)); // jti-1 expired (+ skew)
        assertEquals(1, server().reload(), "only the subject cut still matters");
        clock.advance(LIFETIME);
        assertEquals(0, server().reload());
        assertEquals(2, store.delegate.deleteExpiredRevocations(clock.instant(), 10), "both are still stored, for the cleanup");
        server().revokeAccessToken("jti-old", clock.instant().minusSeconds(60));
        assertEquals(0, store.delegate.deleteExpiredRevocations(clock.instant(), 10), "a cut of an expired token is not even written");
    }

    /** A family's cut is its own revoked record in the store, written with it: nothing extra to keep, nothing to lose. */
    @Test
    void aRevokedFamilysCutComesFromTheFamilysOwnRecord() {
        Instant now = clock.instant();
        io.tokengate.core.refresh.RefreshTokenFamily family = new io.tokengate.core.refresh.RefreshTokenFamily("family-1", "alice", "demo",
                java.util.Set.of(), java.util.Set.of(), null, now, now, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)),
                io.tokengate.core.refresh.FamilyState.ACTIVE, null, null, null, null);
        store.createFamily(family, new io.tokengate.core.refresh.CurrentToken(0, "h".repeat(43), "s1", now));
        store.revokeFamily("family-1", now, "logout");
        server().revokeFamily("family-1", now);
        assertEquals(0, store.delegate.deleteExpiredRevocations(now.plus(Duration.ofDays(1)), 10), "no row of its own");
        DurableRevocationRegistry after = server();
        assertEquals(1, after.reload());
        assertTrue(after.isRevoked("jti-9", "alice", "family-1", now.minusSeconds(10)));
        clock.advance(LIFETIME.plus(SKEW).plusSeconds(1));
        assertEquals(0, server().reload(), "once its tokens have all expired it no longer matters");
    }

    @Test
    void aCutTheStoreCannotKeepIsStillEnforcedOnThisServer() {
        store.failing.add("saveRevocation");
        DurableRevocationRegistry registry = server();
        registry.revokeAccessToken("jti-1", clock.instant().plus(Duration.ofMinutes(5))); // logs TG-1010, does not throw
        assertTrue(registry.isRevoked("jti-1", "alice", null, clock.instant()));
    }

    @Test
    void aStoreKeepingCutsShorterThanTokensLiveIsRefusedAtBuildTime() {
        assertThrows(IllegalArgumentException.class, () -> server().checkRetention(Duration.ofHours(2), SKEW));
    }
}
