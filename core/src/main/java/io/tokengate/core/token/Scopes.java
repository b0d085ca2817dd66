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
}
