package io.tokengate.core.token;

import java.util.Map;

/**
 * Adds application claims to every access token (e.g. a tenant id). Called once per minted token, it returns
 * the extra claims; it cannot replace a registered claim ({@code iss sub aud exp iat nbf jti client_id scope
 * auth_time sid} or the groups claim) — {@link AccessTokenIssuer} refuses such a name.
 * Values must be JSON-representable: strings, numbers, booleans, lists and maps of those.
 */
@FunctionalInterface
public interface ClaimsCustomizer {
    /** No extra claims. */
    ClaimsCustomizer NONE = request -> Map.of();

    Map<String, Object> extraClaims(AccessTokenRequest request);
}
