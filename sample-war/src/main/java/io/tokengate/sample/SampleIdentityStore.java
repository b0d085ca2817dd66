package io.tokengate.sample;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/**
 * The sample's users. A real application declares its database or LDAP store instead
 * (@DatabaseIdentityStoreDefinition, @LdapIdentityStoreDefinition): TokenGate's password grant asks whichever
 * identity stores the application has, and their groups become the token's groups claim.
 */
@ApplicationScoped
public class SampleIdentityStore implements IdentityStore {
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
    public Set<String> getCallerGroups(CredentialValidationResult result) {
        return GROUPS.getOrDefault(result.getCallerPrincipal().getName(), Set.of());
    }
}
