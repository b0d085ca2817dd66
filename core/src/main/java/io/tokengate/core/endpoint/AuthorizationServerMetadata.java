package io.tokengate.core.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.client.GrantType;

/**
 * RFC 8414 authorization server metadata, served at {@code /.well-known/oauth-authorization-server}. Every
 * endpoint URL is the issuer followed by its path, so clients find everything from the issuer alone.
 */
public final class AuthorizationServerMetadata {
    private AuthorizationServerMetadata() {
    }

    /**
     * The endpoints' paths, relative to the issuer.
     *
     * @param token          e.g. {@code /oauth/token}
     * @param revocation     e.g. {@code /oauth/revoke}
     * @param introspection  e.g. {@code /oauth/introspect}
     * @param jwks           e.g. {@code /oauth/jwks}
     * @param revocationFeed e.g. {@code /oauth/revocation-feed}: TokenGate's own member {@value #REVOCATION_FEED_ENDPOINT}
     */
    public record Paths(String token, String revocation, String introspection, String jwks, String revocationFeed) {
    }

    /** The metadata member naming the revocation feed (TokenGate's extension of RFC 8414). */
    public static final String REVOCATION_FEED_ENDPOINT = "revocation_feed_endpoint";

    /**
     * @param issuer the issuer identifier (https URL without query or fragment; equals {@code iss})
     * @param paths  where the endpoints are
     * @param grants the grant types any client may be allowed
     * @param scopes the scopes to advertise (may be empty)
     */
    public static String json(String issuer, Paths paths, Set<GrantType> grants, Set<String> scopes) {
        Objects.requireNonNull(issuer, "issuer");
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", base + paths.token());
        m.put("jwks_uri", base + paths.jwks());
        m.put("revocation_endpoint", base + paths.revocation());
        m.put("introspection_endpoint", base + paths.introspection());
        m.put(REVOCATION_FEED_ENDPOINT, base + paths.revocationFeed());
        List<String> grantNames = new ArrayList<>();
        for (GrantType g : GrantType.values()) {
            if (grants.contains(g)) {
                grantNames.add(g.value());
            }
        }
        m.put("grant_types_supported", grantNames);
        // no authorization endpoint: no response type is supported
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        if (!scopes.isEmpty()) {
            m.put("scopes_supported", List.copyOf(new TreeSet<>(scopes)));
        }
        return JsonUtil.toJson(m);
    }
}
