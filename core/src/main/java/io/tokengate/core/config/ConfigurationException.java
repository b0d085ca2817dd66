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

    public ConfigurationException(SettingKey setting, String problem, Throwable cause) {
        super(PREFIX + setting.key() + ": " + problem, cause);
        this.key = setting.key();
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
