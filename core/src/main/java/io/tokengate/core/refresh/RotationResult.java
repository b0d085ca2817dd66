package io.tokengate.core.refresh;

/** The outcome of {@link RefreshTokenStore#rotate}: exactly one concurrent caller gets {@link #ROTATED}. */
public enum RotationResult {
    /** The presented token was active; it is now rotated and the successor stored, atomically. */
    ROTATED,
    /** The presented token was not active any more (another request rotated it, or it was revoked): nothing changed. */
    NOT_ACTIVE,
    /** No such token: nothing changed. */
    NOT_FOUND
}
