package io.tokengate.core.dpop;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.keys.SigningAlgorithm;

/**
 * The DPoP settings (RFC 9449), read and checked once.
 *
 * @param algorithms      {@code tokengate.dpop.algorithms}: the proof algorithms accepted
 * @param maxAge          {@code tokengate.dpop.max-age}: how old a proof's {@code iat} may be
 * @param replayCacheSize {@code tokengate.dpop.replay-cache-size}: how many used proofs one server remembers
 */
public record DPoPConfig(Set<SigningAlgorithm> algorithms, Duration maxAge, int replayCacheSize) {
    public DPoPConfig {
        algorithms = Set.copyOf(algorithms);
    }

    public static DPoPConfig read(Settings s) {
        Set<SigningAlgorithm> algorithms = EnumSet.noneOf(SigningAlgorithm.class);
        for (String name : s.list(Setting.DPOP_ALGORITHMS)) {
            algorithms.add(SigningAlgorithm.fromJwsName(name).orElseThrow(() -> new ConfigurationException(Setting.DPOP_ALGORITHMS,
                    "'" + name + "' is not one of " + java.util.Arrays.toString(SigningAlgorithm.values()))));
        }
        if (algorithms.isEmpty()) {
            throw new ConfigurationException(Setting.DPOP_ALGORITHMS, "names at least one algorithm");
        }
        Duration maxAge = s.duration(Setting.DPOP_MAX_AGE);
        if (maxAge.isZero() || maxAge.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigurationException(Setting.DPOP_MAX_AGE, "must be positive and at most PT10M");
        }
        int size = s.integer(Setting.DPOP_REPLAY_CACHE_SIZE);
        if (size < 1000 || size > 10_000_000) {
            throw new ConfigurationException(Setting.DPOP_REPLAY_CACHE_SIZE, "must be between 1000 and 10000000");
        }
        return new DPoPConfig(algorithms, maxAge, size);
    }
}
