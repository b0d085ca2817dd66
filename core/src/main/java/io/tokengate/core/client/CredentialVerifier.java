package io.tokengate.core.client;

import java.util.Optional;
import java.util.Set;

/**
 * Checks a resource owner's username and password for the password grant (the host's identity store does the
 * real work: the EE module plugs in the container's {@code IdentityStoreHandler}).
 */
@FunctionalInterface
public interface CredentialVerifier {

    /** A user whose credentials were valid: the subject of the tokens and the groups claim. */
    record AuthenticatedUser(String subject, Set<String> groups) {
        public AuthenticatedUser {
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("an authenticated user needs a subject");
            }
            groups = Set.copyOf(groups);
        }
    }

    /**
     * @return the user, or empty when the credentials are not valid
     * @throws RuntimeException when the identity store cannot answer; the endpoint answers temporarily_unavailable
     */
    Optional<AuthenticatedUser> verify(String username, String password);
}
