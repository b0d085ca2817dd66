package io.tokengate.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The durations of TokenGate's settings and client registry: ISO-8601 ({@code PT5M}, {@code P14D}) or whole seconds. */
public final class Durations {
    private Durations() {
    }

    /**
     * @param name what the value is, for the message
     * @throws IllegalArgumentException when the value is no duration
     */
    public static Duration parse(String name, String value) {
        String v = value.trim();
        try {
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            String upper = v.toUpperCase(Locale.ROOT);
            if (upper.startsWith("P") && upper.contains("D") && !upper.contains("T")) {
                return Duration.ofDays(Long.parseLong(upper.substring(1, upper.indexOf('D'))));
            }
            return Duration.parse(upper);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a duration (ISO-8601 such as PT5M or P14D, or seconds)");
        }
    }
}
