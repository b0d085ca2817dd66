package io.tokengate.servlet;

import jakarta.servlet.ServletContext;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.TokenGate;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;

/**
 * What a container integration (the EE extension) adds to the start-up of {@link TokenGateInitializer}: where
 * settings come from, what is plugged into the {@link TokenGate.Builder}, and what it registers or schedules.
 * When an implementation is listed in {@code META-INF/services/io.tokengate.servlet.TokenGateHost} of the
 * application, the servlet-filter's own initializer steps aside and the integration's initializer calls
 * {@link TokenGateInitializer#start(ServletContext, TokenGateHost)}, so one application gets one TokenGate.
 */
public interface TokenGateHost {

    /** The servlet-only host: settings are the context-params. */
    TokenGateHost SERVLET = new TokenGateHost() {
    };

    /** Where the application's settings come from. */
    default SettingsSource settings(ServletContext context) {
        return context::getInitParameter;
    }

    /** Whether TokenGate must start even when no {@code tokengate.issuer} is set (then its absence is an error). */
    default boolean required(ServletContext context) {
        return false;
    }

    /** At start-up, before any request: register servlets, check settings. */
    default void onStartup(ServletContext context, Settings settings) {
    }

    /** Plugs host services (credential verifier, events, revocation registry) into the builder. */
    default void configure(TokenGate.Builder builder, Settings settings, ServletContext context) {
    }

    /** TokenGate (an issuer's) or a ResourceServer (another issuer's tokens) is running: start background work. */
    default void started(TokenCheck check, ServletContext context) {
    }

    /** The application stops. */
    default void stopped(ServletContext context) {
    }
}
