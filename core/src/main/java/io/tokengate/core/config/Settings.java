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

/**
 * Typed reading of settings ({@link SettingKey}s of any module) from a {@link SettingsSource}: trims values, treats
 * blank as absent, falls back to the key's own default, resolves {@code ${env:NAME}} and {@code ${file:/path}}, and
 * reports every problem as a {@link ConfigurationException} naming the key.
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

    /** Whether the setting has a value of its own (not its default). */
    public boolean isSet(SettingKey s) {
        String raw = source.get(s.key());
        return raw != null && !raw.isBlank();
    }

    /** The value, else the key's default; null when neither exists. */
    public String get(SettingKey s) {
        String raw = source.get(s.key());
        if (raw == null || raw.isBlank()) {
            return s.defaultValue();
        }
        return resolve(s, raw.trim());
    }

    public String required(SettingKey s) {
        String v = get(s);
        if (v == null) {
            throw new ConfigurationException(s, "is required");
        }
        return v;
    }

    /** A duration that must not be negative; null when absent without a default. */
    public Duration duration(SettingKey s) {
        String v = get(s);
        if (v == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(s.key(), v);
            if (d.isNegative()) {
                throw new ConfigurationException(s, "must not be negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(s, "'" + v + "' is not a duration (ISO-8601 such as PT5M, or seconds)");
        }
    }

    public int integer(SettingKey s) {
        String v = required(s);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(s, "'" + v + "' is not a whole number");
        }
    }

    public boolean bool(SettingKey s) {
        String v = required(s);
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
    public List<String> list(SettingKey s) {
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

    /** A path inside the application, starting with {@code /}, without wildcards or a trailing {@code /}. */
    public String path(SettingKey s) {
        String p = required(s);
        if (!p.startsWith("/") || p.contains("*") || (p.endsWith("/") && p.length() > 1)) {
            throw new ConfigurationException(s, "'" + p + "' must be a path starting with / (no wildcards, no trailing /)");
        }
        return p;
    }

    private static String resolve(SettingKey s, String value) {
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
