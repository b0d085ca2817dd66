package io.tokengate.core.keys;

/**
 * The signing keys TokenGate runs with, and what an administrator can do to them: planned rotation and emergency
 * retirement. A generated key set ({@link DevelopmentKeySet}) makes the keys it needs; a configured one (keystore,
 * PEM, JWK Set file) only moves between the keys it was given.
 */
public interface ManagedKeys {
    KeyRing keyRing();

    /**
     * Planned rotation: the next key starts signing, the active one keeps verifying until the tokens it signed have
     * expired.
     *
     * @throws KeySetException when no next key is available
     */
    KeySet rotate();

    /**
     * Emergency retirement: the key stops verifying at once (its tokens are refused).
     *
     * @throws KeySetException when the kid is unknown or nothing could take over
     */
    KeySet retire(String kid);

    /** Keys from the administrators' files: the ring rotates and retires among them. */
    static ManagedKeys configured(KeyRing ring) {
        return new ManagedKeys() {
            @Override
            public KeyRing keyRing() {
                return ring;
            }

            @Override
            public KeySet rotate() {
                return ring.rotate();
            }

            @Override
            public KeySet retire(String kid) {
                return ring.retire(kid);
            }
        };
    }
}
