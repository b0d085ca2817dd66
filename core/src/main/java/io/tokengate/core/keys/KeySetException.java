package io.tokengate.core.keys;

/**
 * A key set could not be built, loaded, stored or changed. The message is written for the administrator
 * who configured the keys and never contains key material or passwords; {@link #fault()} and {@link #entry()} say
 * what is at fault, so the configuration error can name the setting.
 */
public class KeySetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What is at fault. */
    public enum Fault {
        /** The keystore or key-set file itself: missing, unreadable, not of its format. */
        FILE,
        /** The keystore's password. */
        PASSWORD,
        /** One key of it: an alias, a PEM file or a {@code kid} ({@link #entry()}). */
        ENTRY,
        /** Anything else (a rotation or retirement that cannot be done). */
        OTHER
    }

    private final Fault fault;
    private final String entry;

    public KeySetException(String message) {
        this(Fault.OTHER, null, message, null);
    }

    public KeySetException(String message, Throwable cause) {
        this(Fault.OTHER, null, message, cause);
    }

    public KeySetException(Fault fault, String entry, String message) {
        this(fault, entry, message, null);
    }

    public KeySetException(Fault fault, String entry, String message, Throwable cause) {
        super(message, cause);
        this.fault = fault;
        this.entry = entry;
    }

    public Fault fault() {
        return fault;
    }

    /** The alias, PEM file or {@code kid} at fault, for {@link Fault#ENTRY}; else null. */
    public String entry() {
        return entry;
    }
}
