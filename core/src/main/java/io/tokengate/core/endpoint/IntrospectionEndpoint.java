package io.tokengate.core.endpoint;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.KnownToken;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.ValidationResult;

/**
 * {@code POST /introspect} (RFC 7662): confidential clients only; {@code active} is always present, and a client
 * sees only its own tokens (another client's are {@code "active": false}). An active refresh token has no
 * {@code token_type}: §2.2 means the access-token types of RFC 6749 §7.1. Thread-safe.
 */
public final class IntrospectionEndpoint {
    private final ClientAuthenticator clients;
    private final RefreshTokenService refreshTokens;
    private final AccessTokenValidator validator;
    private final EndpointGuard guard;
    private final Clock clock;

    public IntrospectionEndpoint(ClientRegistry clients, RefreshTokenService refreshTokens, AccessTokenValidator validator, String realm,
                                 Clock clock) {
        this.clients = new ClientAuthenticator(clients);
        this.refreshTokens = refreshTokens;
        this.validator = validator;
        this.guard = new EndpointGuard(Realm.check(realm));
        this.clock = clock;
    }

    public EndpointResponse introspect(EndpointRequest request) {
        return guard.run(request, () -> {
            FormParameters p = FormParameters.of(request);
            ClientRegistration client = clients.authenticate(request, p, false);
            String token = p.required("token");
            Map<String, Object> body = refresh(client, token);
            if (body == null) {
                body = access(client, token);
            }
            return new EndpointResponse(200, OAuthErrors.jsonHeaders(), JsonUtil.toJson(body), null, null);
        });
    }

    private static Map<String, Object> inactive() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", false);
        return body;
    }

    /** The refresh token's answer, or null when it is not a refresh token of this server. */
    private Map<String, Object> refresh(ClientRegistration client, String token) {
        Optional<KnownToken> known = refreshTokens.find(token);
        if (known.isEmpty()) {
            return null;
        }
        RefreshTokenFamily f = known.get().family();
        if (!f.clientId().equals(client.clientId()) || !known.get().live() || !f.usableAt(clock.instant())) {
            return inactive();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        body.put("client_id", f.clientId());
        body.put("sub", f.subject());
        if (!f.scopes().isEmpty()) {
            body.put("scope", String.join(" ", f.scopes()));
        }
        body.put("iat", known.get().issuedAt().getEpochSecond());
        body.put("exp", f.expiresAt().getEpochSecond());
        body.put("sid", f.familyId());
        return body;
    }

    private Map<String, Object> access(ClientRegistration client, String token) {
        if (!(validator.validate(token) instanceof ValidationResult.Valid valid) || !valid.token().clientId().equals(client.clientId())) {
            return inactive();
        }
        AccessTokenPrincipal at = valid.token();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        body.put("token_type", "Bearer");
        body.put("client_id", at.clientId());
        body.put("sub", at.subject());
        if (!at.scopes().isEmpty()) {
            body.put("scope", String.join(" ", at.scopes()));
        }
        body.put("iss", at.claims().get("iss"));
        body.put("aud", at.claims().get("aud"));
        body.put("iat", at.issuedAt().getEpochSecond());
        body.put("exp", at.expiresAt().getEpochSecond());
        body.put("jti", at.jti());
        at.familyId().ifPresent(sid -> body.put("sid", sid));
        return body;
    }
}
