package io.tokengate.core.support;

import java.util.EnumMap;
import java.util.Map;

import io.tokengate.core.keys.KeyGenerator;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;

/** Generated keys shared by the tests of one JVM (RSA generation is slow), plus fresh ones on demand. */
public final class TestKeys {
    private static final Map<SigningAlgorithm, SigningKey> SHARED = new EnumMap<>(SigningAlgorithm.class);

    private TestKeys() {
    }

    public static synchronized SigningKey shared(SigningAlgorithm algorithm) {
        return SHARED.computeIfAbsent(algorithm, KeyGenerator::generate);
    }

    public static SigningKey fresh(SigningAlgorithm algorithm) {
        return KeyGenerator.generate(algorithm);
    }
}
