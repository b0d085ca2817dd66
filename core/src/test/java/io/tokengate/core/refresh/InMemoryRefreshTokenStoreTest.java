package io.tokengate.core.refresh;

/** The store contract against the in-memory store. */
class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {
    @Override
    protected RefreshTokenStore newStore() {
        return new InMemoryRefreshTokenStore();
    }
}
