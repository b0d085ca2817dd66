package io.tokengate.core.config;

import java.util.Map;

/**
 * Where settings come from: servlet init-params and context-params, MicroProfile Config, a map in tests.
 * Returns null for an absent key.
 */
@FunctionalInterface
public interface SettingsSource {
    String get(String key);

    static SettingsSource of(Map<String, String> map) {
        return map::get;
    }

    /** This source, or {@code fallback} where this one has no value. */
    default SettingsSource orElse(SettingsSource fallback) {
        return key -> {
            String v = get(key);
            return v != null ? v : fallback.get(key);
        };
    }
}
