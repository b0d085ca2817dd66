package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store keeps of a family's one live refresh token, in the family's own row: never the token, only its keyed
 * hash, and its generation (how many refreshes the family has had). Every earlier token of the family carries a lower
 * generation in its authenticated body, so a replay of any of them is recognised without storing it.
 *
 * @param generation 0 for the first token of a family, one more with every refresh
 * @param tokenHash  base64url HMAC-SHA-256 of the token under the secret {@code secretId}
 * @param secretId   id of the hashing secret (the successor of this token is derived under it too)
 * @param issuedAt   when it was issued, i.e. when its predecessor was rotated (the retry window starts here)
 */
public record CurrentToken(long generation, String tokenHash, String secretId, Instant issuedAt) {
    public CurrentToken {
        if (generation < 0) {
            throw new IllegalArgumentException("a generation is never negative");
        }
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
