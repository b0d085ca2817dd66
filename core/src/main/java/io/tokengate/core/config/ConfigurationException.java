package io.tokengate.core.config;

/**
 * A configuration error, reported once at start-up with one message that names the key (log id TG-0001).
 * Never contains a password or key material.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigurationException(Setting setting, String problem) {
        super("TG-0001 TokenGate configuration: " + setting.key() + ": " + problem);
        this.key = setting.key();
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
