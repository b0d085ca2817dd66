package io.tokengate.core.refresh;

/** State of a refresh-token family (one grant: one device or browser session). */
public enum FamilyState {
    /** Its current refresh token may be used. */
    ACTIVE,
    /** Revoked (logout, revocation, reuse detected): no token of it refreshes any more. */
    REVOKED
}
