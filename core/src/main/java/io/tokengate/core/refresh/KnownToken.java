package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.Objects;

/**
 * A refresh token this server issued, as the store knows it now: its family, whether it is the family's live token,
 * and when it was issued (null for an earlier token of the family, whose issue is not kept).
 */
public record KnownToken(RefreshTokenFamily family, boolean live, Instant issuedAt) {
    public KnownToken {
        Objects.requireNonNull(family, "family");
    }
}
