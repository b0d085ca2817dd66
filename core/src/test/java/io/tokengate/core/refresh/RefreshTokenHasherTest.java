package io.tokengate.core.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RefreshTokenHasherTest {
    private final RefreshTokenHasher.Secret s1 = RefreshTokenHasher.generateSecret("s1");
    private final RefreshTokenHasher.Secret s2 = RefreshTokenHasher.generateSecret("s2");

    @Test
    void tokensAre256RandomBitsInBase64Url() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = h.newToken();
            assertEquals(32, Base64.getUrlDecoder().decode(t).length);
            assertTrue(t.matches("[A-Za-z0-9_-]{43}"));
            assertTrue(seen.add(t));
        }
    }

    @Test
    void hashIsKeyedDeterministicAndNotTheToken() {
        RefreshTokenHasher a = new RefreshTokenHasher(s1, List.of());
        RefreshTokenHasher b = new RefreshTokenHasher(s2, List.of());
        String token = a.newToken();
        assertEquals(a.hash(token), a.hash(token));
        assertNotEquals(token, a.hash(token));
        assertNotEquals(a.hash(token), b.hash(token), "another secret, another hash");
        assertEquals(a.hash(token), new RefreshTokenHasher(s2, List.of(s1)).hash(token, "s1"));
    }

    @Test
    void candidateHashesCoverEverySecretCurrentFirst() {
        RefreshTokenHasher h = new RefreshTokenHasher(s2, List.of(s1));
        String token = h.newToken();
        assertEquals(List.of(h.hash(token, "s2"), h.hash(token, "s1")), h.candidateHashes(token));
    }

    @Test
    void successorIsAKeyedFunctionOfThePresentedToken() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of(s2));
        String token = h.newToken();
        String successor = h.successorOf(token, "s1");
        assertEquals(successor, h.successorOf(token, "s1"), "deterministic: a retry gets the same successor");
        assertNotEquals(successor, h.successorOf(token, "s2"), "keyed");
        assertNotEquals(successor, h.successorOf(h.newToken(), "s1"));
        assertEquals(32, Base64.getUrlDecoder().decode(successor).length);
        assertNotEquals(h.hash(token), successor, "not the hash the store keeps");
        assertThrows(IllegalArgumentException.class, () -> h.successorOf(token, "unknown"));
    }

    @Test
    void sameHashComparesWholeValues() {
        assertTrue(RefreshTokenHasher.sameHash("abc", "abc"));
        assertFalse(RefreshTokenHasher.sameHash("abc", "abd"));
        assertFalse(RefreshTokenHasher.sameHash("abc", "abcd"));
        assertFalse(RefreshTokenHasher.sameHash(null, "abc"));
    }

    @Test
    void secretsNeed256BitsAndDistinctIds() {
        assertThrows(IllegalArgumentException.class, () -> new RefreshTokenHasher.Secret("short", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new RefreshTokenHasher(s1, List.of(RefreshTokenHasher.generateSecret("s1"))));
        assertFalse(s1.toString().contains(Base64.getEncoder().encodeToString(s1.key())));
    }
}
