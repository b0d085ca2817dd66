package io.tokengate.ee.it.form;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.FormAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.LoginToContinue;

/**
 * An application whose one mechanism is FORM login (Jakarta Security allows one): TokenGate is not its mechanism.
 * Its pages use the session; its API (/api/*) is behind the bearer filter; the hand-off endpoint turns a FORM
 * session into tokens.
 */
@FormAuthenticationMechanismDefinition(loginToContinue = @LoginToContinue(loginPage = "/login.html", errorPage = "/login.html?error",
        useForwardToLogin = false))
@DeclareRoles({"user", "tokengate-admin"})
@ApplicationScoped
public class FormApp {
}
