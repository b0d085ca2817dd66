package io.tokengate.ee;

import java.util.Optional;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;

import io.tokengate.core.client.CredentialVerifier;

/**
 * The password grant checked by the application's identity stores (database, LDAP or its own
 * {@code IdentityStore} beans) through the container's {@link IdentityStoreHandler}; the groups they give become
 * the groups claim.
 */
final class IdentityStoreVerifier implements CredentialVerifier {
    private static final System.Logger LOG = System.getLogger(IdentityStoreVerifier.class.getName());

    @Override
    public Optional<AuthenticatedUser> verify(String username, String password) {
        IdentityStoreHandler handler = CDI.current().select(IdentityStoreHandler.class).get();
        CredentialValidationResult result = handler.validate(new UsernamePasswordCredential(username, password));
        switch (result.getStatus()) {
            case VALID:
                return Optional.of(new AuthenticatedUser(result.getCallerPrincipal().getName(), result.getCallerGroups()));
            case NOT_VALIDATED:
                EeLog.NO_PASSWORD_STORE.log(LOG);
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
