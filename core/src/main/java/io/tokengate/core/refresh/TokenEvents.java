package io.tokengate.core.refresh;


import io.tokengate.core.log.CoreLog;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.event.TokenEventListener;

/** Hands events to the application's listener; a listener that fails is logged (TG-1002) and changes nothing. */
final class TokenEvents {
    private static final System.Logger LOG = System.getLogger(TokenEvents.class.getName());
    private final TokenEventListener listener;

    TokenEvents(TokenEventListener listener) {
        this.listener = listener == null ? TokenEventListener.NONE : listener;
    }

    void emit(TokenEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            CoreLog.EVENT_LISTENER_FAILED.log(LOG, e, event.getClass().getSimpleName());
        }
    }
}
