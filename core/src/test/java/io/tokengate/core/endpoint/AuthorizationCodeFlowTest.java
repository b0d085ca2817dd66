package io.tokengate.core.endpoint;

import static io.tokengate.core.support.EndpointFixture.NATIVE_REDIRECT;
import static io.tokengate.core.support.EndpointFixture.SPA_REDIRECT;
import static io.tokengate.core.support.EndpointFixture.TOKEN_URI;
import static io.tokengate.core.support.EndpointFixture.WEB_REDIRECT;
import static io.tokengate.core.support.EndpointFixture.dpopPost;
import static io.tokengate.core.support.EndpointFixture.json;
import static io.tokengate.core.support.EndpointFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.tokengate.core.authorize.AuthorizationCodes;
import io.tokengate.core.authorize.AuthorizationRequest;
import io.tokengate.core.authorize.Pkce;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.core.support.DPoPKey;
import io.tokengate.core.support.EndpointFixture;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.ValidationResult;

/** The authorization endpoint (RFC 6749 §4.1, RFC 7636, RFC 9207) and the code grant, with DPoP-bound tokens (RFC 9449). */
class AuthorizationCodeFlowTest {
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = Pkce.challengeOf(VERIFIER);
    private final EndpointFixture f = new EndpointFixture();
    private final DPoPKey key = new DPoPKey();

    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return q;
    }

    /** A valid request of {@code clientId} to {@code redirectUri}, then each pair in turn: value "-" removes, any other adds one. */
    private static Map<String, List<String>> request(String clientId, String redirectUri, String... more) {
        Map<String, List<String>> q = query("response_type", "code", "client_id", clientId, "redirect_uri", redirectUri, "state", "xyz",
                "code_challenge", CHALLENGE, "code_challenge_method", "S256");
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1].equals("-")) {
                q.remove(more[i]);
            } else {
                q.computeIfAbsent(more[i], x -> new java.util.ArrayList<>()).add(more[i + 1]);
            }
        }
        return q;
    }

    private static Map<String, String> params(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        String query = URI.create(location).getRawQuery();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private AuthorizationRequest valid(Map<String, List<String>> q) {
        return assertInstanceOf(AuthorizationEndpoint.Outcome.Valid.class, f.authorization.check(q)).request();
    }

    private Map<String, String> redirectedError(Map<String, List<String>> q, String redirectUri) {
        String location = assertInstanceOf(AuthorizationEndpoint.Outcome.Redirect.class, f.authorization.check(q)).location();
        assertTrue(location.startsWith(redirectUri + (redirectUri.contains("?") ? "&" : "?")), location);
        Map<String, String> p = params(location);
        assertEquals(Fixture.ISSUER, p.get("iss"), "RFC 9207: the issuer is named in every response");
        return p;
    }

    private AuthorizationEndpoint.Outcome.ErrorPage errorPage(Map<String, List<String>> q) {
        return assertInstanceOf(AuthorizationEndpoint.Outcome.ErrorPage.class, f.authorization.check(q));
    }

    /** The code alice gets for {@code clientId} after approving. */
    private String code(String clientId, String redirectUri) {
        String location = f.authorization.approved(valid(request(clientId, redirectUri)), "alice", Set.of("user"), f.clock.instant());
        return params(location).get("code");
    }

    private EndpointResponse redeem(String proof, String clientId, String secret, String code, String redirectUri, String verifier) {
        return f.endpoint.token(dpopPost(proof, clientId, secret, "grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri,
                "code_verifier", verifier));
    }

    private String proof() {
        return key.proof("POST", TOKEN_URI, null, f.clock.instant());
    }

    private AccessTokenPrincipal principal(Map<String, Object> tokens) {
        ValidationResult r = f.validator.validate((String) tokens.get("access_token"));
        assertTrue(r.isValid(), String.valueOf(r));
        return r.principal().orElseThrow();
    }

    private static void assertError(EndpointResponse r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, json(r).get("error"), r.body());
    }

    @Nested
    class TheAuthorizationRequest {
        @Test
        void withoutAKnownClientOrItsRegisteredRedirectUriIsAnErrorPageNeverARedirect() {
            assertEquals("client_id is required", errorPage(request("native-app", NATIVE_REDIRECT, "client_id", "-")).description());
            assertEquals(OAuthError.INVALID_REQUEST, errorPage(request("nobody", NATIVE_REDIRECT)).error());
            assertEquals("redirect_uri is required", errorPage(request("native-app", NATIVE_REDIRECT, "redirect_uri", "-")).description());
            for (String evil : List.of("https://evil.example/cb", "http://127.0.0.1:8765/callback/../x", "http://localhost:8765/callback",
                    "http://127.0.0.1:8765/callback?x=1", "http://127.0.0.1:8765/Callback", SPA_REDIRECT)) {
                assertEquals("The redirect_uri is not registered for this client", errorPage(request("native-app", evil)).description(), evil);
            }
            assertTrue(errorPage(request("native-app", NATIVE_REDIRECT, "redirect_uri", "https://evil.example/cb")).description()
                    .contains("repeated"), "a second redirect_uri is not trusted either");
            assertTrue(errorPage(request("native-app", NATIVE_REDIRECT, "client_id", "web-app")).description().contains("repeated"));
        }

        @Test
        void aNativeAppMayUseAnyPortOfItsLoopbackRedirect() {
            assertEquals("http://127.0.0.1:51234/callback", valid(request("native-app", "http://127.0.0.1:51234/callback")).redirectUri());
        }

        @Test
        void everyErrorOfRfc6749Section4121GoesToTheRegisteredRedirectWithStateAndIss() {
            Map<String, String> e = redirectedError(request("native-app", NATIVE_REDIRECT, "response_type", "-"), NATIVE_REDIRECT);
            assertEquals("invalid_request", e.get("error"));
            assertEquals("xyz", e.get("state"));
            assertEquals("unsupported_response_type", redirectedError(request("native-app", NATIVE_REDIRECT, "response_type", "-",
                    "response_type", "token"), NATIVE_REDIRECT).get("error"));
            assertEquals("invalid_scope", redirectedError(request("native-app", NATIVE_REDIRECT, "scope", "read admin"), NATIVE_REDIRECT).get("error"));
            assertEquals("invalid_request", redirectedError(request("native-app", NATIVE_REDIRECT, "state", "again"), NATIVE_REDIRECT).get("error"),
                    "a repeated parameter");
            assertEquals("invalid_request", redirectedError(request("native-app", NATIVE_REDIRECT, "response_mode", "fragment"), NATIVE_REDIRECT)
                    .get("error"));
            assertEquals("invalid_request", redirectedError(request("native-app", NATIVE_REDIRECT, "request_uri", "urn:x"), NATIVE_REDIRECT)
                    .get("error"));
            Map<String, String> withQuery = redirectedError(request("web-app", WEB_REDIRECT, "response_type", "-"), WEB_REDIRECT);
            assertEquals("invalid_request", withQuery.get("error"), "the registered query is kept, the error appended");

            ClientRegistry noCodeGrant = ClientRegistry.of(List.of(ClientRegistration.builder("legacy").type(ClientType.PUBLIC)
                    .grants(GrantType.REFRESH_TOKEN).redirectUris(List.of(SPA_REDIRECT)).build()));
            AuthorizationEndpoint.Outcome unauthorized = new AuthorizationEndpoint(noCodeGrant, f.codes, Fixture.ISSUER)
                    .check(request("legacy", SPA_REDIRECT));
            assertEquals("unauthorized_client", params(assertInstanceOf(AuthorizationEndpoint.Outcome.Redirect.class, unauthorized).location())
                    .get("error"));

            AuthorizationRequest r = valid(request("native-app", NATIVE_REDIRECT));
            Map<String, String> denied = params(f.authorization.denied(r));
            assertEquals("access_denied", denied.get("error"));
            assertEquals("xyz", denied.get("state"));

            AuthorizationEndpoint down = new AuthorizationEndpoint(f.clients, new AuthorizationCodes(() -> {
                throw new StoreUnavailableException("database down", null);
            }, f.hasher, f.clock), Fixture.ISSUER);
            assertEquals("temporarily_unavailable", params(down.approved(r, "alice", Set.of(), f.clock.instant())).get("error"));
        }

        @Test
        void pkceS256IsRequiredOfEveryClientAndPlainIsRefused() {
            assertEquals("invalid_request", redirectedError(request("web-app", WEB_REDIRECT, "code_challenge", "-"), WEB_REDIRECT).get("error"),
                    "even a confidential client");
            assertEquals("invalid_request", redirectedError(request("native-app", NATIVE_REDIRECT, "code_challenge_method", "-",
                    "code_challenge_method", "plain"), NATIVE_REDIRECT).get("error"));
            assertEquals("invalid_request", redirectedError(request("native-app", NATIVE_REDIRECT, "code_challenge_method", "-"), NATIVE_REDIRECT)
                    .get("error"), "no method means plain (RFC 7636 §4.3)");
            assertEquals("invalid_request", redirectedError(request("native-app", NATIVE_REDIRECT, "code_challenge", "-",
                    "code_challenge", "short"), NATIVE_REDIRECT).get("error"));
        }

        @Test
        void aThirdPartyClientNeedsConsentAFirstPartyOneDoesNot() {
            assertTrue(f.authorization.needsConsent(valid(request("native-app", NATIVE_REDIRECT))));
            assertFalse(f.authorization.needsConsent(valid(request("web-app", WEB_REDIRECT))));
            assertFalse(f.authorization.needsConsent(valid(request("spa-app", SPA_REDIRECT))), "a public client on an https origin");
        }

        @Test
        void aFirstPartyPublicClientOnALoopbackOrPrivateUseRedirectIsStillAskedSinceAnyAppCouldUseItsId() {
            assertTrue(f.authorization.needsConsent(valid(request("own-native-app", "http://127.0.0.1:49152/callback"))), "RFC 8252 §8.6");
            assertTrue(f.authorization.needsConsent(valid(request("own-native-app", "com.example.app:/callback"))));
        }

        @Test
        void anApprovedRequestRedirectsWithACodeTheStateAndTheIssuer() {
            String location = f.authorization.approved(valid(request("web-app", WEB_REDIRECT, "scope", "read")), "alice", Set.of(),
                    f.clock.instant());
            assertTrue(location.startsWith(WEB_REDIRECT + "&code="), location);
            Map<String, String> p = params(location);
            assertEquals(43, p.get("code").length());
            assertEquals("xyz", p.get("state"));
            assertEquals(Fixture.ISSUER, p.get("iss"));
            assertEquals("1", p.get("tenant"));
        }
    }

    @Nested
    class TheCodeGrant {
        @Test
        void aCodeIsRedeemedOnceForTokensOfTheUserWhoSignedIn() {
            String code = code("web-app", WEB_REDIRECT);
            EndpointResponse r = redeem(null, "web-app", "web-secret", code, WEB_REDIRECT, VERIFIER);
            assertEquals(200, r.status(), r.body());
            Map<String, Object> tokens = json(r);
            assertEquals("Bearer", tokens.get("token_type"));
            assertEquals("alice", principal(tokens).subject());
            assertEquals(Set.of("user"), principal(tokens).groups());
            assertEquals(200, f.endpoint.token(post("web-app", "web-secret", "grant_type", "refresh_token", "refresh_token",
                    (String) tokens.get("refresh_token"))).status());
        }

        @Test
        void aReplayedCodeIsRefusedAndRevokesWhatItsFirstUseIssued() {
            String code = code("web-app", WEB_REDIRECT);
            Map<String, Object> first = json(redeem(null, "web-app", "web-secret", code, WEB_REDIRECT, VERIFIER));
            EndpointResponse again = redeem(null, "web-app", "web-secret", code, WEB_REDIRECT, VERIFIER);
            assertError(again, 400, "invalid_grant");
            assertFalse(f.validator.validate((String) first.get("access_token")).isValid(), "its access token is cut");
            assertError(f.endpoint.token(post("web-app", "web-secret", "grant_type", "refresh_token", "refresh_token",
                    (String) first.get("refresh_token"))), 400, "invalid_grant");
        }

        @Test
        void pkceAWrongOrMissingVerifierIsRefusedAndAWrongOneSpendsTheCode() {
            String code = code("web-app", WEB_REDIRECT);
            EndpointResponse missing = f.endpoint.token(post("web-app", "web-secret", "grant_type", "authorization_code", "code", code,
                    "redirect_uri", WEB_REDIRECT));
            assertError(missing, 400, "invalid_request");
            assertError(redeem(null, "web-app", "web-secret", code, WEB_REDIRECT, VERIFIER.replace('d', 'e')), 400, "invalid_grant");
            assertError(redeem(null, "web-app", "web-secret", code, WEB_REDIRECT, VERIFIER), 400, "invalid_grant");
        }

        @Test
        void everyBindingOfTheCodeIsChecked() {
            assertError(redeem(null, "web-app", "web-secret", code("web-app", WEB_REDIRECT), "https://app.example/cb", VERIFIER), 400,
                    "invalid_grant");
            EndpointResponse otherClient = redeem(proof(), "spa-app", null, code("web-app", WEB_REDIRECT), WEB_REDIRECT, VERIFIER);
            assertError(otherClient, 400, "invalid_grant");
            assertEquals(json(redeem(proof(), "spa-app", null, "B".repeat(43), WEB_REDIRECT, VERIFIER)).get("error_description"),
                    json(otherClient).get("error_description"), "another client's code reads as an unknown one");
            String late = code("web-app", WEB_REDIRECT);
            f.clock.advance(Duration.ofSeconds(60));
            assertError(redeem(null, "web-app", "web-secret", late, WEB_REDIRECT, VERIFIER), 400, "invalid_grant");
            assertError(redeem(null, "web-app", "web-secret", "A".repeat(43), WEB_REDIRECT, VERIFIER), 400, "invalid_grant");
            EndpointResponse noRedirect = f.endpoint.token(post("web-app", "web-secret", "grant_type", "authorization_code", "code",
                    code("web-app", WEB_REDIRECT), "code_verifier", VERIFIER));
            assertError(noRedirect, 400, "invalid_request");
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "authorization_code", "code", code("web-app",
                    WEB_REDIRECT), "redirect_uri", WEB_REDIRECT, "code_verifier", VERIFIER)), 400, "unauthorized_client");
        }
    }

    @Nested
    class DPoPAtTheTokenEndpoint {
        @Test
        void aPublicClientsTokensAreBoundToItsProofKey() {
            Map<String, Object> tokens = json(redeem(proof(), "native-app", null, code("native-app", NATIVE_REDIRECT), NATIVE_REDIRECT, VERIFIER));
            assertEquals("DPoP", tokens.get("token_type"));
            assertEquals(key.jkt(), principal(tokens).dpopJkt().orElseThrow());
            assertEquals(key.jkt(), f.service.familyOf((String) tokens.get("refresh_token")).orElseThrow().dpopJkt());

            f.clock.advance(Duration.ofSeconds(1));
            EndpointResponse refreshed = f.endpoint.token(dpopPost(proof(), "native-app", null, "grant_type", "refresh_token", "refresh_token",
                    (String) tokens.get("refresh_token")));
            assertEquals(200, refreshed.status(), refreshed.body());
            assertEquals("DPoP", json(refreshed).get("token_type"));
            assertEquals(key.jkt(), principal(json(refreshed)).dpopJkt().orElseThrow());
        }

        @Test
        void aBoundRefreshTokenWithoutAProofOrWithAnotherKeysProofDoesNothing() {
            Map<String, Object> tokens = json(redeem(proof(), "spa-app", null, code("spa-app", SPA_REDIRECT), SPA_REDIRECT, VERIFIER));
            String refresh = (String) tokens.get("refresh_token");
            EndpointResponse noProof = f.endpoint.token(dpopPost(null, "spa-app", null, "grant_type", "refresh_token", "refresh_token", refresh));
            assertError(noProof, 400, "invalid_grant");
            String otherKeysProof = new DPoPKey().proof("POST", TOKEN_URI, null, f.clock.instant());
            assertError(f.endpoint.token(dpopPost(otherKeysProof, "spa-app", null, "grant_type", "refresh_token", "refresh_token", refresh)),
                    400, "invalid_grant");
            EndpointResponse owner = f.endpoint.token(dpopPost(proof(), "spa-app", null, "grant_type", "refresh_token", "refresh_token", refresh));
            assertEquals(200, owner.status(), "the stolen token was refused without being consumed or revoking the session: " + owner.body());
        }

        @Test
        void aConfidentialClientsAccessTokenIsBoundItsRefreshTokenIsNot() {
            Map<String, Object> tokens = json(redeem(proof(), "web-app", "web-secret", code("web-app", WEB_REDIRECT), WEB_REDIRECT, VERIFIER));
            assertEquals("DPoP", tokens.get("token_type"));
            assertNull(f.service.familyOf((String) tokens.get("refresh_token")).orElseThrow().dpopJkt());
            Map<String, Object> bearer = json(f.endpoint.token(post("web-app", "web-secret", "grant_type", "refresh_token", "refresh_token",
                    (String) tokens.get("refresh_token"))));
            assertEquals("Bearer", bearer.get("token_type"));
            assertTrue(principal(bearer).dpopJkt().isEmpty());
        }

        @Test
        void aClientWithDpopBoundAccessTokensMustSendAValidUnusedProof() {
            String code = code("native-app", NATIVE_REDIRECT);
            assertError(redeem(null, "native-app", null, code, NATIVE_REDIRECT, VERIFIER), 400, "invalid_dpop_proof");
            assertError(redeem(key.proof("POST", "https://as.example/oauth/other", null, f.clock.instant()), "native-app", null, code,
                    NATIVE_REDIRECT, VERIFIER), 400, "invalid_dpop_proof");
            assertError(redeem(key.proof("GET", TOKEN_URI, null, f.clock.instant()), "native-app", null, code, NATIVE_REDIRECT, VERIFIER),
                    400, "invalid_dpop_proof");
            assertError(redeem(key.proof("POST", TOKEN_URI, null, f.clock.instant().minusSeconds(120)), "native-app", null, code,
                    NATIVE_REDIRECT, VERIFIER), 400, "invalid_dpop_proof");
            String once = proof();
            assertEquals(200, redeem(once, "native-app", null, code, NATIVE_REDIRECT, VERIFIER).status(), "the code was not spent by the refusals");
            EndpointResponse replayed = redeem(once, "native-app", null, code("native-app", NATIVE_REDIRECT), NATIVE_REDIRECT, VERIFIER);
            assertError(replayed, 400, "invalid_dpop_proof");
            assertEquals("The DPoP proof was already used", json(replayed).get("error_description"));
            EndpointResponse twoProofs = f.endpoint.token(EndpointRequest.builder("POST").uri(TOKEN_URI)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("DPoP", proof())
                    .header("DPoP", proof()).param("grant_type", "refresh_token").param("client_id", "native-app")
                    .param("refresh_token", "x").build());
            assertError(twoProofs, 400, "invalid_dpop_proof");
        }

        @Test
        void theMetadataNamesTheCodeFlowAndTheDpopAlgorithms() throws Exception {
            Map<String, Object> m = JsonUtil.parseJson(AuthorizationServerMetadata.json(Fixture.ISSUER, new AuthorizationServerMetadata.Paths(
                    "/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/jwks", "/oauth/revocation-feed", "/oauth/authorize"),
                    Set.of(GrantType.values()), Set.of(), f.dpop == null ? Set.of() : Set.of(io.tokengate.core.keys.SigningAlgorithm.ES256)));
            assertEquals(Fixture.ISSUER + "/oauth/authorize", m.get("authorization_endpoint"));
            assertEquals(List.of("code"), m.get("response_types_supported"));
            assertEquals(List.of("S256"), m.get("code_challenge_methods_supported"));
            assertEquals(true, m.get("authorization_response_iss_parameter_supported"));
            assertEquals(List.of("ES256"), m.get("dpop_signing_alg_values_supported"));
            assertTrue(((List<?>) m.get("grant_types_supported")).contains("authorization_code"));
            Map<String, Object> without = JsonUtil.parseJson(AuthorizationServerMetadata.json(Fixture.ISSUER, new AuthorizationServerMetadata.Paths(
                    "/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/jwks", "/oauth/revocation-feed"), Set.of(GrantType.values()),
                    Set.of()));
            assertFalse(((List<?>) without.get("grant_types_supported")).contains("authorization_code"), "no endpoint, no code grant");
            assertFalse(without.containsKey("dpop_signing_alg_values_supported"));
        }
    }
}
