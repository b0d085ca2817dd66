package bench.mpjwt;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.auth.LoginConfig;

/** The same resource behind Payara's built-in MicroProfile JWT, configured to accept TokenGate's tokens via its JWKS. */
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles("user")
@ApplicationPath("/api")
public class MpJwtApplication extends Application {
}
