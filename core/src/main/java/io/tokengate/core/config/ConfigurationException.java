package io.tokengate.core.config;

import io.tokengate.core.log.CoreLog;

/**
 * A configuration error, reported once at start-up with one message that names the key (log id TG-0001).
 * Never contains a password or key material.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** What every configuration error's message starts with. */
    public static final String PREFIX = CoreLog.CONFIGURATION_ERROR.id() + " TokenGate configuration: ";
    private final String key;

    public ConfigurationException(SettingKey setting, String problem) {
        this(setting.key(), problem);
    }

    /**
     * With the exception that caused it. The message ends with the cause chain ({@code ; caused by Type: message ←
     * ...}, each cause whose message the problem does not already hold): a server that logs only the message of a
     * failed deployment still shows the root cause (e.g. a missing class of the JPA provider).
     */
    public ConfigurationException(SettingKey setting, String problem, Throwable cause) {
        super(PREFIX + setting.key() + ": " + problem + causes(problem, cause), cause);
        this.key = setting.key();
    }

    static String causes(String problem, Throwable cause) {
        StringBuilder chain = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = cause; t != null && seen.add(t) && seen.size() <= 10; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && problem.contains(message)) {
                continue;
            }
            chain.append(chain.length() == 0 ? "; caused by " : " \u2190 ").append(t.getClass().getName());
            if (message != null) {
                chain.append(": ").append(message.length() > 300 ? message.substring(0, 300) + "..." : message);
            }
        }
        return chain.toString();
    }

    /** For a key that is not (or not yet) a {@link Setting}, e.g. a misspelt one. */
    public ConfigurationException(String key, String problem) {
        super(PREFIX + key + ": " + problem);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
