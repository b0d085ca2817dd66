package io.tokengate.ee;

import java.time.Duration;
import java.time.Instant;

import io.tokengate.core.TokenGate;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Settings;
import io.tokengate.core.refresh.RefreshTokenService;

/**
 * One scheduled cleanup run: deletes families that can never refresh again, records of long-rotated tokens and
 * stored revocations whose tokens have all expired, in
 * batches of {@code tokengate.cleanup-batch-size} (one short transaction each) until a batch finds nothing. Several
 * servers may run it at once: each deletes what is still there.
 */
final class Cleanup implements Runnable {
    /** A run stops after this many batches and goes on at the next interval, so it never holds a thread for long. */
    static final int MAX_BATCHES_PER_RUN = 1000;
    private static final System.Logger LOG = System.getLogger(Cleanup.class.getName());

    private final Duration interval;
    private final int batchSize;
    private final Duration keepRevoked;
    private final Duration keepRotated;
    private final RefreshTokenService service;

    private Cleanup(Duration interval, int batchSize, Duration keepRevoked, Duration keepRotated, RefreshTokenService service) {
        this.interval = interval;
        this.batchSize = batchSize;
        this.keepRevoked = keepRevoked;
        this.keepRotated = keepRotated;
        this.service = service;
    }

    static Cleanup read(Settings s) {
        Duration interval = s.duration(EeSetting.CLEANUP_INTERVAL);
        int batch = s.integer(EeSetting.CLEANUP_BATCH_SIZE);
        if (batch < 1 || batch > 100_000) {
            throw new ConfigurationException(EeSetting.CLEANUP_BATCH_SIZE, "must be between 1 and 100000");
        }
        Duration keepRotated = s.duration(EeSetting.CLEANUP_KEEP_ROTATED);
        if (keepRotated.compareTo(Duration.ofHours(1)) < 0) { // retried refreshes and reuse detection need the recent ones
            throw new ConfigurationException(EeSetting.CLEANUP_KEEP_ROTATED, "must be at least PT1H");
        }
        Duration keepRevoked = s.duration(EeSetting.CLEANUP_KEEP_REVOKED); // durations are never negative
        return new Cleanup(interval, batch, keepRevoked, keepRotated, null);
    }

    Cleanup forTokenGate(TokenGate tokenGate) {
        return forService(tokenGate.refreshTokens());
    }

    Cleanup forService(RefreshTokenService tokens) {
        return new Cleanup(interval, batchSize, keepRevoked, keepRotated, tokens);
    }

    Duration interval() {
        return interval;
    }

    @Override
    public void run() {
        int families = 0;
        int tokens = 0;
        int revocations = 0;
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        try {
            for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
                RefreshTokenService.CleanUpResult r = service.cleanUp(keepRevoked, keepRotated, batchSize);
                families += r.families();
                tokens += r.rotatedTokens();
                revocations += r.revocations();
                if (r.families() < batchSize && r.rotatedTokens() < batchSize && r.revocations() < batchSize) {
                    break;
                }
            }
            if (families > 0 || tokens > 0 || revocations > 0) {
                // plain numbers (no digit grouping) and the start instant: the line is read by people and by scripts
                EeLog.CLEANUP_DONE.log(LOG, Integer.toString(families), Integer.toString(tokens), Integer.toString(revocations),
                        Long.toString((System.nanoTime() - startedNanos) / 1_000_000), started.toString());
            }
        } catch (RuntimeException e) { // the database may be down: try again at the next interval
            EeLog.CLEANUP_FAILED.log(LOG, families, tokens, interval, String.valueOf(e));
        }
    }
}
