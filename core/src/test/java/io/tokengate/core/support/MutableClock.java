package io.tokengate.core.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand: no sleeps anywhere. */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private volatile Duration tick = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public static MutableClock startingAt(String iso) {
        return new MutableClock(Instant.parse(iso));
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    /** From now on every read of the clock moves it on by {@code perRead} (time passing inside the code under test). */
    public void tickOnEveryRead(Duration perRead) {
        tick = perRead;
    }

    @Override
    public synchronized Instant instant() {
        Instant read = now;
        now = read.plus(tick);
        return read;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
