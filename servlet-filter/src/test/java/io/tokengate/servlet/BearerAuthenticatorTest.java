package io.tokengate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.TokenGateConfig;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.dpop.InMemoryDPoPReplayCache;
import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.OAuthErrors;
import io.tokengate.core.support.DPoPKey;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.keys.KeyGenerator;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.endpoint.OAuthError;

/** The RFC 6750 credential rules of one request, without a container: where a token may come from and how many. */
class BearerAuthenticatorTest {
    private static final String ISSUER = "https://auth.example.test";
    private static final KeyRing KEYS = new KeyRing(KeySet.of(KeyGenerator.generate(SigningAlgorithm.ES256)), Clock.systemUTC(),
            Duration.ofMinutes(6));
    private static final AccessTokenValidator VALIDATOR = AccessTokenValidator.builder().keyRing(KEYS).issuer(ISSUER).audience(ISSUER)
            .revocationRegistry(new InMemoryRevocationRegistry(Clock.systemUTC(), Duration.ofHours(1), Duration.ofSeconds(30))).build();
    private static final String TOKEN = AccessTokenIssuer.builder().keyRing(KEYS).issuer(ISSUER).audience(ISSUER).build()
            .issue(AccessTokenRequest.builder("alice", "demo-client").groups(Set.of("user")).build()).value();

    private static final MutableClock CLOCK = MutableClock.startingAt("2026-12-04T10:00:00Z");
    private static final DPoPProofValidator DPOP = new DPoPProofValidator(Set.of(SigningAlgorithm.ES256, SigningAlgorithm.PS256),
            Duration.ofSeconds(60), Duration.ofSeconds(30), new InMemoryDPoPReplayCache(10_000, CLOCK), CLOCK);
    private static final TokenCheck CHECK = new TokenCheck() {
        @Override
        public AccessTokenValidator validator() {
            return VALIDATOR;
        }

        @Override
        public DPoPProofValidator dpop() {
            return DPOP;
        }

        @Override
        public Settings settings() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TokenGateConfig config() {
            throw new UnsupportedOperationException();
        }
    };

    private static BearerAuthenticator authenticator(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("tokengate.issuer", ISSUER);
        return BearerAuthenticator.create(new Settings(SettingsSource.of(all)), CHECK, Set.of("tokengate-token"));
    }

    /** A {@code method} of {@value #API} with these Authorization and DPoP headers. */
    private static HttpServletRequest dpopRequest(String method, String authorization, String... proofs) {
        return (HttpServletRequest) Proxy.newProxyInstance(BearerAuthenticatorTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getHeaders" -> Collections.enumeration("Authorization".equals(args[0]) ? List.of(authorization)
                            : "DPoP".equals(args[0]) ? List.of(proofs) : List.of());
                    case "getHeader" -> null;
                    case "getQueryString" -> "page=2";
                    case "getCookies" -> null;
                    case "getMethod" -> method;
                    case "getRequestURL" -> new StringBuffer(API);
                    case "getServletPath" -> "/api";
                    case "getPathInfo" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static final String API = "https://api.example.test/api";

    /** A GET of /api with these Authorization headers, query string and cookies. */
    private static HttpServletRequest request(List<String> authorization, String query, Cookie... cookies) {
        return (HttpServletRequest) Proxy.newProxyInstance(BearerAuthenticatorTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> Collections.enumeration("Authorization".equals(args[0]) ? authorization : List.of());
                    case "getHeader" -> null;
                    case "getQueryString" -> query;
                    case "getCookies" -> cookies.length == 0 ? null : cookies;
                    case "getMethod" -> "GET";
                    case "getServletPath" -> "/api";
                    case "getPathInfo" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static BearerAuthenticator.Refused refused(BearerAuthenticator.Outcome outcome) {
        return assertInstanceOf(BearerAuthenticator.Refused.class, outcome);
    }

    @Test
    void oneBearerHeaderIsAcceptedWhateverTheSchemesLetterCase() {
        for (String scheme : List.of("Bearer ", "bearer ", "BEARER  ")) {
            BearerAuthenticator.Accepted a = assertInstanceOf(BearerAuthenticator.Accepted.class,
                    authenticator(Map.of()).authenticate(request(List.of(scheme + TOKEN), null)));
            assertEquals("alice", a.token().subject());
            assertEquals(Set.of("user"), a.roles());
        }
    }

    @Test
    void noBearerCredentialIsNoCredentialNotARefusal() {
        assertInstanceOf(BearerAuthenticator.NoCredential.class, authenticator(Map.of()).authenticate(request(List.of(), null)));
        assertInstanceOf(BearerAuthenticator.NoCredential.class,
                authenticator(Map.of()).authenticate(request(List.of("Basic ZGVtbzpkZW1v"), null)));
        assertInstanceOf(BearerAuthenticator.NoCredential.class,
                authenticator(Map.of()).authenticate(request(List.of(), "access_token=" + TOKEN)), "query tokens are off by default");
        assertInstanceOf(BearerAuthenticator.NoCredential.class,
                authenticator(Map.of()).authenticate(request(List.of(), null, new Cookie("at", TOKEN))), "cookies are not read by default");
    }

    @Test
    void twoCredentialsAreAnInvalidRequestWhereverTheyCameFrom() {
        BearerAuthenticator withAll = authenticator(Map.of("tokengate.access-token-query-parameter", "true", "tokengate.access-token-cookie", "at"));
        List<HttpServletRequest> doubled = List.of(
                request(List.of("Bearer " + TOKEN, "Bearer " + TOKEN), null),
                request(List.of("Bearer " + TOKEN, "Basic ZGVtbzpkZW1v"), null),
                request(List.of("Bearer " + TOKEN), "access_token=" + TOKEN),
                request(List.of(), "access_token=" + TOKEN + "&access_token=" + TOKEN),
                request(List.of("Bearer " + TOKEN), null, new Cookie("at", TOKEN)),
                request(List.of(), "access_token=" + TOKEN, new Cookie("at", TOKEN)));
        for (HttpServletRequest r : doubled) {
            BearerAuthenticator.Refused refusal = refused(withAll.authenticate(r));
            assertEquals(OAuthError.INVALID_REQUEST, refusal.error());
            assertEquals("The request carries more than one credential", refusal.description());
        }
        assertInstanceOf(BearerAuthenticator.Accepted.class, withAll.authenticate(request(List.of(), "access_token=" + TOKEN)));
        assertInstanceOf(BearerAuthenticator.Accepted.class, withAll.authenticate(request(List.of(), null, new Cookie("at", TOKEN))));
    }

    @Test
    void aMalformedBearerHeaderIsAnInvalidRequestAndABadTokenAnInvalidToken() {
        for (String header : List.of("Bearer", "Bearer ", "Bearer a b", "Bearer ==", "Bearer a=b", "Bearer \u00e9t\u00e9", "Bearer a,b")) {
            BearerAuthenticator.Refused refusal = refused(authenticator(Map.of()).authenticate(request(List.of(header), null)));
            assertEquals(OAuthError.INVALID_REQUEST, refusal.error(), header);
        }
        BearerAuthenticator.Refused bad = refused(authenticator(Map.of()).authenticate(request(List.of("Bearer " + TOKEN + "x"), null)));
        assertEquals(OAuthError.INVALID_TOKEN, bad.error());
    }

    /** RFC 6749 §2.3: the token endpoint's Authorization header carries client credentials; the bearer check stays out. */
    @Test
    void theOAuthEndpointsAreLeftToThemselvesWhateverTheirPath() {
        BearerAuthenticator a = authenticator(Map.of());
        assertTrue(a.isOAuthEndpoint(mappedTo("tokengate-token")));
        assertFalse(a.isOAuthEndpoint(mappedTo("whoami")));
        assertFalse(a.isOAuthEndpoint(mappedTo(null)));
    }

    private static HttpServletRequest mappedTo(String servletName) {
        jakarta.servlet.http.HttpServletMapping mapping = servletName == null ? null : (jakarta.servlet.http.HttpServletMapping) Proxy.newProxyInstance(
                BearerAuthenticatorTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletMapping.class},
                (proxy, method, args) -> "getServletName".equals(method.getName()) ? servletName : null);
        return (HttpServletRequest) Proxy.newProxyInstance(BearerAuthenticatorTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> "getHttpServletMapping".equals(method.getName()) ? mapping : null);
    }

    @Test
    void b64TokenSyntaxOfRfc6750() {
        for (String ok : List.of("abc", "a-b.c_d~e+f/g", "abc=", "abc==", "A")) {
            assertTrue(BearerTokenResolver.isB64Token(ok), ok);
        }
        for (String no : List.of("", "=", "==", "a=b", "a b", "a\tb", "a\"b", "a,b", "a;b", "\u00e9", "a\u0000", "abc=\u00e9")) {
            assertFalse(BearerTokenResolver.isB64Token(no), no);
        }
    }

    /** RFC 9449 §7 at a resource, from the attacker's side: a stolen DPoP-bound token is useless without its key. */
    @Nested
    class DPoPBoundTokens {
        private final DPoPKey key = new DPoPKey();
        private final String bound = AccessTokenIssuer.builder().keyRing(KEYS).issuer(ISSUER).audience(ISSUER).build()
                .issue(AccessTokenRequest.builder("alice", "native-app").dpopJkt(key.jkt()).build()).value();

        private String proof(String method, String uri, String token) {
            return key.proof(method, uri, token, CLOCK.instant());
        }

        private BearerAuthenticator.Refused refusedDpop(HttpServletRequest r, OAuthError error, String description) {
            BearerAuthenticator.Refused refusal = refused(authenticator(Map.of()).authenticate(r));
            assertEquals(error, refusal.error(), refusal.description());
            assertTrue(refusal.dpop(), "challenged with DPoP");
            if (description != null) {
                assertEquals(description, refusal.description());
            }
            return refusal;
        }

        @Test
        void aBoundTokenWithAProofOfItsKeyForThisRequestIsAccepted() {
            BearerAuthenticator.Accepted a = assertInstanceOf(BearerAuthenticator.Accepted.class, authenticator(Map.of())
                    .authenticate(dpopRequest("GET", "DPoP " + bound, proof("GET", API, bound))));
            assertEquals(key.jkt(), a.token().dpopJkt().orElseThrow());
            assertInstanceOf(BearerAuthenticator.Accepted.class, authenticator(Map.of())
                    .authenticate(dpopRequest("POST", "dpop " + bound, proof("POST", API + "?ignored=query", bound))), "htu has no query");
        }

        @Test
        void aBearerDowngradeIsRefused() {
            refusedDpop(dpopRequest("GET", "Bearer " + bound), OAuthError.INVALID_TOKEN,
                    "The access token is DPoP-bound; send it as Authorization: DPoP with a proof");
            refusedDpop(dpopRequest("GET", "Bearer " + bound, proof("GET", API, bound)), OAuthError.INVALID_TOKEN, null);
        }

        @Test
        void everyBadProofIsRefused() {
            refusedDpop(dpopRequest("GET", "DPoP " + bound), OAuthError.INVALID_DPOP_PROOF, "A DPoP proof is required");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, proof("GET", API, bound), proof("GET", API, bound)), OAuthError.INVALID_DPOP_PROOF,
                    "More than one DPoP header");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, proof("GET", API, TOKEN)), OAuthError.INVALID_DPOP_PROOF,
                    "The DPoP proof's ath does not match the access token");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, proof("GET", API, null)), OAuthError.INVALID_DPOP_PROOF,
                    "The DPoP proof's ath does not match the access token");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, proof("GET", "https://api.example.test/other", bound)),
                    OAuthError.INVALID_DPOP_PROOF, "The DPoP proof's htu is not this request's URI");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, proof("DELETE", API, bound)), OAuthError.INVALID_DPOP_PROOF,
                    "The DPoP proof's htm is not this request's method");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, key.proof("GET", API, bound, CLOCK.instant().minusSeconds(300))),
                    OAuthError.INVALID_DPOP_PROOF, "The DPoP proof's iat is outside the accepted window");
            refusedDpop(dpopRequest("GET", "DPoP " + bound, new DPoPKey().proof("GET", API, bound, CLOCK.instant())),
                    OAuthError.INVALID_DPOP_PROOF, "The DPoP proof is signed by another key than the token is bound to");
            String once = proof("GET", API, bound);
            assertInstanceOf(BearerAuthenticator.Accepted.class, authenticator(Map.of()).authenticate(dpopRequest("GET", "DPoP " + bound, once)));
            refusedDpop(dpopRequest("GET", "DPoP " + bound, once), OAuthError.INVALID_DPOP_PROOF, "The DPoP proof was already used");
        }

        @Test
        void anUnboundTokenSentAsDpopIsRefused() {
            refusedDpop(dpopRequest("GET", "DPoP " + TOKEN, proof("GET", API, TOKEN)), OAuthError.INVALID_TOKEN,
                    "The access token is not DPoP-bound; send it as Bearer");
        }

        @Test
        void theChallengesNameDpopWithItsAlgorithms() {
            EndpointResponse missing = OAuthErrors.challenges("tokengate", String.join(" ", DPOP.algorithmNames()));
            assertEquals("Bearer realm=\"tokengate\", DPoP realm=\"tokengate\", algs=\"PS256 ES256\"", missing.headers().get("WWW-Authenticate"));
            EndpointResponse refused = OAuthErrors.dpopChallenge("tokengate", "ES256", OAuthError.INVALID_DPOP_PROOF, "The DPoP proof was already used", null);
            assertEquals(401, refused.status());
            assertEquals("DPoP realm=\"tokengate\", algs=\"ES256\", error=\"invalid_dpop_proof\", error_description=\"The DPoP proof was already used\"",
                    refused.headers().get("WWW-Authenticate"));
        }
    }
}
