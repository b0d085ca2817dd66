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

import org.junit.jupiter.api.Test;

import io.tokengate.core.config.Settings;
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

    private static BearerAuthenticator authenticator(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("tokengate.issuer", ISSUER);
        return BearerAuthenticator.create(new Settings(SettingsSource.of(all)), VALIDATOR, Set.of("tokengate-token"));
    }

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
}
