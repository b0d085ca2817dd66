package io.tokengate.core.endpoint;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.ValidationResult;

/**
 * {@code POST /revoke} (RFC 7009): 200 for unknown tokens. A client may revoke only its own tokens; another
 * client's token is answered like an unknown one (RFC 7009 §2.2: an invalid token causes no error) and left
 * alone, so the answer never tells a caller that a string is a live token of someone else. Revoking a refresh
 * token revokes its family and the family's live access tokens. A cookie-mode client that sends no {@code token}
 * revokes the refresh token of its cookie (sign-out): only after the CSRF defence, and the answer then clears the
 * cookie, its family revoked. Thread-safe.
 */
public final class RevocationEndpoint {
    private static final System.Logger LOG = System.getLogger(RevocationEndpoint.class.getName());
    private final ClientAuthenticator clients;
    private final RefreshTokenService refreshTokens;
    private final AccessTokenValidator validator;
    private final EndpointGuard guard;

    public RevocationEndpoint(ClientRegistry clients, RefreshTokenService refreshTokens, AccessTokenValidator validator, String realm) {
        this.clients = new ClientAuthenticator(clients);
        this.refreshTokens = refreshTokens;
        this.validator = validator;
        this.guard = new EndpointGuard(Realm.check(realm));
    }

    /** What a revocation found. */
    private enum Revoked {
        REVOKED, UNKNOWN, OTHER_CLIENT;

        Revoked or(Supplier<Revoked> next) {
            return this == UNKNOWN ? next.get() : this;
        }
    }

    public EndpointResponse revoke(EndpointRequest request) {
        return guard.run(request, () -> {
            FormParameters p = FormParameters.of(request);
            ClientRegistration client = clients.authenticate(request, p, true);
            boolean byCookie = !p.has("token") && client.cookieMode() && request.refreshTokenCookie() != null;
            if (byCookie) {
                CookieModeRule.requireCsrfDefence(client, request);
            }
            String token = byCookie ? request.refreshTokenCookie() : p.required("token");
            boolean accessFirst = "access_token".equals(p.get("token_type_hint"));
            Revoked done = accessFirst ? revokeAccess(client, token).or(() -> revokeRefresh(client, token))
                    : revokeRefresh(client, token).or(() -> revokeAccess(client, token));
            LOG.log(Level.DEBUG, "revocation by {0}: {1}", client.clientId(), done);
            boolean clearCookie = byCookie && done != Revoked.OTHER_CLIENT; // the cookie's family is revoked (or was never live)
            return new EndpointResponse(200, Map.of("Cache-Control", "no-store", "Pragma", "no-cache"), "",
                    clearCookie ? "" : null, clearCookie ? Duration.ZERO : null);
        });
    }

    private Revoked revokeRefresh(ClientRegistration client, String token) {
        Optional<RefreshTokenFamily> family = refreshTokens.familyOf(token);
        if (family.isEmpty()) {
            return Revoked.UNKNOWN;
        }
        if (!family.get().clientId().equals(client.clientId())) {
            return Revoked.OTHER_CLIENT;
        }
        refreshTokens.revokeFamily(family.get().familyId(), client.clientId());
        return Revoked.REVOKED;
    }

    private Revoked revokeAccess(ClientRegistration client, String token) {
        if (!(validator.validate(token) instanceof ValidationResult.Valid valid)) {
            return Revoked.UNKNOWN;
        }
        AccessTokenPrincipal at = valid.token();
        if (!at.clientId().equals(client.clientId())) {
            return Revoked.OTHER_CLIENT;
        }
        refreshTokens.revokeAccessToken(at.jti(), at.expiresAt(), client.clientId());
        return Revoked.REVOKED;
    }
}
