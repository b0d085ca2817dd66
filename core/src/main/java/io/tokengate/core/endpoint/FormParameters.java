package io.tokengate.core.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tokengate.core.token.Scopes;

/** The form of an endpoint request as single values (RFC 6749 §3.1, §3.2): a repeated parameter is refused, an empty one is absent. */
final class FormParameters {
    private final Map<String, String> values;

    private FormParameters(Map<String, String> values) {
        this.values = values;
    }

    /** @throws OAuthException {@code invalid_request} when a parameter is repeated */
    static FormParameters of(EndpointRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : request.form().entrySet()) {
            if (e.getValue().size() > 1) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "The parameter " + safeName(e.getKey()) + " is repeated");
            }
            if (!e.getValue().isEmpty() && !e.getValue().get(0).isEmpty()) {
                out.put(e.getKey(), e.getValue().get(0));
            }
        }
        return new FormParameters(out);
    }

    /** The value, or null. */
    String get(String name) {
        return values.get(name);
    }

    /** The value of a parameter the request must carry. */
    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, name + " is required");
        }
        return v;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The {@code scope} parameter (RFC 6749 §3.3) as a set, or null when absent. */
    Set<String> scopes() {
        return scopes(values.get("scope"));
    }

    static Set<String> scopes(String scope) {
        try {
            return Scopes.requested(scope);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, e.getMessage());
        }
    }

    /** A parameter name fit for an error description: echoes only plain names. */
    private static String safeName(String name) {
        return name.matches("[A-Za-z0-9_\\-]{1,40}") ? name : "(unnamed)";
    }
}
