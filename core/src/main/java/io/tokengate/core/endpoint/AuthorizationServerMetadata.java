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
     * @param issuer            the issuer identifier (https URL without query or fragment; equals {@code iss})
     * @param tokenPath         e.g. {@code /oauth/token}
     * @param revocationPath    e.g. {@code /oauth/revoke}
     * @param introspectionPath e.g. {@code /oauth/introspect}
     * @param jwksPath          e.g. {@code /oauth/jwks}
     * @param grants            the grant types any client may be allowed
     * @param scopes            the scopes to advertise (may be empty)
     */
    public static String json(String issuer, String tokenPath, String revocationPath, String introspectionPath, String jwksPath,
                              Set<GrantType> grants, Set<String> scopes) {
        Objects.requireNonNull(issuer, "issuer");
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", base + tokenPath);
        m.put("jwks_uri", base + jwksPath);
        m.put("revocation_endpoint", base + revocationPath);
        m.put("introspection_endpoint", base + introspectionPath);
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
