package io.tokengate.core.keys;

import java.util.Optional;

/**
 * Where the servers of one issuer keep their shared key set ({@link SharedKeySet}): one sealed record per issuer with
 * a version, changed only by compare-and-set, so two servers that change the keys at the same time never lose one
 * change. The record is opaque here (the key set, its private keys encrypted); the refresh-token store's database
 * keeps it (table {@code TG_KEY_SET}), an in-memory store keeps it for tests.
 */
public interface KeySetStore {
    /** The longest sealed record a store must keep (about seven RSA-2048 keys, twenty EC keys); longer ones are refused. */
    int MAX_SEALED_LENGTH = 16000;

    /** The stored key set: its version (1 for the first) and its sealed form. */
    record Stored(long version, String sealed) {
    }

    /**
     * The issuer's stored key set, or empty when none is stored yet.
     *
     * @throws io.tokengate.core.refresh.StoreUnavailableException when the database cannot answer
     */
    Optional<Stored> load();

    /**
     * Stores {@code sealed} as version {@code expectedVersion + 1} if the stored version is still
     * {@code expectedVersion} ({@code 0}: nothing stored yet).
     *
     * @return false when another server changed it first (read it again and decide again)
     * @throws KeySetException when {@code sealed} is longer than {@link #MAX_SEALED_LENGTH}
     * @throws io.tokengate.core.refresh.StoreUnavailableException when the database cannot answer
     */
    boolean compareAndSet(long expectedVersion, String sealed);
}
