package io.tokengate.core.refresh;

/**
 * The store could not complete an operation (database down, connection lost, transaction rolled back).
 * A store throws it only after leaving nothing half-written; the token endpoint answers
 * {@code temporarily_unavailable} (HTTP 503) and the client's token still works once the store is back.
 */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
