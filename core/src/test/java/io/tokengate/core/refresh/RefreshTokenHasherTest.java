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
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final RefreshTokenHasher.Secret s1 = RefreshTokenHasher.generateSecret("s1");
    private final RefreshTokenHasher.Secret s2 = RefreshTokenHasher.generateSecret("s2");

    @Test
    void firstTokensAreOpaqueBase64UrlAndNeverRepeat() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = h.firstToken("family-of-22-chars-xyz");
            assertTrue(t.matches("[A-Za-z0-9_-]{107}"), t);
            assertEquals(2, Base64.getUrlDecoder().decode(t)[0], "the format byte");
            assertTrue(seen.add(t));
        }
    }

    @Test
    void aGenuineTokenSaysItsFamilyGenerationAndSecret() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of(s2));
        String first = h.firstToken("fam-\u00e9");
        assertEquals(new RefreshTokenHasher.Decoded("fam-\u00e9", 0, "s1"), h.decode(first).orElseThrow());
        String tenth = h.successorOf(first, "fam-\u00e9", 10, "s2");
        assertEquals(new RefreshTokenHasher.Decoded("fam-\u00e9", 10, "s2"), h.decode(tenth).orElseThrow());
        assertEquals(new RefreshTokenHasher.Decoded("f", Long.MAX_VALUE, "s1"),
                h.decode(h.successorOf(first, "f", Long.MAX_VALUE, "s1")).orElseThrow());
        RefreshTokenHasher later = new RefreshTokenHasher(s2, List.of(s1));
        assertEquals("s1", later.decode(first).orElseThrow().secretId(), "an older secret still verifies");
    }

    @Test
    void anyChangedCharacterOrAnUnknownSecretMakesAnInvalidToken() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of());
        String token = h.successorOf(h.firstToken("fam-1"), "fam-1", 7, "s1");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertTrue(h.decode(changed).isEmpty(), "character " + i + " changed");
        }
        assertTrue(new RefreshTokenHasher(s2, List.of()).decode(token).isEmpty(), "a secret this server does not know");
        assertTrue(h.decode(token.substring(1)).isEmpty());
        assertTrue(h.decode(token + "A").isEmpty());
    }

    @Test
    void malformedAndEarlierVersionTokensAreNotDecoded() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of());
        assertTrue(h.decode(null).isEmpty());
        assertTrue(h.decode("").isEmpty());
        assertTrue(h.decode(B64.encodeToString(new byte[32])).isEmpty(), "43 characters: a token of an earlier version");
        assertTrue(h.decode("!".repeat(107)).isEmpty());
        assertTrue(h.decode("A".repeat(RefreshTokenHasher.MAX_LENGTH + 1)).isEmpty());
        String token = h.firstToken("fam-1");
        assertTrue(h.decode(token + "==").isEmpty(), "one spelling per token");
        byte[] raw = Base64.getUrlDecoder().decode(token);
        raw[0] = 1;
        assertTrue(h.decode(B64.encodeToString(raw)).isEmpty(), "another format");
    }

    @Test
    void hashIsKeyedDeterministicAndNotTheToken() {
        RefreshTokenHasher a = new RefreshTokenHasher(s1, List.of());
        RefreshTokenHasher b = new RefreshTokenHasher(s2, List.of());
        String token = a.firstToken("fam-1");
        assertEquals(a.hash(token), a.hash(token));
        assertNotEquals(token, a.hash(token));
        assertEquals(43, a.hash(token).length());
        assertNotEquals(a.hash(token), b.hash(token), "another secret, another hash");
        assertEquals(a.hash(token), new RefreshTokenHasher(s2, List.of(s1)).hash(token, "s1"));
    }

    @Test
    void candidateHashesCoverEverySecretCurrentFirst() {
        RefreshTokenHasher h = new RefreshTokenHasher(s2, List.of(s1));
        String token = B64.encodeToString(new byte[32]);
        assertEquals(List.of(h.hash(token, "s2"), h.hash(token, "s1")), h.candidateHashes(token));
    }

    @Test
    void successorIsAKeyedFunctionOfThePresentedToken() {
        RefreshTokenHasher h = new RefreshTokenHasher(s1, List.of(s2));
        String token = h.firstToken("fam-1");
        String successor = h.successorOf(token, "fam-1", 1, "s1");
        assertEquals(successor, h.successorOf(token, "fam-1", 1, "s1"), "deterministic: a retry gets the same successor");
        assertNotEquals(successor, h.successorOf(token, "fam-1", 1, "s2"), "keyed");
        assertNotEquals(successor, h.successorOf(h.firstToken("fam-1"), "fam-1", 1, "s1"));
        assertNotEquals(h.hash(token), successor, "not the hash the store keeps");
        assertThrows(IllegalArgumentException.class, () -> h.successorOf(token, "fam-1", 1, "unknown"));
        assertTrue(h.knows("s2"));
        assertFalse(h.knows("unknown"));
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
