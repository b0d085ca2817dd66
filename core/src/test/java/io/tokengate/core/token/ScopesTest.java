package io.tokengate.core.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ScopesTest {
    @Test
    void aScopeStringSplitsOnSpacesInOrderToleratingRunsOfThem() {
        assertEquals(List.of("read", "write", "admin"), List.copyOf(Scopes.split("  read write   admin ")));
        assertEquals(List.of("read"), List.copyOf(Scopes.split("read read")));
    }

    @Test
    void noScopeStringIsNoScopes() {
        assertEquals(0, Scopes.split(null).size());
        assertEquals(0, Scopes.split("").size());
        assertEquals(0, Scopes.split("   ").size());
    }
}
