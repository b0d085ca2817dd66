package io.tokengate.core.revocation;

import java.time.Instant;
import java.util.Objects;

/**
 * One cut of the revocation registry as it is kept across restarts: a revoked access token ({@code jti}, until its
 * {@code exp}), or a subject's or a family's "not before" instant; {@code dropAt} is when every token it concerns
 * has expired, and the cut can be forgotten.
 *
 * @param kind   what is cut
 * @param key    the {@code jti}, the subject or the family id
 * @param at     the token's {@code exp} ({@link Kind#ACCESS_TOKEN}) or the "not before" instant
 * @param dropAt when the cut stops mattering
 */
public record Revocation(Kind kind, String key, Instant at, Instant dropAt) {
    /** What a cut concerns. */
    public enum Kind {
        /** One access token, by {@code jti}. */
        ACCESS_TOKEN,
        /** Every access token of a subject issued at or before {@code at}. */
        SUBJECT,
        /** Every access token of a refresh-token family ({@code sid}) issued at or before {@code at}. */
        FAMILY
    }

    public Revocation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(dropAt, "dropAt");
    }

    /** Applies this cut to {@code registry}. */
    public void applyTo(RevocationRegistry registry) {
        switch (kind) {
            case ACCESS_TOKEN -> registry.revokeAccessToken(key, at);
            case SUBJECT -> registry.revokeSubject(key, at);
            case FAMILY -> registry.revokeFamily(key, at);
        }
    }
}
