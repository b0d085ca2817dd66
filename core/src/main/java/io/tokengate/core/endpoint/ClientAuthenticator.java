package io.tokengate.core.endpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientSecrets;

/**
 * RFC 6749 §2.3.1 client authentication: HTTP Basic or {@code client_secret} in the body (never both); a public
 * client sends only {@code client_id}. Secrets are compared as SHA-256 digests in constant time.
 */
final class ClientAuthenticator {
    private final ClientRegistry clients;

    ClientAuthenticator(ClientRegistry clients) {
        this.clients = clients;
    }

    /**
     * @param allowPublic whether a public client may use the endpoint (introspection needs a confidential one)
     * @throws OAuthException {@code invalid_client} or {@code invalid_request}
     */
    ClientRegistration authenticate(EndpointRequest request, FormParameters p, boolean allowPublic) {
        List<String> authorization = request.headerValues("Authorization");
        if (authorization.size() > 1) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "Only one Authorization header is allowed");
        }
        String id = p.get("client_id");
        String secret = p.get("client_secret");
        if (!authorization.isEmpty()) {
            String header = authorization.get(0).trim();
            if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication must use HTTP Basic or the request body");
            }
            if (secret != null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "Use one client authentication method, not two");
            }
            String[] basic = basic(header.substring(6).trim());
            if (id != null && !id.equals(basic[0])) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "client_id does not match the authenticated client");
            }
            id = basic[0];
            secret = basic[1];
        }
        if (id == null) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication is required");
        }
        ClientRegistration client = clients.find(id).orElse(null);
        if (client == null) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed");
        }
        if (client.isConfidential()) {
            if (secret == null || !ClientSecrets.matches(secret, client.secretSha256())) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed");
            }
        } else {
            if (secret != null && !secret.isEmpty()) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "A public client has no secret");
            }
            if (!allowPublic) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "This endpoint needs a confidential client");
            }
        }
        return client;
    }

    /** {id, secret} of HTTP Basic credentials, each form-decoded (RFC 6749 §2.3.1). */
    private static String[] basic(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            throw malformed();
        }
        try {
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static OAuthException malformed() {
        return new OAuthException(OAuthError.INVALID_CLIENT, "The Basic credentials are malformed");
    }
}
