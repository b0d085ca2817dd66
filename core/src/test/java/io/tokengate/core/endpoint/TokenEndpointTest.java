package io.tokengate.core.endpoint;

import static io.tokengate.core.support.EndpointFixture.basic;
import static io.tokengate.core.support.EndpointFixture.json;
import static io.tokengate.core.support.EndpointFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.support.EndpointFixture;
import io.tokengate.core.support.FaultyStore;
import io.tokengate.core.validation.FailureReason;

class TokenEndpointTest {
    private final EndpointFixture f = new EndpointFixture();

    private static void assertError(EndpointResponse r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        Map<String, Object> body = json(r);
        assertEquals(code, body.get("error"));
        assertNotNull(body.get("error_description"));
        assertEquals("no-store", r.headers().get("Cache-Control"));
        assertTrue(r.headers().get("Content-Type").startsWith("application/json"));
        assertFalse(r.body().contains("Exception"), "no stack trace");
    }

    private EndpointResponse passwordGrant(String clientId, String secret) {
        return f.endpoint.token(post(clientId, secret, "grant_type", "password", "username", "alice", "password", "alice-password"));
    }

    @Nested
    class InvalidRequest {
        @Test
        void missingGrantType() {
            assertError(f.endpoint.token(post("demo-client", "demo-secret")), 400, "invalid_request");
        }

        @Test
        void repeatedParameter() {
            EndpointResponse r = f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "grant_type", "password",
                    "username", "alice", "password", "alice-password"));
            assertError(r, 400, "invalid_request");
            assertTrue(json(r).get("error_description").toString().contains("grant_type"));
        }

        @Test
        void repeatedRefreshTokenDoesNotConsumeIt() {
            String rt = (String) f.login().get("refresh_token");
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token", "refresh_token", rt,
                    "refresh_token", rt)), 400, "invalid_request");
            assertEquals(200, f.refresh(rt).status());
        }

        @Test
        void wrongContentType() {
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/json")
                    .header("Authorization", basic("demo-client", "demo-secret")).param("grant_type", "client_credentials").build();
            assertError(f.endpoint.token(r), 400, "invalid_request");
            EndpointRequest none = EndpointRequest.builder("POST").param("grant_type", "client_credentials").build();
            assertError(f.endpoint.token(none), 400, "invalid_request");
        }

        @Test
        void contentTypeWithCharsetIsAccepted() {
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "Application/X-WWW-Form-URLEncoded; charset=UTF-8")
                    .header("Authorization", basic("service", "service-secret")).param("grant_type", "client_credentials").build();
            assertEquals(200, f.endpoint.token(r).status());
        }

        @Test
        void getIsMethodNotAllowed() {
            EndpointResponse r = f.endpoint.token(EndpointRequest.builder("GET").param("grant_type", "client_credentials").build());
            assertError(r, 405, "invalid_request");
            assertEquals("POST", r.headers().get("Allow"));
        }

        @Test
        void missingRefreshTokenOrCredentials() {
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token")), 400, "invalid_request");
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice")), 400,
                    "invalid_request");
        }

        @Test
        void emptyParameterCountsAsAbsent() {
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "")), 400, "invalid_request");
        }

        @Test
        void twoAuthenticationMethods() {
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic("demo-client", "demo-secret")).param("client_secret", "demo-secret")
                    .param("grant_type", "client_credentials").build();
            assertError(f.endpoint.token(r), 400, "invalid_request");
        }
    }

    @Nested
    class InvalidClient {
        private void assertInvalidClient(EndpointResponse r) {
            assertError(r, 401, "invalid_client");
            assertEquals("Basic realm=\"tokengate\"", r.headers().get("WWW-Authenticate"));
        }

        @Test
        void unknownClient() {
            assertInvalidClient(f.endpoint.token(post("nobody", "secret", "grant_type", "client_credentials")));
        }

        @Test
        void wrongSecret() {
            assertInvalidClient(passwordGrant("demo-client", "wrong"));
        }

        @Test
        void confidentialClientWithoutSecret() {
            assertInvalidClient(f.endpoint.token(post("demo-client", null, "grant_type", "password", "username", "alice",
                    "password", "alice-password")));
        }

        @Test
        void noClientAtAll() {
            assertInvalidClient(f.endpoint.token(post(null, null, "grant_type", "client_credentials")));
        }

        @Test
        void publicClientSendingASecret() {
            assertInvalidClient(f.endpoint.token(post("demo-spa", "anything", "grant_type", "refresh_token", "refresh_token", "x")));
        }

        @Test
        void malformedBasicCredentials() {
            EndpointRequest.Builder b = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .param("grant_type", "client_credentials");
            assertInvalidClient(f.endpoint.token(b.header("Authorization", "Basic !!!not-base64").build()));
            EndpointRequest noColon = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("service".getBytes()))
                    .param("grant_type", "client_credentials").build();
            assertInvalidClient(f.endpoint.token(noColon));
        }

        @Test
        void otherAuthorizationScheme() {
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Bearer abc").param("grant_type", "client_credentials").build();
            assertInvalidClient(f.endpoint.token(r));
        }

        @Test
        void clientIdParameterContradictingBasic() {
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic("service", "service-secret")).param("client_id", "demo-client")
                    .param("grant_type", "client_credentials").build();
            assertInvalidClient(f.endpoint.token(r));
        }
    }

    @Nested
    class ClientAuthentication {
        @Test
        void clientSecretBasicWorks() {
            assertEquals(200, passwordGrant("demo-client", "demo-secret").status());
        }

        @Test
        void clientSecretPostWorks() {
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .param("client_id", "demo-client").param("client_secret", "demo-secret").param("grant_type", "password")
                    .param("username", "alice").param("password", "alice-password").build();
            assertEquals(200, f.endpoint.token(r).status());
        }

        @Test
        void basicCredentialsAreFormDecoded() {
            ClientRegistry registry = ClientRegistry.of(List.of(ClientRegistration.builder("a:b c").secret("s%e:c r+t")
                    .grants(GrantType.CLIENT_CREDENTIALS).build()));
            TokenEndpoint endpoint = TokenEndpoint.builder().clients(registry).refreshTokens(f.service)
                    .validator(f.validator).clock(f.clock).build();
            // RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic("a%3Ab+c", "s%25e%3Ac+r%2Bt")).param("grant_type", "client_credentials").build();
            assertEquals(200, endpoint.token(r).status());
        }

        @Test
        void publicClientIdentifiesByClientIdAndCannotIntrospect() {
            EndpointResponse r = f.introspection.introspect(post("demo-spa", null, "token", "x"));
            assertError(r, 401, "invalid_client");
        }
    }

    @Nested
    class Grants {
        @Test
        void unknownGrantType() {
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                    "device_code", "x")), 400, "unsupported_grant_type");
            TokenEndpoint withoutCodes = TokenEndpoint.builder().clients(f.clients).refreshTokens(f.service).validator(f.validator)
                    .clock(f.clock).build();
            assertError(withoutCodes.token(post("web-app", "web-secret", "grant_type", "authorization_code", "code", "x")), 400,
                    "unsupported_grant_type");
        }

        @Test
        void passwordGrantIsOffUnlessTheClientIsAllowedIt() {
            assertError(passwordGrant("service", "service-secret"), 400, "unauthorized_client");
            assertEquals(200, passwordGrant("demo-client", "demo-secret").status());
        }

        @Test
        void passwordGrantWithoutACredentialVerifierIsUnsupported() {
            TokenEndpoint endpoint = TokenEndpoint.builder().clients(f.clients).refreshTokens(f.service)
                    .validator(f.validator).clock(f.clock).build();
            assertError(endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "alice-password")), 400, "unsupported_grant_type");
        }

        @Test
        void wrongPasswordIsInvalidGrant() {
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "nope")), 400, "invalid_grant");
        }

        @Test
        void passwordGrantCarriesTheUsersGroups() {
            Map<String, Object> r = json(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password",
                    "username", "bob", "password", "bob-password")));
            assertEquals(Set.of("user", "admin"), f.validator.validate((String) r.get("access_token")).principal().orElseThrow().groups());
        }

        @Test
        void scopeBeyondTheClientsIsInvalidScope() {
            assertError(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "alice-password", "scope", "read admin")), 400, "invalid_scope");
            assertError(f.endpoint.token(post("service", "service-secret", "grant_type", "client_credentials", "scope", "read")), 400,
                    "invalid_scope");
        }

        @Test
        void scopeWithForbiddenCharactersIsInvalidScope() {
            assertError(f.endpoint.token(post("service", "service-secret", "grant_type", "client_credentials", "scope", "rep\"orts")),
                    400, "invalid_scope");
        }

        @Test
        void clientCredentialsIssuesAnAccessTokenForTheClientOnly() {
            EndpointResponse r = f.endpoint.token(post("service", "service-secret", "grant_type", "client_credentials"));
            assertEquals(200, r.status());
            Map<String, Object> body = json(r);
            var principal = f.validator.validate((String) body.get("access_token")).principal().orElseThrow();
            assertEquals("service", principal.subject());
            assertEquals("service", principal.clientId());
            assertEquals(Set.of("reports"), principal.scopes());
            assertFalse(body.containsKey("refresh_token"));
            assertEquals("no-store", r.headers().get("Cache-Control"));
            assertEquals("no-cache", r.headers().get("Pragma"));
        }

        @Test
        void lifetimesInTheResponseCountFromTheGrantEvenWhenASecondBoundaryPassesBeforeItIsWritten() {
            // a CI run saw refresh_token_expires_in 1209599: the response read the clock again, a second later
            f.clock.set(Instant.parse("2026-11-27T10:00:00.500Z"));
            f.clock.tickOnEveryRead(Duration.ofSeconds(1)); // every read lands in another second
            Map<String, Object> r = f.login();
            assertEquals(300L, ((Number) r.get("expires_in")).longValue());
            assertEquals(14L * 24 * 3600, ((Number) r.get("refresh_token_expires_in")).longValue());
            Map<String, Object> refreshed = json(f.refresh((String) r.get("refresh_token")));
            assertEquals(300L, ((Number) refreshed.get("expires_in")).longValue());
            assertEquals(14L * 24 * 3600, ((Number) refreshed.get("refresh_token_expires_in")).longValue());
        }

        @Test
        void tokenResponseHasEveryField() {
            Map<String, Object> r = f.login();
            assertEquals(Set.of("access_token", "token_type", "expires_in", "refresh_token", "refresh_token_expires_in", "scope"), r.keySet());
            assertEquals("Bearer", r.get("token_type"));
            assertEquals(Set.of("read", "write"), Set.of(((String) r.get("scope")).split(" ")));
        }

        @Test
        void clientsOwnAccessTokenLifetimeApplies() {
            Map<String, Object> r = f.login("short", "short-secret", "alice");
            assertEquals(60L, r.get("expires_in"));
        }
    }

    @Nested
    class CookieMode {
        @Test
        void refreshTokenTravelsOnlyInTheCookieField() {
            EndpointResponse r = f.handoff.issue(new Handoff.Request("demo-spa", "alice", Set.of("user"), null, f.clock.instant(),
                    "Firefox", "127.0.0.1"));
            assertEquals(200, r.status());
            Map<String, Object> body = json(r);
            assertFalse(body.containsKey("refresh_token"), "never in the JSON body");
            assertNotNull(r.refreshTokenCookie());
            assertEquals(Duration.ofDays(14), r.refreshTokenCookieMaxAge());
            assertEquals(14L * 24 * 3600, body.get("refresh_token_expires_in"));
        }

        @Test
        void refreshReadsTheTokenFromTheCookieAndRotatesIt() {
            String cookie = f.handoff("demo-spa", "alice").refreshTokenCookie();
            EndpointResponse refreshed = f.endpoint.token(EndpointFixture.browserPost(cookie, "grant_type", "refresh_token"));
            assertEquals(200, refreshed.status(), refreshed.body());
            assertNotNull(refreshed.refreshTokenCookie());
            assertFalse(cookie.equals(refreshed.refreshTokenCookie()), "rotated");
            assertFalse(json(refreshed).containsKey("refresh_token"));
        }

        /** Login CSRF: a cross-site form must not plant an attacker's session in the victim's browser. */
        @Test
        void everyGrantOfACookieModeClientNeedsTheCsrfDefenceBeforeAnythingIsIssued() {
            EndpointResponse planted = f.endpoint.token(post("demo-spa", null, "grant_type", "password", "username", "alice",
                    "password", "alice-password"));
            assertError(planted, 400, "invalid_request");
            assertNull(planted.refreshTokenCookie(), "no cookie is set");
            assertTrue(f.events(TokenEvent.Issued.class).isEmpty(), "no family was created");
            assertTrue(f.store.familiesOfSubject("alice").isEmpty());

            EndpointResponse signedIn = f.endpoint.token(EndpointFixture.browserPost(null, "grant_type", "password", "username", "alice",
                    "password", "alice-password"));
            assertEquals(200, signedIn.status(), signedIn.body());
            String cookie = signedIn.refreshTokenCookie();
            assertNotNull(cookie);

            EndpointResponse bodyToken = f.endpoint.token(post("demo-spa", null, "grant_type", "refresh_token", "refresh_token", cookie));
            assertError(bodyToken, 400, "invalid_request");
            assertNull(bodyToken.refreshTokenCookie());
            EndpointRequest cookieWithoutDefence = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .param("client_id", "demo-spa").param("grant_type", "refresh_token").refreshTokenCookie(cookie).build();
            assertError(f.endpoint.token(cookieWithoutDefence), 400, "invalid_request");
            assertEquals(200, f.endpoint.token(EndpointFixture.browserPost(cookie, "grant_type", "refresh_token")).status(),
                    "the refused requests consumed nothing: the token rotates once, without reuse");
            assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
        }

        /** Logout CSRF: a cross-site form must not clear the cookie, and a cleared cookie always means a revoked family. */
        @Test
        void signOutByCookieNeedsTheDefenceRevokesTheCookiesFamilyAndClearsIt() {
            String cookie = f.endpoint.token(EndpointFixture.browserPost(null, "grant_type", "password", "username", "alice",
                    "password", "alice-password")).refreshTokenCookie();
            EndpointRequest crossSite = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .param("client_id", "demo-spa").refreshTokenCookie(cookie).build();
            EndpointResponse refused = f.revocationEndpoint.revoke(crossSite);
            assertError(refused, 400, "invalid_request");
            assertFalse(refused.clearsRefreshTokenCookie());
            EndpointResponse otherToken = f.revocationEndpoint.revoke(EndpointFixture.browserPost(cookie, "token", "x"));
            assertEquals(200, otherToken.status());
            assertFalse(otherToken.clearsRefreshTokenCookie(), "revoking another token leaves the cookie and its family alone");
            assertEquals(io.tokengate.core.refresh.FamilyState.ACTIVE, f.service.familyOf(cookie).orElseThrow().state());

            EndpointResponse out = f.revocationEndpoint.revoke(EndpointFixture.browserPost(cookie));
            assertEquals(200, out.status());
            assertTrue(out.clearsRefreshTokenCookie());
            assertEquals(Duration.ZERO, out.refreshTokenCookieMaxAge());
            assertEquals(io.tokengate.core.refresh.FamilyState.REVOKED, f.service.familyOf(cookie).orElseThrow().state());
        }

        @Test
        void cookieIsIgnoredForClientsNotInCookieMode() {
            String rt = (String) f.login().get("refresh_token");
            EndpointRequest r = EndpointRequest.builder("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic("demo-client", "demo-secret")).param("grant_type", "refresh_token")
                    .refreshTokenCookie(rt).build();
            assertError(f.endpoint.token(r), 400, "invalid_request");
        }
    }

    @Nested
    class HandOff {
        @Test
        void authenticatedUserGetsAFirstPairCarryingAuthTimeAndGroups() {
            Instant authTime = f.clock.instant().minusSeconds(30);
            EndpointResponse r = f.handoff.issue(new Handoff.Request("demo-app", "carol", Set.of("staff"), "read", authTime,
                    "Chrome", "127.0.0.1"));
            Map<String, Object> body = json(r);
            var p = f.validator.validate((String) body.get("access_token")).principal().orElseThrow();
            assertEquals("carol", p.subject());
            assertEquals(Set.of("staff"), p.groups());
            assertEquals(Set.of("read"), p.scopes());
            assertEquals(authTime, p.authTime().orElseThrow());
            assertEquals(Handoff.GRANT, f.events(TokenEvent.Issued.class).get(0).grantType());
            assertEquals(200, f.endpoint.token(post("demo-app", null, "grant_type", "refresh_token", "refresh_token",
                    (String) body.get("refresh_token"))).status());
        }

        @Test
        void unknownClientOrWiderScopeIsRefused() {
            assertError(f.handoff("nobody", "carol"), 401, "invalid_client");
            assertError(f.handoff.issue(new Handoff.Request("demo-app", "carol", Set.of(), "admin", null, null, null)), 400,
                    "invalid_scope");
        }

        /** A browser must not obtain the tokens, and scopes, of a server-side or service client. */
        @Test
        void onlyPublicClientsThatMayRefreshAreServed() {
            assertError(f.handoff("demo-client", "carol"), 400, "unauthorized_client");
            assertError(f.handoff("service", "carol"), 400, "unauthorized_client");
            assertTrue(f.events(TokenEvent.Issued.class).isEmpty(), "nothing issued");
        }
    }

    @Nested
    class Revocation {
        private EndpointResponse revoke(String clientId, String secret, String token, String... more) {
            String[] params = new String[2 + more.length];
            params[0] = "token";
            params[1] = token;
            System.arraycopy(more, 0, params, 2, more.length);
            return f.revocationEndpoint.revoke(post(clientId, secret, params));
        }

        @Test
        void unknownTokenIs200() {
            EndpointResponse r = revoke("demo-client", "demo-secret", "not-a-token");
            assertEquals(200, r.status());
            assertEquals("no-store", r.headers().get("Cache-Control"));
        }

        @Test
        void revokingARefreshTokenRevokesItsFamilyAndItsAccessTokens() {
            Map<String, Object> login = f.login();
            assertEquals(200, revoke("demo-client", "demo-secret", (String) login.get("refresh_token")).status());
            assertError(f.refresh((String) login.get("refresh_token")), 400, "invalid_grant");
            assertEquals(FailureReason.REVOKED, f.validator.validate((String) login.get("access_token")).failure().orElseThrow());
            TokenEvent.Revoked e = f.events(TokenEvent.Revoked.class).get(0);
            assertEquals(TokenEvent.Target.FAMILY, e.target());
            assertEquals("demo-client", e.by());
        }

        @Test
        void revokingAnAccessTokenDenylistsItsJtiOnly() {
            Map<String, Object> login = f.login();
            assertEquals(200, revoke("demo-client", "demo-secret", (String) login.get("access_token"), "token_type_hint", "access_token").status());
            assertEquals(FailureReason.REVOKED, f.validator.validate((String) login.get("access_token")).failure().orElseThrow());
            assertEquals(200, f.refresh((String) login.get("refresh_token")).status(), "the family lives");
            assertEquals(TokenEvent.Target.ACCESS_TOKEN, f.events(TokenEvent.Revoked.class).get(0).target());
        }

        /** RFC 7009 §2.2: for this client another client's token is an invalid one: 200, nothing revoked, nothing revealed. */
        @Test
        void anotherClientsTokenIsAnsweredLikeAnUnknownOneAndLeftAlone() {
            Map<String, Object> login = f.login();
            EndpointResponse unknown = revoke("other-client", "other-secret", "not-a-token");
            for (String token : List.of((String) login.get("refresh_token"), (String) login.get("access_token"))) {
                EndpointResponse r = revoke("other-client", "other-secret", token);
                assertEquals(unknown.status(), r.status());
                assertEquals(unknown.body(), r.body());
                assertEquals(unknown.headers(), r.headers());
            }
            assertTrue(f.events(TokenEvent.Revoked.class).isEmpty());
            assertTrue(f.validator.validate((String) login.get("access_token")).principal().isPresent(), "the access token lives");
            assertEquals(200, f.refresh((String) login.get("refresh_token")).status(), "the family lives");
        }

        @Test
        void publicClientRevokesItsOwnTokenByClientId() {
            String cookie = f.handoff("demo-spa", "alice").refreshTokenCookie();
            assertEquals(200, f.revocationEndpoint.revoke(post("demo-spa", null, "token", cookie)).status());
            assertTrue(f.service.familyOf(cookie).orElseThrow().state() == io.tokengate.core.refresh.FamilyState.REVOKED);
        }

        @Test
        void revocationNeedsClientAuthenticationAndAToken() {
            assertError(f.revocationEndpoint.revoke(post("demo-client", "wrong", "token", "x")), 401, "invalid_client");
            assertError(f.revocationEndpoint.revoke(post("demo-client", "demo-secret")), 400, "invalid_request");
        }
    }

    @Nested
    class Introspection {
        private Map<String, Object> introspect(String clientId, String secret, String token) {
            EndpointResponse r = f.introspection.introspect(post(clientId, secret, "token", token));
            assertEquals(200, r.status(), r.body());
            return json(r);
        }

        @Test
        void activeAccessTokenShowsItsClaims() {
            Map<String, Object> login = f.login();
            Map<String, Object> r = introspect("demo-client", "demo-secret", (String) login.get("access_token"));
            assertEquals(true, r.get("active"));
            assertEquals("alice", r.get("sub"));
            assertEquals("demo-client", r.get("client_id"));
            assertEquals("Bearer", r.get("token_type"));
            assertNotNull(r.get("exp"));
            assertNotNull(r.get("sid"));
        }

        @Test
        void activeRefreshTokenShowsItsFamily() {
            Map<String, Object> login = f.login();
            Map<String, Object> r = introspect("demo-client", "demo-secret", (String) login.get("refresh_token"));
            assertEquals(true, r.get("active"));
            assertFalse(r.containsKey("token_type"), "RFC 7662 §2.2 token types are access token types: a refresh token has none");
            assertEquals(f.clock.instant().plus(Duration.ofDays(14)).getEpochSecond(), ((Number) r.get("exp")).longValue());
        }

        @Test
        void activeIsAlwaysPresentAndFalseForUnknownOthersAndRevoked() {
            Map<String, Object> login = f.login();
            assertEquals(Map.of("active", false), introspect("demo-client", "demo-secret", "garbage"));
            assertEquals(Map.of("active", false), introspect("other-client", "other-secret", (String) login.get("access_token")),
                    "a client sees only its own tokens");
            assertEquals(Map.of("active", false), introspect("other-client", "other-secret", (String) login.get("refresh_token")));
            f.refresh((String) login.get("refresh_token"));
            assertEquals(Map.of("active", false), introspect("demo-client", "demo-secret", (String) login.get("refresh_token")),
                    "a rotated token is not active");
        }

        @Test
        void introspectionNeedsAToken() {
            assertError(f.introspection.introspect(post("demo-client", "demo-secret")), 400, "invalid_request");
        }
    }

    @Nested
    class Failures {
        @Test
        void storeFailingAtRotationMeansTemporarilyUnavailableAndTheTokenStillWorksAfterwards() {
            FaultyStore store = new FaultyStore();
            EndpointFixture fx = new EndpointFixture(store, List.of());
            Map<String, Object> login = fx.login();
            store.failing.add("advance");
            assertError(fx.refresh((String) login.get("refresh_token")), 503, "temporarily_unavailable");
            assertTrue(fx.validator.validate((String) login.get("access_token")).isValid(), "bearer validation needs no store");
            store.failing.clear();
            EndpointResponse after = fx.refresh((String) login.get("refresh_token"));
            assertEquals(200, after.status(), "nothing was half-written");
            assertTrue(fx.events(TokenEvent.ReuseDetected.class).isEmpty());
        }

        @Test
        void storeDownEntirelyMeansTemporarilyUnavailableForEveryGrant() {
            FaultyStore store = new FaultyStore();
            EndpointFixture fx = new EndpointFixture(store, List.of());
            Map<String, Object> login = fx.login();
            store.failing.add("*");
            EndpointResponse refused = fx.refresh((String) login.get("refresh_token"));
            assertError(refused, 503, "temporarily_unavailable");
            assertEquals("5", refused.headers().get("Retry-After"), "the client is told when to come back");
            assertError(passwordGrantOn(fx), 503, "temporarily_unavailable");
            store.failing.clear();
            assertEquals(200, fx.refresh((String) login.get("refresh_token")).status());
        }

        private EndpointResponse passwordGrantOn(EndpointFixture fx) {
            return fx.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "alice-password"));
        }

        @Test
        void storeFailingWhileRevokingAReusedFamilyAnswers503AndTheNextReplayRevokesIt() {
            FaultyStore store = new FaultyStore();
            EndpointFixture fx = new EndpointFixture(store, List.of());
            Map<String, Object> login = fx.login();
            Map<String, Object> second = json(fx.refresh((String) login.get("refresh_token")));
            fx.clock.advance(Duration.ofSeconds(11));
            store.failing.add("revokeFamily");
            assertError(fx.refresh((String) login.get("refresh_token")), 503, "temporarily_unavailable");
            assertEquals(FailureReason.REVOKED, fx.validator.validate((String) second.get("access_token")).failure().orElseThrow(),
                    "access tokens were cut before the store was asked");
            store.failing.clear();
            assertError(fx.refresh((String) login.get("refresh_token")), 400, "invalid_grant");
            assertError(fx.refresh((String) second.get("refresh_token")), 400, "invalid_grant");
        }

        @Test
        void aClientWithALifetimeTheValidatorRefusesFailsTheStartNotARequest() {
            ClientRegistry registry = ClientRegistry.of(List.of(ClientRegistration.builder("long").secret("long-secret")
                    .grants(GrantType.CLIENT_CREDENTIALS).accessTokenLifetime(Duration.ofHours(2)).build()));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TokenEndpoint.builder().clients(registry).refreshTokens(f.service).validator(f.validator).clock(f.clock).build());
            assertTrue(e.getMessage().contains("client long has access-token-lifetime PT2H"), e.getMessage());
        }

        @Test
        void verifierAnsweringWithoutASubjectIsTemporarilyUnavailable() {
            TokenEndpoint endpoint = TokenEndpoint.builder().clients(f.clients).refreshTokens(f.service)
                    .validator(f.validator).clock(f.clock)
                    .credentialVerifier((u, p) -> Optional.of(new io.tokengate.core.client.CredentialVerifier.AuthenticatedUser(null, Set.of())))
                    .build();
            assertError(endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "alice-password")), 503, "temporarily_unavailable");
        }

        @Test
        void handOffWithoutASubjectIsAProgrammingError() {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new Handoff.Request("demo-app", " ", Set.of(), null, null, null, null));
        }

        @Test
        void identityStoreDownMeansTemporarilyUnavailable() {
            TokenEndpoint endpoint = TokenEndpoint.builder().clients(f.clients).refreshTokens(f.service)
                    .validator(f.validator).clock(f.clock).credentialVerifier((u, p) -> {
                        throw new IllegalStateException("LDAP down");
                    }).build();
            EndpointResponse r = endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "alice-password"));
            assertError(r, 503, "temporarily_unavailable");
            assertFalse(r.body().contains("LDAP"));
        }

        @Test
        void failingEventListenerDoesNotFailTheGrant() {
            RefreshTokenService service = new RefreshTokenService(f.store, f.hasher, f.issuer, f.revocation, e -> {
                throw new IllegalStateException("audit log full");
            }, f.clock);
            TokenEndpoint endpoint = TokenEndpoint.builder().clients(f.clients).refreshTokens(service)
                    .validator(f.validator).credentialVerifier(f.users).clock(f.clock).build();
            assertEquals(200, endpoint.token(post("demo-client", "demo-secret", "grant_type", "password", "username", "alice",
                    "password", "alice-password")).status());
        }
    }

    @Test
    void metadataListsEveryEndpointUnderTheIssuer() throws Exception {
        String json = AuthorizationServerMetadata.json("http://localhost:8080", new AuthorizationServerMetadata.Paths("/oauth/token",
                "/oauth/revoke", "/oauth/introspect", "/oauth/jwks", "/oauth/revocation-feed"), Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN), Set.of("write", "read"));
        Map<String, Object> m = JsonUtil.parseJson(json);
        assertEquals("http://localhost:8080", m.get("issuer"));
        assertEquals("http://localhost:8080/oauth/token", m.get("token_endpoint"));
        assertEquals("http://localhost:8080/oauth/revoke", m.get("revocation_endpoint"));
        assertEquals("http://localhost:8080/oauth/introspect", m.get("introspection_endpoint"));
        assertEquals("http://localhost:8080/oauth/revocation-feed", m.get("revocation_feed_endpoint"));
        assertEquals("http://localhost:8080/oauth/jwks", m.get("jwks_uri"));
        assertEquals(List.of("refresh_token", "password"), m.get("grant_types_supported"));
        assertEquals(List.of("read", "write"), m.get("scopes_supported"));
        assertEquals(List.of(), m.get("response_types_supported"));
        assertNull(m.get("authorization_endpoint"));
    }
}
