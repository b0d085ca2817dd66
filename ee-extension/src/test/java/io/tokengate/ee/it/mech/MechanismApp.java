package io.tokengate.ee.it.mech;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import io.tokengate.ee.TokenGateDefinition;

/** One annotation makes TokenGate the mechanism; the rest of the settings come from web.xml context-params. */
@TokenGateDefinition(settings = {"tokengate.endpoints=true", "tokengate.cleanup-interval=PT1S", "tokengate.cleanup-keep-revoked=PT3S",
        "tokengate.issuer=http://overridden.by.context-param"})
@DeclareRoles({"user", "tokengate-admin"})
@ApplicationPath("/api")
public class MechanismApp extends Application {
}
