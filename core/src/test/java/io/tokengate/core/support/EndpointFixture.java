package io.tokengate.core.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.authorize.AuthorizationCodes;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.dpop.InMemoryDPoPReplayCache;
import io.tokengate.core.endpoint.AuthorizationEndpoint;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.Handoff;
import io.tokengate.core.endpoint.IntrospectionEndpoint;
import io.tokengate.core.endpoint.RevocationEndpoint;
import io.tokengate.core.endpoint.TokenEndpoint;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.refresh.InMemoryRefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenHasher;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.validation.AccessTokenValidator;

/**
 * The whole token service over an in-memory store, a movable clock and these clients:
 * <ul>
 * <li>{@code demo-client} / {@code demo-secret}: confidential, password + refresh_token, scopes read write</li>
 * <li>{@code other-client} / {@code other-secret}: confidential, password + refresh_token, scopes read write</li>
 * <li>{@code demo-spa}: public, cookie mode, password + refresh_token, scopes read</li>
 * <li>{@code demo-app}: public (a native or browser app keeping its own tokens), refresh_token, scopes read write</li>
 * <li>{@code no-retry}: confidential (secret {@code no-retry-secret}), password + refresh_token, retry window 0</li>
 * <li>{@code service}: confidential (secret {@code service-secret}), client_credentials only, scopes reports</li>
 * <li>{@code short}: confidential (secret {@code short-secret}), idle 1 h, absolute 3 h, access 1 min</li>
 * <li>{@code native-app}: public, authorization_code + refresh_token, redirect {@value #NATIVE_REDIRECT}, DPoP required,
 * third-party (consent), scopes read write</li>
 * <li>{@code web-app} / {@code web-secret}: confidential, first-party, authorization_code + refresh_token, redirect
 * {@value #WEB_REDIRECT}, scopes read</li>
 * <li>{@code own-native-app}: public, first-party, authorization_code, redirects {@value #NATIVE_REDIRECT} and
 * {@code com.example.app:/callback};</li>
 * <li>{@code spa-app}: public, first-party, authorization_code + refresh_token, redirect {@value #SPA_REDIRECT}, DPoP
 * optional, scopes read</li>
 * </ul>
 * The token endpoint checks DPoP proofs for {@value #TOKEN_URI}.
 * Users: alice / alice-password (group user), bob / bob-password (groups user, admin).
 */
public final class EndpointFixture {
    public static final String NATIVE_REDIRECT = "http://127.0.0.1:8765/callback";
    public static final String WEB_REDIRECT = "https://app.example/cb?tenant=1";
    public static final String SPA_REDIRECT = "https://spa.example/callback";
    public static final String TOKEN_URI = "https://as.example/oauth/token";
    public final MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
    public final KeyRing keyRing = new KeyRing(KeySet.of(TestKeys.shared(SigningAlgorithm.RS256)), clock, Duration.ofMinutes(6));
    public final InMemoryRevocationRegistry revocation = new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30));
    public final AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).build();
    public final AccessTokenValidator validator = AccessTokenValidator.builder().keyRing(keyRing).issuer(Fixture.ISSUER)
            .audience(Fixture.AUDIENCE).revocationRegistry(revocation).build();
    public final RefreshTokenHasher.Secret secret = RefreshTokenHasher.generateSecret("s1");
    public final List<TokenEvent> events = Collections.synchronizedList(new ArrayList<>());
    public final RefreshTokenStore store;
    public final RefreshTokenHasher hasher;
    public final RefreshTokenService service;
    public final TokenEndpoint endpoint;
    public final RevocationEndpoint revocationEndpoint;
    public final IntrospectionEndpoint introspection;
    public final Handoff handoff;
    public final InMemoryDPoPReplayCache dpopReplays = new InMemoryDPoPReplayCache(10_000, clock);
    public final DPoPProofValidator dpop = new DPoPProofValidator(EnumSet.of(SigningAlgorithm.ES256, SigningAlgorithm.RS256),
            Duration.ofSeconds(60), Duration.ofSeconds(30), dpopReplays, clock);
    public final AuthorizationCodes codes;
    public final AuthorizationEndpoint authorization;
    public final ClientRegistry clients = ClientRegistry.of(List.of(
            ClientRegistration.builder("demo-client").secret("demo-secret").grants(GrantType.PASSWORD, GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read", "write")).build(),
            ClientRegistration.builder("other-client").secret("other-secret").grants(GrantType.PASSWORD, GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read", "write")).build(),
            ClientRegistration.builder("demo-spa").type(ClientType.PUBLIC).grants(GrantType.PASSWORD, GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read")).cookieMode(true).build(),
            ClientRegistration.builder("demo-app").type(ClientType.PUBLIC).grants(GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read", "write")).build(),
            ClientRegistration.builder("no-retry").secret("no-retry-secret").grants(GrantType.PASSWORD, GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read")).retryWindow(Duration.ZERO).build(),
            ClientRegistration.builder("service").secret("service-secret").grants(GrantType.CLIENT_CREDENTIALS)
                    .scopes(Set.of("reports")).build(),
            ClientRegistration.builder("short").secret("short-secret").grants(GrantType.PASSWORD, GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read")).refreshIdleTimeout(Duration.ofHours(1)).refreshAbsoluteLifetime(Duration.ofHours(3))
                    .accessTokenLifetime(Duration.ofMinutes(1)).build(),
            ClientRegistration.builder("native-app").type(ClientType.PUBLIC).grants(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN)
                    .redirectUris(List.of(NATIVE_REDIRECT)).dpopBoundAccessTokens(true).scopes(Set.of("read", "write")).build(),
            ClientRegistration.builder("web-app").secret("web-secret").grants(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN)
                    .redirectUris(List.of(WEB_REDIRECT)).firstParty(true).scopes(Set.of("read")).build(),
            ClientRegistration.builder("spa-app").type(ClientType.PUBLIC).grants(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN)
                    .redirectUris(List.of(SPA_REDIRECT)).firstParty(true).scopes(Set.of("read")).build(),
            ClientRegistration.builder("own-native-app").type(ClientType.PUBLIC).grants(GrantType.AUTHORIZATION_CODE)
                    .redirectUris(List.of(NATIVE_REDIRECT, "com.example.app:/callback")).firstParty(true).build()));
    public final CredentialVerifier users = (username, password) -> {
        if ("alice".equals(username) && "alice-password".equals(password)) {
            return Optional.of(new CredentialVerifier.AuthenticatedUser("alice", Set.of("user")));
        }
        if ("bob".equals(username) && "bob-password".equals(password)) {
            return Optional.of(new CredentialVerifier.AuthenticatedUser("bob", Set.of("user", "admin")));
        }
        return Optional.empty();
    };

    public EndpointFixture() {
        this(new InMemoryRefreshTokenStore(), List.of());
    }

    public EndpointFixture(RefreshTokenStore store, List<RefreshTokenHasher.Secret> olderSecrets) {
        this.store = store;
        this.hasher = new RefreshTokenHasher(secret, olderSecrets);
        this.service = new RefreshTokenService(store, hasher, issuer, revocation, events::add, clock);
        this.codes = new AuthorizationCodes(store::authorizationCodes, hasher, clock);
        this.endpoint = TokenEndpoint.builder().clients(clients).refreshTokens(service).validator(validator)
                .credentialVerifier(users).clock(clock).dpop(dpop).authorizationCodes(codes).build();
        this.authorization = new AuthorizationEndpoint(clients, codes, Fixture.ISSUER);
        this.revocationEndpoint = new RevocationEndpoint(clients, service, validator, "tokengate");
        this.introspection = new IntrospectionEndpoint(clients, service, validator, "tokengate", clock);
        this.handoff = new Handoff(clients, service, "tokengate");
    }

    /** The hand-off of {@code subject} (no groups, all scopes) to {@code clientId}. */
    public EndpointResponse handoff(String clientId, String subject) {
        return handoff.issue(new Handoff.Request(clientId, subject, Set.of(), null, null, null, null));
    }

    public static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** A form POST, authenticated with HTTP Basic when secret is not null. Params: name, value, name, value... */
    public static EndpointRequest post(String clientId, String secret, String... params) {
        EndpointRequest.Builder b = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "JUnit").remoteAddress("127.0.0.1");
        if (secret != null) {
            b.header("Authorization", basic(clientId, secret));
        } else if (clientId != null) {
            b.param("client_id", clientId);
        }
        for (int i = 0; i < params.length; i += 2) {
            b.param(params[i], params[i + 1]);
        }
        return b.build();
    }

    /** A token request to {@value #TOKEN_URI} with a {@code DPoP} header (when {@code proof} is not null). */
    public static EndpointRequest dpopPost(String proof, String clientId, String secret, String... params) {
        EndpointRequest plain = post(clientId, secret, params);
        EndpointRequest.Builder b = EndpointRequest.builder("POST").uri(TOKEN_URI).remoteAddress(plain.remoteAddress());
        for (String h : List.of("Content-Type", "User-Agent", "Authorization")) {
            plain.headerValues(h).forEach(v -> b.header(h, v));
        }
        if (proof != null) {
            b.header("DPoP", proof);
        }
        plain.form().forEach((k, values) -> values.forEach(v -> b.param(k, v)));
        return b.build();
    }

    /** A request of the browser client demo-spa that passed the CSRF defence, carrying {@code cookie} (may be null). */
    public static EndpointRequest browserPost(String cookie, String... params) {
        EndpointRequest.Builder b = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                .remoteAddress("127.0.0.1").param("client_id", "demo-spa").csrfDefencePassed(true).refreshTokenCookie(cookie);
        for (int i = 0; i < params.length; i += 2) {
            b.param(params[i], params[i + 1]);
        }
        return b.build();
    }

    /** alice's password grant for demo-client. */
    public Map<String, Object> login() {
        return json(endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                "password", "alice-password")));
    }

    public Map<String, Object> login(String clientId, String secret, String user) {
        return json(endpoint.token(post(clientId, secret, "grant_type", "password", "username", user, "password", user + "-password")));
    }

    public EndpointResponse refresh(String refreshToken) {
        return endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    /**
     * {@code threads} refreshes of one token released at the same instant; every one must succeed. Returns the
     * refresh tokens they received (one, when rotation is exactly-once and the retry window answers the rest).
     */
    public Set<String> refreshConcurrently(String token, int threads, java.util.concurrent.ExecutorService pool) throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<EndpointResponse>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                return refresh(token);
            }));
        }
        start.countDown();
        Set<String> successors = new java.util.HashSet<>();
        for (java.util.concurrent.Future<EndpointResponse> future : futures) {
            EndpointResponse r = future.get(120, java.util.concurrent.TimeUnit.SECONDS);
            if (r.status() != 200) {
                throw new AssertionError("a concurrent refresh failed: " + r.body());
            }
            successors.add((String) json(r).get("refresh_token"));
        }
        return successors;
    }

    public static Map<String, Object> json(EndpointResponse r) {
        try {
            return JsonUtil.parseJson(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    public <T extends TokenEvent> List<T> events(Class<T> type) {
        synchronized (events) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
