package io.tokengate.core.refresh;

import java.time.Instant;
import java.util.Objects;

/**
 * The row an earlier TokenGate version kept for each refresh token it issued: never the token, only its keyed hash.
 * Such rows are still read (their live tokens refresh once more, into a family's {@link CurrentToken}) and cleaned up;
 * no new ones are written.
 *
 * @param tokenHash     base64url HMAC-SHA-256 of the token under the secret {@code secretId}; the lookup key
 * @param secretId      id of the hashing secret
 * @param familyId      the family it belongs to
 * @param state         active, rotated or revoked
 * @param issuedAt      when it was issued
 * @param rotatedAt     when it was used and replaced, or null
 * @param successorHash the hash of the token that replaced it, or null
 */
public record RefreshTokenRecord(String tokenHash, String secretId, String familyId, TokenState state, Instant issuedAt,
                                 Instant rotatedAt, String successorHash) {
    public RefreshTokenRecord {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(secretId, "secretId");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** An active token row (as earlier versions wrote them). */
    public static RefreshTokenRecord active(String tokenHash, String secretId, String familyId, Instant issuedAt) {
        return new RefreshTokenRecord(tokenHash, secretId, familyId, TokenState.ACTIVE, issuedAt, null, null);
    }
}
