package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.support.EndpointFixture;

/** One scheduled cleanup run: batches until nothing is left, long-rotated records, and its settings checked. */
class CleanupTest {
    private static Cleanup cleanup(Map<String, String> settings) {
        return Cleanup.read(new Settings(SettingsSource.of(settings)));
    }

    @Test
    void aRunDeletesEveryExpiredFamilyInBatchesOfTheConfiguredSize() {
        EndpointFixture f = new EndpointFixture();
        for (int i = 0; i < 25; i++) {
            f.login();
        }
        f.clock.advance(Duration.ofDays(400)); // every family is past its absolute lifetime
        cleanup(Map.of("tokengate.cleanup-batch-size", "7")).forService(f.service).run();
        assertTrue(f.service.families("alice").isEmpty());
        assertEquals(List.of(7, 7, 7, 4), f.events(TokenEvent.CleanedUp.class).stream().map(TokenEvent.CleanedUp::families).toList(),
                "one transaction per batch of 7, until a batch finds less");
    }

    @Test
    void aRunReportsWhatItDeletedHowLongItTookAndWhenItStartedInOneTg0402Line() {
        EndpointFixture f = new EndpointFixture();
        for (int i = 0; i < 1200; i++) {
            f.login();
        }
        f.clock.advance(Duration.ofDays(400));
        java.time.Instant before = java.time.Instant.now();
        List<String> lines;
        try (io.tokengate.core.support.LogCapture log = io.tokengate.core.support.LogCapture.of(Cleanup.class.getName())) {
            cleanup(Map.of()).forService(f.service).run();
            lines = log.lines();
        }
        assertEquals(1, lines.size(), String.valueOf(lines));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "TG-0402 cleanup deleted 1200 families, 0 rotated-token records and 0 expired revocations in (\\d+) ms \\(started (\\S+)\\)").matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        java.time.Instant started = java.time.Instant.parse(m.group(2));
        assertTrue(!started.isBefore(before) && !started.isAfter(java.time.Instant.now()), "started " + started);
    }

    @Test
    void aRunDeletesTokenRowsOfAnEarlierVersionRotatedLongerAgoThanConfiguredAndKeepsTheFamily() {
        io.tokengate.core.support.FaultyStore store = new io.tokengate.core.support.FaultyStore();
        EndpointFixture f = new EndpointFixture(store, List.of());
        String token = (String) f.login().get("refresh_token");
        f.clock.advance(Duration.ofMinutes(61));
        cleanup(Map.of("tokengate.cleanup-keep-rotated", "PT1H")).forService(f.service).run();
        assertEquals(List.of(f.clock.instant().minus(Duration.ofHours(1))), store.rotatedTokenCutOffs,
                "rows rotated before an hour ago (what they are and that they go: LiveTokenUpgradeTest on the JPA store)");
        assertEquals(200, f.refresh(token).status(), "the family lives on");
    }

    @Test
    void aFailingRunIsReportedAndTriedAgainNextTime() {
        io.tokengate.core.support.FaultyStore store = new io.tokengate.core.support.FaultyStore();
        EndpointFixture f = new EndpointFixture(store, List.of());
        f.login();
        f.clock.advance(Duration.ofDays(400));
        Cleanup run = cleanup(Map.of()).forService(f.service);
        store.failing.add("deleteExpired");
        run.run(); // logs TG-0403, throws nothing: the executor would otherwise cancel the schedule
        assertEquals(1, store.delegate.familyCount(), "nothing deleted while the database is down");
        store.failing.clear();
        run.run();
        assertEquals(0, store.delegate.familyCount());
    }

    @Test
    void settingsThatWouldBreakRetriesOrReuseDetectionFailTheStart() {
        assertEquals("tokengate.cleanup-keep-rotated",
                assertThrows(ConfigurationException.class, () -> cleanup(Map.of("tokengate.cleanup-keep-rotated", "PT5M"))).key());
        assertEquals("tokengate.cleanup-batch-size",
                assertThrows(ConfigurationException.class, () -> cleanup(Map.of("tokengate.cleanup-batch-size", "0"))).key());
        assertEquals("tokengate.cleanup-keep-revoked",
                assertThrows(ConfigurationException.class, () -> cleanup(Map.of("tokengate.cleanup-keep-revoked", "-PT1S"))).key());
        assertTrue(cleanup(Map.of("tokengate.cleanup-interval", "PT0S")).interval().isZero(), "PT0S turns the schedule off");
    }
}
