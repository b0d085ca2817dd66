package io.tokengate.ee.it;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/** The test application's own identity store: what a team would have (a database or LDAP store works the same). */
@ApplicationScoped
public class TestIdentityStore implements IdentityStore {
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-password", "admin", "admin-password");
    private static final Map<String, Set<String>> GROUPS = Map.of("alice", Set.of("user"), "admin", Set.of("user", "tokengate-admin"));

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        String expected = PASSWORDS.get(credential.getCaller());
        if (expected != null && credential.compareTo(credential.getCaller(), expected)) {
            return new CredentialValidationResult(credential.getCaller(), GROUPS.get(credential.getCaller()));
        }
        return CredentialValidationResult.INVALID_RESULT;
    }

    @Override
    public Set<String> getCallerGroups(CredentialValidationResult validationResult) {
        return GROUPS.getOrDefault(validationResult.getCallerPrincipal().getName(), Set.of());
    }
}
