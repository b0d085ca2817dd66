package io.tokengate.ee.it.mech;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.tokengate.core.event.TokenEvent;

/** What an application's audit observer sees: every TokenGate event, as CDI events. */
@ApplicationScoped
public class EventLog {
    private final List<String> seen = new CopyOnWriteArrayList<>();

    void on(@Observes TokenEvent event) {
        seen.add(event.getClass().getSimpleName() + " " + event);
    }

    void reuse(@Observes TokenEvent.ReuseDetected event) {
        seen.add("observed-specifically ReuseDetected " + event.familyId());
    }

    public List<String> seen() {
        return seen;
    }
}
