package io.tokengate.core.client;

import java.util.Optional;

/** The grant types of the token endpoint, by their RFC 6749 names. */
public enum GrantType {
    /** RFC 6749 §4.1 with PKCE (RFC 7636): the user signs in at the authorization endpoint; for clients with redirect URIs. */
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials"),
    /** Deprecated by RFC 9700 §2.4: off unless a client (a first-party app) is allowed it. */
    PASSWORD("password");

    private final String value;

    GrantType(String value) {
        this.value = value;
    }

    /** The {@code grant_type} parameter value. */
    public String value() {
        return value;
    }

    public static Optional<GrantType> fromValue(String value) {
        for (GrantType g : values()) {
            if (g.value.equals(value)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
