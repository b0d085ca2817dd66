package io.tokengate.sample;

import jakarta.annotation.security.DeclareRoles;

import io.tokengate.ee.TokenGateDefinition;

/**
 * The one line that makes TokenGate this application's authentication mechanism: bearer tokens on every request,
 * callers known to SecurityContext, @RolesAllowed, isUserInRole. The settings are the context-params in web.xml.
 */
@TokenGateDefinition
@DeclareRoles({"user", "tokengate-admin"})
public class TokenGateSetup {
}
