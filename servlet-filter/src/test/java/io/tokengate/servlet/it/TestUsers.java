package io.tokengate.servlet.it;

import java.util.Optional;
import java.util.Set;

import io.tokengate.core.client.CredentialVerifier;

/** The test application's users, as a team would plug in its own user check. */
public class TestUsers implements CredentialVerifier {
    @Override
    public Optional<AuthenticatedUser> verify(String username, String password) {
        if ("alice".equals(username) && "alice-password".equals(password)) {
            return Optional.of(new AuthenticatedUser("alice", Set.of("user")));
        }
        if ("admin".equals(username) && "admin-password".equals(password)) {
            return Optional.of(new AuthenticatedUser("admin", Set.of("user", "tokengate-admin")));
        }
        return Optional.empty();
    }
}
