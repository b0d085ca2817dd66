package io.tokengate.core.event;

/**
 * Receives {@link TokenEvent}s synchronously, after the change is stored. An exception thrown here is logged
 * and never undoes or fails the operation.
 */
@FunctionalInterface
public interface TokenEventListener {
    TokenEventListener NONE = event -> { };

    void onEvent(TokenEvent event);
}
