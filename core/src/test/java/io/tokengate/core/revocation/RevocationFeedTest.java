package io.tokengate.core.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokengate.core.support.MutableClock;

/** The issuer's feed of cuts: incremental from a cursor, complete for a stranger's cursor, bounded by live tokens. */
class RevocationFeedTest {
    private final MutableClock clock = MutableClock.startingAt("2026-12-02T12:00:00Z");
    private final InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30));
    private final RevocationFeed feed = new RevocationFeed(clock);

    {
        assertTrue(registry.listen(feed::record));
    }

    private Instant in(Duration d) {
        return clock.instant().plus(d);
    }

    @Test
    void aReaderGetsOnlyWhatCameAfterItsCursorAndEverythingForACursorOfAnotherEpoch() {
        registry.revokeAccessToken("jti-1", in(Duration.ofMinutes(5)));
        registry.revokeSubject("alice", clock.instant());
        RevocationFeed.Page first = feed.since(null);
        assertTrue(first.complete());
        assertEquals(List.of("jti-1", "alice"), first.cuts().stream().map(RevocationFeed.Cut::key).toList());

        registry.revokeFamily("family-9", clock.instant());
        RevocationFeed.Page next = feed.since(first.cursor());
        assertFalse(next.complete());
        assertEquals(List.of("family-9"), next.cuts().stream().map(RevocationFeed.Cut::key).toList());
        assertEquals(RevocationFeed.Kind.FAMILY, next.cuts().get(0).kind());

        RevocationFeed.Page idle = feed.since(next.cursor());
        assertEquals(List.of(), idle.cuts());
        assertEquals(next.cursor(), idle.cursor());
        assertEquals(feed.cursor(), idle.cursor());

        RevocationFeed.Page stranger = feed.since("another-epoch.2");
        assertTrue(stranger.complete());
        assertEquals(3, stranger.cuts().size());
        assertTrue(feed.since("garbage").complete());
        assertTrue(feed.since(feed.cursor().replaceAll("\\d+$", "999")).complete(), "a cursor ahead of the feed is a stranger's");
    }

    @Test
    void aNewerCutOfTheSameKeyReplacesTheOlderAndARepeatedOneIsNotPublishedAgain() {
        registry.revokeSubject("alice", clock.instant());
        String cursor = feed.cursor();
        registry.revokeSubject("alice", clock.instant()); // a cluster's registry applies its own cut again
        assertEquals(cursor, feed.cursor(), "nothing new");
        clock.advance(Duration.ofMinutes(1));
        registry.revokeSubject("alice", clock.instant());
        assertEquals(1, feed.size());
        RevocationFeed.Page page = feed.since(cursor);
        assertEquals(1, page.cuts().size());
        assertEquals(clock.instant(), page.cuts().get(0).at());
    }

    @Test
    void cutsAreForgottenWhenEveryTokenTheyConcernHasExpired() {
        for (int i = 0; i < 1000; i++) {
            registry.revokeAccessToken("jti-" + i, in(Duration.ofMinutes(5)));
        }
        feed.retiredKey("old-key", in(Duration.ofMinutes(90)));
        assertEquals(1001, feed.size());
        clock.advance(Duration.ofMinutes(6)); // the access tokens and the skew have passed
        assertEquals(List.of("old-key"), feed.since(null).cuts().stream().map(RevocationFeed.Cut::key).toList());
        registry.revokeAccessToken("jti-new", in(Duration.ofMinutes(5))); // a write purges
        assertEquals(2, feed.size(), "memory is bounded by live tokens, not by history");
    }

    @Test
    void anAlreadyExpiredCutIsNotPublished() {
        feed.retiredKey("gone", clock.instant().minusSeconds(1));
        assertEquals(0, feed.size());
    }
}
