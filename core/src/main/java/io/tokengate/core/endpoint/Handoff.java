package io.tokengate.core.endpoint;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.refresh.RefreshTokenService;

/**
 * The container-login hand-off: the first token pair for a user the host server has already authenticated (FORM,
 * BASIC, OIDC, ...), for a browser page of the same application. It serves public clients that may refresh only:
 * a browser must not obtain the tokens (and scopes) of a confidential or service client. The caller is responsible
 * for the authentication and for the CSRF defence of the request. Thread-safe.
 */
public final class Handoff {
    /** The grant name events use for the hand-off. */
    public static final String GRANT = "container_login";

    private final ClientRegistry clients;
    private final RefreshTokenService refreshTokens;
    private final EndpointGuard guard;

    public Handoff(ClientRegistry clients, RefreshTokenService refreshTokens, String realm) {
        this.clients = clients;
        this.refreshTokens = refreshTokens;
        this.guard = new EndpointGuard(Realm.check(realm));
    }

    /**
     * Who the container signed in, and for which client.
     *
     * @param clientId      the registered client the tokens are for
     * @param subject       the caller's name
     * @param groups        the caller's groups, for the groups claim
     * @param scope         the requested scope (space-separated), or null for all the client's scopes
     * @param authTime      when the caller signed in, or null
     * @param userAgent     the browser's User-Agent, or null
     * @param remoteAddress the browser's address, or null
     */
    public record Request(String clientId, String subject, Set<String> groups, String scope, Instant authTime, String userAgent,
                          String remoteAddress) {
        public Request {
            if (subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("the authenticated user needs a subject");
            }
            groups = Set.copyOf(Objects.requireNonNull(groups, "groups"));
        }
    }

    public EndpointResponse issue(Request request) {
        return guard.guarded(() -> {
            ClientRegistration client = clients.find(request.clientId())
                    .orElseThrow(() -> new OAuthException(OAuthError.INVALID_CLIENT, "Unknown client"));
            if (client.isConfidential() || !client.allows(GrantType.REFRESH_TOKEN)) {
                throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "The hand-off serves public clients that may refresh (browser apps) only");
            }
            Set<String> scopes = GrantHandler.granted(client, FormParameters.scopes(request.scope()));
            return TokenResponses.of(client, refreshTokens.issue(new RefreshTokenService.Grant(client, GRANT, request.subject(),
                    request.groups(), scopes, request.authTime(), request.userAgent(), request.remoteAddress())));
        });
    }
}
