package io.tokengate.core.refresh;

/** State of one refresh token within its family. */
public enum TokenState {
    /** The family's current token: the next refresh may use it. */
    ACTIVE,
    /** Used once and replaced by its successor; presenting it again is reuse (outside the retry window). */
    ROTATED,
    /** Revoked with its family. */
    REVOKED
}
