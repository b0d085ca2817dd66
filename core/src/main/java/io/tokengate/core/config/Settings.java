package io.tokengate.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.tokengate.core.client.ClientRegistryFiles;

/**
 * Typed reading of {@link Setting}s from a {@link SettingsSource}: trims values, treats blank as absent, resolves
 * {@code ${env:NAME}} and {@code ${file:/path}}, and reports every problem as a {@link ConfigurationException}
 * naming the key.
 */
public final class Settings {
    private final SettingsSource source;

    public Settings(SettingsSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Where the values come from (for components that add their own source in front of it). */
    public SettingsSource source() {
        return source;
    }

    /** The value, or null when absent or blank. */
    public String get(Setting s) {
        String raw = source.get(s.key());
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return resolve(s, raw.trim());
    }

    public String get(Setting s, String fallback) {
        String v = get(s);
        return v != null ? v : fallback;
    }

    public String required(Setting s) {
        String v = get(s);
        if (v == null) {
            throw new ConfigurationException(s, "is required");
        }
        return v;
    }

    public Duration duration(Setting s, Duration fallback) {
        String v = get(s);
        if (v == null) {
            return fallback;
        }
        try {
            Duration d = ClientRegistryFiles.parseDuration(s.key(), v);
            if (d.isNegative()) {
                throw new ConfigurationException(s, "must not be negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(s, "'" + v + "' is not a duration (ISO-8601 such as PT5M, or seconds)");
        }
    }

    public int integer(Setting s, int fallback) {
        String v = get(s);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(s, "'" + v + "' is not a whole number");
        }
    }

    public boolean bool(Setting s, boolean fallback) {
        String v = get(s);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException(s, "'" + v + "' is not true or false");
        }
    }

    /** Comma- or whitespace-separated values; empty when absent. */
    public List<String> list(Setting s) {
        String v = get(s);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String part : v.split("[,\\s]+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    private static String resolve(Setting s, String value) {
        if (value.startsWith("${env:") && value.endsWith("}")) {
            String name = value.substring(6, value.length() - 1);
            String env = System.getenv(name);
            if (env == null) {
                throw new ConfigurationException(s, "the environment variable " + name + " is not set");
            }
            return env.trim();
        }
        if (value.startsWith("${file:") && value.endsWith("}")) {
            Path file = Path.of(value.substring(7, value.length() - 1));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new ConfigurationException(s, "cannot read " + file);
            }
        }
        return value;
    }
}
