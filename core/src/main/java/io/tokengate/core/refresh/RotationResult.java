package io.tokengate.core.refresh;

/**
 * The outcome of {@link RefreshTokenStore#advance} (and of {@link RefreshTokenStore#rotate} for a token row of an earlier
 * version): exactly one concurrent caller gets {@link #ROTATED}.
 */
public enum RotationResult {
    /** The presented token was the live one; the successor replaced it, atomically. */
    ROTATED,
    /** The presented token was not the live one any more (another request advanced the family, or it was revoked): nothing changed. */
    NOT_ACTIVE,
    /** No such family (or token row): nothing changed. */
    NOT_FOUND
}
