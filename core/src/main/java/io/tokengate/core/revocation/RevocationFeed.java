package io.tokengate.core.revocation;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The issuer's cuts as its resource servers read them, incrementally: every revoked {@code jti} with its expiry, every
 * subject's and family's "not before", every retired signing key, numbered in the order this server learnt them. A
 * reader keeps the {@link #cursor()} of its last page and asks for what came after it; a reader whose cursor is of
 * another epoch (this server restarted, or it read another server of the cluster) gets everything that still matters,
 * marked {@linkplain Page#complete() complete}. Memory is bounded by live tokens: a cut is forgotten when every token
 * it concerns has expired, and a newer cut of the same key replaces the older one. Reads take no lock; writes (a
 * revocation) are serialised.
 */
public final class RevocationFeed {
    private static final long PURGE_INTERVAL_MILLIS = 30_000;

    private final Clock clock;
    private final String epoch;
    private final ConcurrentSkipListMap<Long, Cut> log = new ConcurrentSkipListMap<>();
    /** kind:key → its entry number in the log, for replacement (guarded by this). */
    private final Map<String, Long> numbers = new HashMap<>();
    private long next = 1; // guarded by this
    /** The highest entry number whose entry (and every earlier one) is in the log: what readers may see. */
    private volatile long published;
    private volatile long nextPurge;

    /** What a feed entry cuts. */
    public enum Kind {
        /** One access token, by {@code jti}, until {@code at} (its {@code exp}). */
        JTI("jti"),
        /** Every access token of a subject issued at or before {@code at}. */
        SUBJECT("sub"),
        /** Every access token of a refresh-token family ({@code sid}) issued at or before {@code at}. */
        FAMILY("sid"),
        /** Every token signed by the key {@code kid}; {@code at} is when the last of them has expired. */
        KEY("kid");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** Its name in the feed's JSON. */
        public String field() {
            return field;
        }

        static Kind of(Revocation.Kind kind) {
            return switch (kind) {
                case ACCESS_TOKEN -> JTI;
                case SUBJECT -> SUBJECT;
                case FAMILY -> FAMILY;
            };
        }
    }

    /**
     * One entry.
     *
     * @param kind   what it cuts
     * @param key    the {@code jti}, subject, family id or {@code kid}
     * @param at     the instant of the cut (see {@link Kind})
     * @param dropAt when it stops mattering
     */
    public record Cut(Kind kind, String key, Instant at, Instant dropAt) {
        public Cut {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(dropAt, "dropAt");
        }
    }

    /**
     * What a reader gets.
     *
     * @param cursor   to ask from next time
     * @param complete whether these are all the cuts that matter (the reader's cursor was unknown here), not only the new ones
     * @param cuts     in order
     */
    public record Page(String cursor, boolean complete, List<Cut> cuts) {
        public Page {
            cuts = List.copyOf(cuts);
        }
    }

    public RevocationFeed(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.epoch = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        this.nextPurge = clock.millis() + PURGE_INTERVAL_MILLIS;
    }

    /** A cut of the revocation registry (its listener). */
    public void record(Revocation revocation) {
        record(new Cut(Kind.of(revocation.kind()), revocation.key(), revocation.at(), revocation.dropAt()));
    }

    /** A signing key the issuer retired, its tokens refused until {@code until} (when they have all expired). */
    public void retiredKey(String kid, Instant until) {
        record(new Cut(Kind.KEY, kid, until, until));
    }

    private synchronized void record(Cut cut) {
        Instant now = clock.instant();
        if (!cut.dropAt().isAfter(now)) {
            return;
        }
        String id = cut.kind() + ":" + cut.key();
        Long old = numbers.get(id);
        if (old != null) {
            Cut before = log.get(old);
            if (before != null && !cut.at().isAfter(before.at())) {
                return; // known already (a cluster's registry applies its own cuts again), or older
            }
            log.remove(old);
        }
        long n = next++;
        log.put(n, cut);
        numbers.put(id, n);
        published = n;
        if (now.toEpochMilli() >= nextPurge) {
            purge(now);
        }
    }

    private void purge(Instant now) {
        nextPurge = now.toEpochMilli() + PURGE_INTERVAL_MILLIS;
        log.entrySet().removeIf(e -> {
            boolean gone = !e.getValue().dropAt().isAfter(now);
            if (gone) {
                numbers.remove(e.getValue().kind() + ":" + e.getValue().key());
            }
            return gone;
        });
    }

    /** The cursor of everything recorded so far (the feed's ETag). */
    public String cursor() {
        return epoch + "." + published;
    }

    /**
     * The cuts after {@code cursor}; all that still matter when the cursor is null, malformed, of another epoch or
     * ahead of this feed.
     */
    public Page since(String cursor) {
        long upTo = published;
        long after = after(cursor, upTo);
        boolean complete = after < 0;
        Instant now = clock.instant();
        List<Cut> cuts = log.subMap(complete ? 0 : after, false, upTo, true).values().stream()
                .filter(c -> c.dropAt().isAfter(now)).toList();
        return new Page(epoch + "." + upTo, complete, cuts);
    }

    /** The entry number of a cursor of this epoch no later than {@code upTo}, or -1. */
    private long after(String cursor, long upTo) {
        if (cursor == null || !cursor.startsWith(epoch + ".")) {
            return -1;
        }
        try {
            long n = Long.parseLong(cursor.substring(epoch.length() + 1));
            return n >= 0 && n <= upTo ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** How many cuts are held (for tests and monitoring). */
    public int size() {
        return log.size();
    }
}
