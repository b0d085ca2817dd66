package io.tokengate.core.endpoint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tokengate.core.authorize.AuthorizationCodes;
import io.tokengate.core.authorize.AuthorizationRequest;
import io.tokengate.core.authorize.Pkce;
import io.tokengate.core.authorize.RedirectUris;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.log.CoreLog;
import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * The authorization endpoint (RFC 6749 §4.1.1, §4.1.2) without a web framework: it checks a request, and once the user
 * signed in (and, for a third-party client, consented) issues the code. Until the client and its redirect URI are
 * known to be registered, errors are {@link Outcome.ErrorPage}s, never a redirect (RFC 6749 §4.1.2.1, RFC 9700 §4.11);
 * after that every error goes back to the client's redirect URI with {@code state} and {@code iss} (RFC 9207). PKCE
 * S256 is required of every client. Thread-safe.
 */
public final class AuthorizationEndpoint {
    private static final System.Logger LOG = System.getLogger(AuthorizationEndpoint.class.getName());
    private final ClientRegistry clients;
    private final AuthorizationCodes codes;
    private final String issuer;

    public AuthorizationEndpoint(ClientRegistry clients, AuthorizationCodes codes, String issuer) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** What checking an authorization request came to. */
    public sealed interface Outcome permits Outcome.Valid, Outcome.ErrorPage, Outcome.Redirect {
        /** Every check passed: the user signs in, then approves (or is not asked, for a first-party client). */
        record Valid(AuthorizationRequest request) implements Outcome {
        }

        /** The client or its redirect URI is not known: show the user this error, redirect nowhere. */
        record ErrorPage(OAuthError error, String description) implements Outcome {
        }

        /** An error for the client, sent to its registered redirect URI. */
        record Redirect(String location) implements Outcome {
        }
    }

    /** Checks the query parameters of {@code GET /authorize} (every occurrence of each). */
    public Outcome check(Map<String, List<String>> query) {
        Map<String, String> p = new LinkedHashMap<>();
        String repeated = null;
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (e.getValue().size() > 1) {
                repeated = e.getKey();
            } else if (!e.getValue().isEmpty() && !e.getValue().get(0).isEmpty()) {
                p.put(e.getKey(), e.getValue().get(0));
            }
        }
        if ("client_id".equals(repeated) || "redirect_uri".equals(repeated)) {
            return new Outcome.ErrorPage(OAuthError.INVALID_REQUEST, "The parameter " + repeated + " is repeated");
        }
        String clientId = p.get("client_id");
        if (clientId == null) {
            return new Outcome.ErrorPage(OAuthError.INVALID_REQUEST, "client_id is required");
        }
        Optional<ClientRegistration> found = clients.find(clientId);
        if (found.isEmpty()) {
            return new Outcome.ErrorPage(OAuthError.INVALID_REQUEST, "The client is not registered here");
        }
        ClientRegistration client = found.get();
        String redirectUri = p.get("redirect_uri");
        if (redirectUri == null) {
            return new Outcome.ErrorPage(OAuthError.INVALID_REQUEST, "redirect_uri is required");
        }
        if (!RedirectUris.registered(redirectUri, client.redirectUris())) {
            return new Outcome.ErrorPage(OAuthError.INVALID_REQUEST, "The redirect_uri is not registered for this client");
        }
        String state = p.get("state");
        // from here on the client is known to be listening at redirectUri
        if (repeated != null) {
            return redirectError(redirectUri, state, OAuthError.INVALID_REQUEST, "A parameter is repeated");
        }
        if (p.containsKey("request") || p.containsKey("request_uri")) {
            return redirectError(redirectUri, state, OAuthError.INVALID_REQUEST, "Request objects are not supported");
        }
        String responseMode = p.get("response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            return redirectError(redirectUri, state, OAuthError.INVALID_REQUEST, "Only response_mode query is supported");
        }
        String responseType = p.get("response_type");
        if (responseType == null) {
            return redirectError(redirectUri, state, OAuthError.INVALID_REQUEST, "response_type is required");
        }
        if (!responseType.equals("code")) {
            return redirectError(redirectUri, state, OAuthError.UNSUPPORTED_RESPONSE_TYPE, "Only response_type code is supported");
        }
        if (!client.allows(GrantType.AUTHORIZATION_CODE)) {
            return redirectError(redirectUri, state, OAuthError.UNAUTHORIZED_CLIENT, "The client may not use the authorization code grant");
        }
        String challenge = p.get("code_challenge");
        if (challenge == null) {
            return redirectError(redirectUri, state, OAuthError.INVALID_REQUEST, "code_challenge is required (PKCE, S256)");
        }
        if (!Pkce.acceptableChallenge(challenge, p.get("code_challenge_method"))) {
            return redirectError(redirectUri, state, OAuthError.INVALID_REQUEST, "code_challenge_method must be S256 with a base64url SHA-256 challenge");
        }
        Set<String> scopes;
        try {
            scopes = GrantHandler.granted(client, FormParameters.scopes(p.get("scope")));
        } catch (OAuthException e) {
            return redirectError(redirectUri, state, OAuthError.INVALID_SCOPE, e.description());
        }
        return new Outcome.Valid(new AuthorizationRequest(client, redirectUri, scopes, state, challenge));
    }

    /**
     * Whether the user is asked before the client gets a code: always, unless the client is first-party and its identity
     * is assured by its redirect URI. A public client redirecting to a loopback address or an app's private-use scheme
     * could be any app on the device using its {@code client_id}, so its users are asked even when it is first-party
     * (RFC 8252 §8.6).
     */
    public boolean needsConsent(AuthorizationRequest request) {
        return !request.client().firstParty()
                || (request.client().type() == ClientType.PUBLIC && RedirectUris.anyAppMayClaim(request.redirectUri()));
    }

    /**
     * The user signed in (and consented): the redirect carrying a new code, {@code state} and {@code iss}; when the store
     * is down, one carrying {@code temporarily_unavailable}.
     */
    public String approved(AuthorizationRequest request, String subject, Set<String> groups, Instant authTime) {
        String code;
        try {
            code = codes.issue(request, subject, groups, authTime);
        } catch (StoreUnavailableException e) {
            CoreLog.STORE_UNAVAILABLE.log(LOG, e.toString());
            return redirectError(request.redirectUri(), request.state(), OAuthError.TEMPORARILY_UNAVAILABLE,
                    "The authorization server is temporarily unavailable; try again later").location();
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (request.state() != null) {
            params.put("state", request.state());
        }
        params.put("iss", issuer);
        return withQuery(request.redirectUri(), params);
    }

    /** The user declined: {@code access_denied} to the client. */
    public String denied(AuthorizationRequest request) {
        return redirectError(request.redirectUri(), request.state(), OAuthError.ACCESS_DENIED, "The user did not approve the request").location();
    }

    private Outcome.Redirect redirectError(String redirectUri, String state, OAuthError error, String description) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error.code());
        params.put("error_description", description);
        if (state != null) {
            params.put("state", state);
        }
        params.put("iss", issuer);
        return new Outcome.Redirect(withQuery(redirectUri, params));
    }

    /** The redirect URI with the parameters added to its query (RFC 6749 §4.1.2: keeping any query it has). */
    private static String withQuery(String redirectUri, Map<String, String> params) {
        StringBuilder b = new StringBuilder(redirectUri).append(redirectUri.indexOf('?') >= 0 ? '&' : '?');
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                b.append('&');
            }
            first = false;
            b.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
