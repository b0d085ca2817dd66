package io.tokengate.core.config;

/**
 * A configuration error, reported once at start-up with one message that names the key (log id TG-0001).
 * Never contains a password or key material.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigurationException(Setting setting, String problem) {
        this(setting.key(), problem);
    }

    /** For a key that is not (or not yet) a {@link Setting}, e.g. a misspelt one. */
    public ConfigurationException(String key, String problem) {
        super("TG-0001 TokenGate configuration: " + key + ": " + problem);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
