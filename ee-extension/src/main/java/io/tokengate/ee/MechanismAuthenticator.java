package io.tokengate.ee;

import io.tokengate.servlet.BearerAuthenticator;

/**
 * The bearer check of the application's {@link TokenGateMechanism}, injected into it: an application-scoped bean
 * (added by {@link TokenGateExtension} with the mechanism) that {@link EeHost} fills when TokenGate has started.
 */
public class MechanismAuthenticator {
    private volatile BearerAuthenticator authenticator;

    public void set(BearerAuthenticator value) {
        this.authenticator = value;
    }

    /** The check, or null while TokenGate has not started (or failed to). */
    public BearerAuthenticator get() {
        return authenticator;
    }
}
