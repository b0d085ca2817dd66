package io.tokengate.core.token;

import java.util.LinkedHashSet;
import java.util.Set;

/** The space-separated scope strings of RFC 6749 §3.3, as in a token's {@code scope} claim or a stored family. */
public final class Scopes {
    private Scopes() {
    }

    /** The scope tokens of a space-separated string, in order; runs of spaces tolerated; empty for null or "". */
    public static Set<String> split(String scope) {
        if (scope == null || scope.isEmpty()) {
            return Set.of();
        }
        Set<String> scopes = new LinkedHashSet<>();
        int start = 0;
        for (int i = 0, n = scope.length(); i <= n; i++) {
            if (i == n || scope.charAt(i) == ' ') {
                if (i > start) {
                    scopes.add(scope.substring(start, i));
                }
                start = i + 1;
            }
        }
        return scopes;
    }

    /**
     * The {@code scope} parameter of a request (RFC 6749 §3.3): its scope tokens, or null when absent or empty.
     *
     * @throws IllegalArgumentException when a scope token holds a character §3.3 does not allow
     */
    public static Set<String> requested(String scope) {
        Set<String> scopes = split(scope);
        for (String s : scopes) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                    throw new IllegalArgumentException("The scope contains a character RFC 6749 §3.3 does not allow");
                }
            }
        }
        return scopes.isEmpty() ? null : scopes;
    }
}
