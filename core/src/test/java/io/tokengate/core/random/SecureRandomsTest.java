package io.tokengate.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class SecureRandomsTest {
    @Test
    void eachThreadHasAGeneratorOfItsOwnSoNoThreadWaitsForAnother() throws Exception {
        SecureRandom mine = SecureRandoms.current();
        assertSame(mine, SecureRandoms.current(), "the same one again on this thread");
        AtomicReference<SecureRandom> theirs = new AtomicReference<>();
        Thread other = new Thread(() -> theirs.set(SecureRandoms.current()));
        other.start();
        other.join();
        assertNotSame(mine, theirs.get(), "another thread's is another instance: no shared lock");
        assertEquals("DRBG", mine.getAlgorithm());
    }

    @Test
    void itsBytesAreFreshEveryTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] b = SecureRandoms.bytes(16);
            assertEquals(16, b.length);
            seen.add(Arrays.toString(b));
        }
        assertEquals(1000, seen.size(), "no value twice");
        assertFalse(Arrays.equals(new byte[16], SecureRandoms.bytes(16)));
    }
}
