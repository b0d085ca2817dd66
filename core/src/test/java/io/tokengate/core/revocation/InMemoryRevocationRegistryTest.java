package io.tokengate.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.token.IssuedAccessToken;
import io.tokengate.core.validation.FailureReason;

class InMemoryRevocationRegistryTest {

    @Test
    void denylistedJtiIsRefusedUntilItsExpiryThenTheEntryIsGone() {
        Fixture f = Fixture.rs256();
        IssuedAccessToken issued = f.issuer.issue(f.request().build());
        f.revocation.revokeAccessToken(issued.jti(), issued.expiresAt());
        assertEquals(1, f.revocation.size());
        assertEquals(FailureReason.REVOKED, f.validator.validate(issued.value()).failure().orElseThrow());

        f.clock.advance(Duration.ofMinutes(4));
        f.revocation.purgeExpired();
        assertEquals(1, f.revocation.size(), "kept while the token lives");
        assertEquals(FailureReason.REVOKED, f.validator.validate(issued.value()).failure().orElseThrow());

        // at exp the validator still accepts the token by time (30 s skew), so the entry must stay
        f.clock.advance(Duration.ofMinutes(1));
        f.revocation.purgeExpired();
        assertEquals(1, f.revocation.size(), "kept through the clock skew");
        assertEquals(FailureReason.REVOKED, f.validator.validate(issued.value()).failure().orElseThrow());

        f.clock.advance(Duration.ofSeconds(30));
        f.revocation.purgeExpired();
        assertEquals(0, f.revocation.size(), "gone with the token");
        assertEquals(FailureReason.EXPIRED, f.validator.validate(issued.value()).failure().orElseThrow());
    }

    @Test
    void writesPurgeExpiredEntriesSoMemoryIsBoundedByLiveTokens() {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
        for (int i = 0; i < 1000; i++) {
            registry.revokeAccessToken("jti-" + i, clock.instant().plusSeconds(60));
            registry.revokeSubject("user-" + i, clock.instant());
        }
        assertEquals(2000, registry.size());
        clock.advance(Duration.ofMinutes(10));
        registry.revokeAccessToken("fresh", clock.instant().plusSeconds(60));
        assertEquals(1, registry.size(), "the write purged every dead entry");
    }

    @Test
    void revokingAnAlreadyExpiredTokenStoresNothing() {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
        registry.revokeAccessToken("old", clock.instant().minusSeconds(30));
        assertEquals(0, registry.size());
    }

    @Test
    void subjectNotBeforeRefusesTokensIssuedUpToItAndNoneAfter() {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
        Instant logout = clock.instant();
        registry.revokeSubject("alice", logout);
        assertTrue(registry.isRevoked("j1", "alice", null, logout.minusSeconds(100)));
        assertTrue(registry.isRevoked("j2", "alice", null, logout), "same second as the logout");
        assertFalse(registry.isRevoked("j3", "alice", null, logout.plusSeconds(1)));
        assertFalse(registry.isRevoked("j4", "bob", null, logout.minusSeconds(100)));
    }

    @Test
    void laterNotBeforeWinsOverAnEarlierOne() {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
        Instant later = clock.instant().plusSeconds(10);
        registry.revokeFamily("fam", later);
        registry.revokeFamily("fam", clock.instant());
        assertTrue(registry.isRevoked("j", "alice", "fam", later));
    }

    @Test
    void familyNotBeforeEntryIsDroppedOnceEveryTokenItConcernsHasExpired() {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
        registry.revokeFamily("fam", clock.instant());
        clock.advance(Duration.ofMinutes(5).plusSeconds(29));
        registry.purgeExpired();
        assertEquals(1, registry.size());
        clock.advance(Duration.ofSeconds(1));
        registry.purgeExpired();
        assertEquals(0, registry.size());
    }

    @Test
    void noneRevokesNothing() {
        assertFalse(RevocationRegistry.none().isRevoked("j", "s", "f", Instant.EPOCH));
    }
}
