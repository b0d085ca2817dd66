package io.tokengate.core.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.authorize.Pkce;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.keys.SigningAlgorithm;

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
     * @param authorization  e.g. {@code /oauth/authorize}, or null where no authorization endpoint is served
     */
    public record Paths(String token, String revocation, String introspection, String jwks, String revocationFeed, String authorization) {
        /** Without an authorization endpoint. */
        public Paths(String token, String revocation, String introspection, String jwks, String revocationFeed) {
            this(token, revocation, introspection, jwks, revocationFeed, null);
        }
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
        return json(issuer, paths, grants, scopes, Set.of());
    }

    /**
     * @param dpopAlgorithms the DPoP proof algorithms accepted ({@code dpop_signing_alg_values_supported}, RFC 9449 §5.1),
     *                       empty without DPoP
     */
    public static String json(String issuer, Paths paths, Set<GrantType> grants, Set<String> scopes, Set<SigningAlgorithm> dpopAlgorithms) {
        Objects.requireNonNull(issuer, "issuer");
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        if (paths.authorization() != null) {
            m.put("authorization_endpoint", base + paths.authorization());
        }
        m.put("token_endpoint", base + paths.token());
        m.put("jwks_uri", base + paths.jwks());
        m.put("revocation_endpoint", base + paths.revocation());
        m.put("introspection_endpoint", base + paths.introspection());
        m.put(REVOCATION_FEED_ENDPOINT, base + paths.revocationFeed());
        List<String> grantNames = new ArrayList<>();
        for (GrantType g : GrantType.values()) {
            if (grants.contains(g) && (g != GrantType.AUTHORIZATION_CODE || paths.authorization() != null)) {
                grantNames.add(g.value());
            }
        }
        m.put("grant_types_supported", grantNames);
        if (paths.authorization() != null) {
            m.put("response_types_supported", List.of("code"));
            m.put("response_modes_supported", List.of("query"));
            m.put("code_challenge_methods_supported", List.of(Pkce.S256));
            m.put("authorization_response_iss_parameter_supported", true); // RFC 9207
        } else {
            m.put("response_types_supported", List.of()); // no authorization endpoint: no response type is supported
        }
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        if (!dpopAlgorithms.isEmpty()) {
            List<String> algs = new ArrayList<>();
            for (SigningAlgorithm a : SigningAlgorithm.values()) {
                if (dpopAlgorithms.contains(a)) {
                    algs.add(a.jwsName());
                }
            }
            m.put("dpop_signing_alg_values_supported", algs);
        }
        if (!scopes.isEmpty()) {
            m.put("scopes_supported", List.copyOf(new TreeSet<>(scopes)));
        }
        return JsonUtil.toJson(m);
    }
}
