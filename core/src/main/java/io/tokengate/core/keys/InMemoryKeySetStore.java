package io.tokengate.core.keys;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link KeySetStore} in one JVM: the in-memory refresh-token store's, and the servers of a test sharing it. */
public final class InMemoryKeySetStore implements KeySetStore {
    private final AtomicReference<Stored> stored = new AtomicReference<>();

    @Override
    public Optional<Stored> load() {
        return Optional.ofNullable(stored.get());
    }

    @Override
    public boolean compareAndSet(long expectedVersion, String sealed) {
        if (sealed.length() > MAX_SEALED_LENGTH) {
            throw new KeySetException("the key set is too large to store (" + sealed.length() + " characters sealed, at most " + MAX_SEALED_LENGTH + ")");
        }
        Stored now = stored.get();
        if ((now == null ? 0 : now.version()) != expectedVersion) {
            return false;
        }
        return stored.compareAndSet(now, new Stored(expectedVersion + 1, sealed));
    }
}
