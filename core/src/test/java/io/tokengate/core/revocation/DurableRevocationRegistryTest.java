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
    void jtiSubjectAndFamilyCutsAreEnforcedAgainAfterARestart() {
        Instant now = clock.instant();
        Instant issued = now.minusSeconds(60);
        DurableRevocationRegistry before = server();
        before.revokeAccessToken("jti-1", now.plus(Duration.ofMinutes(5)));
        before.revokeSubject("alice", now);
        before.revokeFamily("family-1", now);

        DurableRevocationRegistry after = server(); // the restarted server's memory is empty
        assertFalse(after.isRevoked("jti-1", "bob", null, issued));
        assertEquals(3, after.reload());
        assertTrue(after.isRevoked("jti-1", "bob", null, issued), "the revoked access token");
        assertTrue(after.isRevoked("jti-2", "alice", null, issued), "every token of the user signed out everywhere");
        assertTrue(after.isRevoked("jti-3", "bob", "family-1", issued), "every token of the revoked family");
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
        assertEquals(0, store.delegate.liveRevocations(clock.instant()).size());
        server().revokeAccessToken("jti-old", clock.instant().minusSeconds(60));
        assertEquals(0, store.delegate.liveRevocations(clock.instant()).size(), "a cut of an expired token is not kept");
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
