package io.tokengate.core.keys;

/**
 * A key set could not be built, loaded, stored or changed. The message is written for the administrator
 * who configured the keys and never contains key material or passwords.
 */
public class KeySetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeySetException(String message) {
        super(message);
    }

    public KeySetException(String message, Throwable cause) {
        super(message, cause);
    }
}
