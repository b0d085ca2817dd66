package io.tokengate.core.refresh;

import static io.tokengate.core.support.EndpointFixture.json;
import static io.tokengate.core.support.EndpointFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.support.EndpointFixture;
import io.tokengate.core.validation.FailureReason;

class RefreshTokenLifecycleTest {
    private final EndpointFixture f = new EndpointFixture();

    private static String rt(Map<String, Object> response) {
        return (String) response.get("refresh_token");
    }

    private static String at(Map<String, Object> response) {
        return (String) response.get("access_token");
    }

    private static String error(EndpointResponse r) {
        return (String) json(r).get("error");
    }

    @Test
    void wholeLifecycleLoginRefreshRotateRevoke() {
        Map<String, Object> login = f.login();
        assertEquals("Bearer", login.get("token_type"));
        assertEquals(300L, login.get("expires_in"));
        assertEquals(14L * 24 * 3600, login.get("refresh_token_expires_in"));
        assertTrue(f.validator.validate(at(login)).isValid());
        String sid = f.validator.validate(at(login)).principal().orElseThrow().familyId().orElseThrow();

        f.clock.advance(Duration.ofMinutes(4));
        EndpointResponse refreshed = f.refresh(rt(login));
        assertEquals(200, refreshed.status());
        Map<String, Object> second = json(refreshed);
        assertNotEquals(rt(login), rt(second), "rotated");
        assertEquals(sid, f.validator.validate(at(second)).principal().orElseThrow().familyId().orElseThrow(), "same family");

        f.clock.advance(Duration.ofMinutes(4));
        Map<String, Object> third = json(f.refresh(rt(second)));
        assertTrue(f.validator.validate(at(third)).isValid());
        assertEquals(1, f.events(TokenEvent.Issued.class).size());
        assertEquals(2, f.events(TokenEvent.Refreshed.class).size());

        f.service.revokeFamily(sid, "admin");
        assertEquals("invalid_grant", error(f.refresh(rt(third))));
        assertEquals(FailureReason.REVOKED, f.validator.validate(at(third)).failure().orElseThrow(), "live access token cut");
    }

    @Test
    void storeHoldsOnlyTheKeyedHashOfTheLiveTokenNeverATokenOrItsHistory() {
        Map<String, Object> login = f.login();
        String token = rt(login);
        String familyId = f.service.familyOf(token).orElseThrow().familyId();
        CurrentToken first = f.store.findFamilyAndToken(familyId).orElseThrow().token();
        assertEquals(new CurrentToken(0, f.hasher.hash(token), "s1", f.clock.instant()), first);
        assertNotEquals(token, first.tokenHash());
        f.clock.advance(Duration.ofSeconds(30));
        Map<String, Object> second = json(f.refresh(token));
        CurrentToken live = f.store.findFamilyAndToken(familyId).orElseThrow().token();
        assertEquals(new CurrentToken(1, f.hasher.hash(rt(second)), "s1", f.clock.instant()), live,
                "the successor replaced the first token: one hash, generation one more");
        assertEquals(1, ((InMemoryRefreshTokenStore) f.store).familyCount());
    }

    @Test
    void familyRecordsTheDeviceForTheInventory() {
        f.login();
        RefreshTokenFamily family = f.service.families("alice").get(0);
        assertEquals("demo-client", family.clientId());
        assertEquals("JUnit", family.userAgent());
        assertEquals("127.0.0.1", family.remoteAddress());
        assertEquals(Set.of("read", "write"), family.scopes());
        assertEquals(Set.of("user"), family.groups());
        assertEquals(f.clock.instant(), family.authTime());
        assertEquals(f.clock.instant(), family.createdAt());
    }

    @Test
    void anotherClientCannotUseTheToken() {
        Map<String, Object> login = f.login();
        EndpointResponse r = f.endpoint.token(post("other-client", "other-secret", "grant_type", "refresh_token", "refresh_token", rt(login)));
        assertEquals(400, r.status());
        assertEquals("invalid_grant", error(r));
        assertEquals(200, f.refresh(rt(login)).status(), "the owner still can");
    }

    @Test
    void unknownOrMalformedTokenIsInvalidGrant() {
        assertEquals("invalid_grant", error(f.refresh("x".repeat(43))));
        assertEquals("invalid_grant", error(f.refresh("short")));
        assertEquals("invalid_grant", error(f.refresh("y".repeat(5000))));
    }

    @Nested
    class Scopes {
        @Test
        void refreshMayNarrowTheScopeAndTheNextRefreshTokenKeepsTheFamilysScopes() {
            Map<String, Object> login = f.login();
            Map<String, Object> narrowed = json(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token",
                    "refresh_token", rt(login), "scope", "read")));
            assertEquals("read", narrowed.get("scope"));
            assertEquals(Set.of("read"), f.validator.validate(at(narrowed)).principal().orElseThrow().scopes());
            Map<String, Object> again = json(f.refresh(rt(narrowed)));
            assertEquals(Set.of("read", "write"), f.validator.validate(at(again)).principal().orElseThrow().scopes(),
                    "omitting scope gives the family's scopes back");
        }

        @Test
        void refreshCannotWidenTheScope() {
            Map<String, Object> login = json(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password",
                    "username", "alice", "password", "alice-password", "scope", "read")));
            EndpointResponse wider = f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token",
                    "refresh_token", rt(login), "scope", "read write"));
            assertEquals(400, wider.status());
            assertEquals("invalid_scope", error(wider));
            assertEquals(200, f.refresh(rt(login)).status(), "the refused request consumed nothing");
        }
    }

    @Nested
    class Expiry {
        private Map<String, Object> shortLogin() {
            return f.login("short", "short-secret", "alice");
        }

        private EndpointResponse shortRefresh(String token) {
            return f.endpoint.token(post("short", "short-secret", "grant_type", "refresh_token", "refresh_token", token));
        }

        @Test
        void idleTimeoutIsExactAndSlidesWithEveryRefresh() {
            Map<String, Object> login = shortLogin();
            assertEquals(3600L, login.get("refresh_token_expires_in"));
            f.clock.advance(Duration.ofMinutes(59).plusSeconds(59));
            Map<String, Object> second = json(shortRefresh(rt(login)));
            assertEquals(3600L, second.get("refresh_token_expires_in"), "slid by a full idle timeout");
            f.clock.advance(Duration.ofHours(1));
            assertEquals("invalid_grant", error(shortRefresh(rt(second))), "idle for exactly the timeout");
        }

        @Test
        void idleTimeoutJustBeforeTheEdgeStillRefreshes() {
            Map<String, Object> login = shortLogin();
            f.clock.advance(Duration.ofHours(1).minusMillis(1));
            assertEquals(200, shortRefresh(rt(login)).status());
        }

        @Test
        void absoluteLifetimeCapsTheSlidingIdleTimeout() {
            Map<String, Object> current = shortLogin();
            for (int i = 0; i < 3; i++) { // active every 50 minutes: at 50, 100 and 150 min
                f.clock.advance(Duration.ofMinutes(50));
                EndpointResponse r = shortRefresh(rt(current));
                assertEquals(200, r.status(), "refresh " + i);
                current = json(r);
            }
            assertEquals(30L * 60, current.get("refresh_token_expires_in"), "at 150 min the idle expiry is capped at 180 min");
            f.clock.advance(Duration.ofMinutes(50));
            assertEquals("invalid_grant", error(shortRefresh(rt(current))), "an active session still ends at the absolute lifetime");
        }

        @Test
        void absoluteLifetimeEdgeIsExact() {
            Map<String, Object> current = shortLogin();
            for (int i = 0; i < 3; i++) {
                f.clock.advance(Duration.ofMinutes(59));
                current = json(shortRefresh(rt(current)));
            }
            // 177 min in: the idle expiry (177 + 60) is capped at the absolute expiry, 180 min
            assertEquals(3L * 60, ((Number) current.get("refresh_token_expires_in")).longValue());
            f.clock.advance(Duration.ofMinutes(3).minusSeconds(1));
            current = json(shortRefresh(rt(current)));
            assertEquals(1L, current.get("refresh_token_expires_in"));
            f.clock.advance(Duration.ofSeconds(1));
            assertEquals("invalid_grant", error(shortRefresh(rt(current))), "at exactly the absolute expiry");
        }
    }

    @Nested
    class RetryWindow {
        @Test
        void retriedRefreshWithinTheWindowGetsTheSameSuccessorAndAFreshAccessToken() {
            Map<String, Object> login = f.login();
            Map<String, Object> lost = json(f.refresh(rt(login)));
            f.clock.advance(Duration.ofSeconds(9));
            Map<String, Object> retried = json(f.refresh(rt(login)));
            assertEquals(rt(lost), rt(retried), "same successor: a lost response does not log the user out");
            assertNotEquals(at(lost), at(retried));
            assertTrue(f.validator.validate(at(retried)).isValid());
            assertEquals(1, f.events(TokenEvent.Refreshed.class).stream().filter(TokenEvent.Refreshed::retry).count());
            assertEquals(200, f.refresh(rt(retried)).status(), "and the successor works");
        }

        @Test
        void retryAtTheEndOfTheWindowIsReuse() {
            Map<String, Object> login = f.login();
            f.refresh(rt(login));
            f.clock.advance(Duration.ofSeconds(10));
            assertEquals("invalid_grant", error(f.refresh(rt(login))));
            assertEquals(1, f.events(TokenEvent.ReuseDetected.class).size());
        }

        @Test
        void afterTheSuccessorIsUsedTheSameReplayIsReuse() {
            Map<String, Object> login = f.login();
            Map<String, Object> second = json(f.refresh(rt(login)));
            Map<String, Object> third = json(f.refresh(rt(second)));
            f.clock.advance(Duration.ofSeconds(1));
            EndpointResponse replay = f.refresh(rt(login));
            assertEquals("invalid_grant", error(replay));
            assertEquals(1, f.events(TokenEvent.ReuseDetected.class).size());
            assertEquals("invalid_grant", error(f.refresh(rt(third))), "the whole family is revoked");
            assertEquals(FailureReason.REVOKED, f.validator.validate(at(third)).failure().orElseThrow());
        }

        @Test
        void windowZeroMakesAnyReplayReuse() {
            Map<String, Object> login = f.login("no-retry", "no-retry-secret", "alice");
            EndpointResponse first = f.endpoint.token(post("no-retry", "no-retry-secret", "grant_type", "refresh_token", "refresh_token", rt(login)));
            assertEquals(200, first.status());
            EndpointResponse replay = f.endpoint.token(post("no-retry", "no-retry-secret", "grant_type", "refresh_token", "refresh_token", rt(login)));
            assertEquals("invalid_grant", error(replay));
            assertEquals(1, f.events(TokenEvent.ReuseDetected.class).size());
        }
    }

    @Nested
    class Reuse {
        @Test
        void reuseRevokesThatFamilyOnlyAndCutsItsAccessTokens() {
            Map<String, Object> laptop = f.login();
            Map<String, Object> phone = f.login();
            Map<String, Object> laptop2 = json(f.refresh(rt(laptop)));
            f.clock.advance(Duration.ofSeconds(11));
            assertEquals("invalid_grant", error(f.refresh(rt(laptop)))); // a thief replays the old laptop token

            TokenEvent.ReuseDetected event = f.events(TokenEvent.ReuseDetected.class).get(0);
            assertEquals("alice", event.subject());
            assertEquals("demo-client", event.clientId());
            assertEquals("127.0.0.1", event.remoteAddress());
            String laptopFamily = event.familyId();
            assertEquals(FamilyState.REVOKED, f.store.findFamily(laptopFamily).orElseThrow().state());
            assertEquals("reuse_detected", f.store.findFamily(laptopFamily).orElseThrow().revokedReason());

            assertEquals(FailureReason.REVOKED, f.validator.validate(at(laptop2)).failure().orElseThrow(), "laptop access token cut");
            assertTrue(f.validator.validate(at(phone)).isValid(), "the phone's access token lives");
            assertEquals(200, f.refresh(rt(phone)).status(), "the phone's session lives");
        }

        @Test
        void anyEarlierTokenOfALiveFamilyIsReuseHoweverManyRefreshesAgoAndHoweverLongAgo() {
            List<String> tokens = new ArrayList<>(List.of(rt(f.login())));
            for (int i = 0; i < 50; i++) {
                f.clock.advance(Duration.ofHours(6)); // 300 hours: far beyond any retention of rotated tokens
                tokens.add(rt(json(f.refresh(tokens.get(tokens.size() - 1)))));
            }
            String familyId = f.service.familyOf(tokens.get(50)).orElseThrow().familyId();
            assertFalse(f.service.find(tokens.get(3)).orElseThrow().live(), "known as the family's, not its live token");
            assertEquals("invalid_grant", error(f.refresh(tokens.get(3))));
            assertEquals(FamilyState.REVOKED, f.store.findFamily(familyId).orElseThrow().state());
            assertEquals(familyId, f.events(TokenEvent.ReuseDetected.class).get(0).familyId());
            assertEquals("invalid_grant", error(f.refresh(tokens.get(50))), "the thief's or the user's live token: both dead");
        }
    }

    /** From an attacker's side: tokens this server never made are merely invalid, whatever they name. */
    @Nested
    class Forgery {
        @Test
        void aTokenWithOneCharacterChangedIsInvalidAndRevokesNothing() {
            Map<String, Object> login = f.login();
            String old = rt(login);
            String live = rt(json(f.refresh(old)));
            f.clock.advance(Duration.ofSeconds(11));
            for (String token : List.of(old, live)) {
                for (int i = 0; i < token.length(); i += 7) {
                    char c = token.charAt(i);
                    assertEquals("invalid_grant", error(f.refresh(token.substring(0, i) + (c == 'x' ? 'y' : 'x') + token.substring(i + 1))));
                }
            }
            assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty(), "a forged earlier token is not reuse");
            assertEquals(200, f.refresh(live).status(), "the session lives on");
        }

        @Test
        void aTokenNamingARealFamilyUnderAnotherSecretIsInvalidAndRevokesNothing() {
            Map<String, Object> login = f.login();
            String familyId = f.service.familyOf(rt(login)).orElseThrow().familyId(); // public: the access token's sid
            String live = rt(json(f.refresh(rt(login)))); // generation 1: a genuine generation 0 would now be reuse
            f.clock.advance(Duration.ofSeconds(11));
            RefreshTokenHasher attacker = new RefreshTokenHasher(RefreshTokenHasher.generateSecret("s1"), List.of());
            assertEquals("invalid_grant", error(f.refresh(attacker.firstToken(familyId))));
            assertEquals("invalid_grant", error(f.refresh(attacker.successorOf(rt(login), familyId, 0, "s1"))));
            assertTrue(f.service.find(attacker.firstToken(familyId)).isEmpty());
            assertEquals(FamilyState.ACTIVE, f.store.findFamily(familyId).orElseThrow().state());
            assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
            assertEquals(200, f.refresh(live).status());
        }

        @Test
        void aStoreThatFoldsTheCaseOfFamilyIdsCannotLendOneFamilysRowToAnother() {
            // MariaDB compares FAMILY_ID ignoring case: a token naming "ABC" must not be judged against family "abc"
            io.tokengate.core.support.FaultyStore folding = new io.tokengate.core.support.FaultyStore() {
                @Override
                public java.util.Optional<FamilyAndToken> findFamilyAndToken(String familyId) {
                    return super.findFamilyAndToken(familyId.toLowerCase(java.util.Locale.ROOT));
                }
            };
            io.tokengate.core.support.EndpointFixture fx = new io.tokengate.core.support.EndpointFixture(folding, List.of());
            RefreshTokenFamily lower = new RefreshTokenFamily("abc", "alice", "demo-client", Set.of("read"), Set.of(), null,
                    fx.clock.instant(), fx.clock.instant(), fx.clock.instant().plus(Duration.ofDays(1)), fx.clock.instant().plus(Duration.ofDays(2)),
                    FamilyState.ACTIVE, null, null, null, null);
            folding.delegate.createFamily(lower, new CurrentToken(5, "h".repeat(43), "s1", fx.clock.instant()));
            String namingUpper = fx.hasher.successorOf("x".repeat(43), "ABC", 1, "s1"); // genuine tag, generation 1 < 5 of "abc"
            assertEquals("invalid_grant", error(fx.refresh(namingUpper)));
            assertEquals(FamilyState.ACTIVE, folding.delegate.findFamily("abc").orElseThrow().state(), "not taken as reuse of abc");
            assertTrue(fx.service.find(namingUpper).isEmpty());
        }

        @Test
        void withTheSecretButWithoutTheLiveTokenNoTokenRefreshesAndNoneAheadRevokes() {
            // what a leaked hashing secret alone gives: tokens with right tags, but never the live token's unguessable part
            // (an earlier generation made with it would be taken as reuse: README, "Keep the refresh-token secrets secret")
            Map<String, Object> login = f.login();
            String familyId = f.service.familyOf(rt(login)).orElseThrow().familyId();
            assertEquals("invalid_grant", error(f.refresh(f.hasher.firstToken(familyId))), "generation 0 again, another body");
            assertEquals("invalid_grant", error(f.refresh(f.hasher.successorOf("x".repeat(43), familyId, 1, "s1"))),
                    "a generation the family has not reached");
            assertTrue(f.service.find(f.hasher.firstToken(familyId)).isEmpty(), "nor is either known to introspection or revocation");
            assertEquals(FamilyState.ACTIVE, f.store.findFamily(familyId).orElseThrow().state());
            assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
            assertEquals(200, f.refresh(rt(login)).status());
        }
    }

    @Nested
    class ReuseHardening {
        @Test
        void replayWithAWiderScopeIsStillReuse() {
            Map<String, Object> login = f.login();
            f.refresh(rt(login));
            f.clock.advance(Duration.ofSeconds(60));
            EndpointResponse probe = f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token",
                    "refresh_token", rt(login), "scope", "admin"));
            assertEquals("invalid_grant", error(probe), "no scope oracle for a retired token");
            assertEquals(1, f.events(TokenEvent.ReuseDetected.class).size());
        }

        @Test
        void retryWithAWiderScopeIsInvalidScopeAndKeepsTheFamily() {
            Map<String, Object> login = json(f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "password",
                    "username", "alice", "password", "alice-password", "scope", "read")));
            Map<String, Object> second = json(f.refresh(rt(login)));
            EndpointResponse retry = f.endpoint.token(post("demo-client", "demo-secret", "grant_type", "refresh_token",
                    "refresh_token", rt(login), "scope", "write"));
            assertEquals("invalid_scope", error(retry));
            assertEquals(200, f.refresh(rt(second)).status());
        }

        @Test
        void accessTokenMintedWhileTheFamilyIsBeingRevokedIsRefused() {
            io.tokengate.core.support.FaultyStore store = new io.tokengate.core.support.FaultyStore();
            EndpointFixture fx = new EndpointFixture(store, List.of());
            Map<String, Object> login = fx.login();
            String familyId = fx.service.familyOf(rt(login)).orElseThrow().familyId();
            store.afterRotate = () -> {
                // an administrator revokes the device between the rotation and the minting
                fx.clock.advance(Duration.ofSeconds(1));
                fx.service.revokeFamily(familyId, "admin");
            };
            EndpointResponse r = fx.refresh(rt(login));
            assertEquals(200, r.status());
            assertEquals(FailureReason.REVOKED, fx.validator.validate(at(json(r))).failure().orElseThrow());
        }

        @Test
        void reuseWhenTheRevocationRegistryFailsStillRevokesAndALaterRequestCutsTheAccessTokens() {
            java.util.concurrent.atomic.AtomicBoolean registryDown = new java.util.concurrent.atomic.AtomicBoolean();
            io.tokengate.core.revocation.RevocationRegistry flaky = new io.tokengate.core.revocation.RevocationRegistry() {
                public void revokeAccessToken(String jti, java.time.Instant exp) {
                    f.revocation.revokeAccessToken(jti, exp);
                }

                public void revokeSubject(String subject, java.time.Instant nb) {
                    f.revocation.revokeSubject(subject, nb);
                }

                public void revokeFamily(String familyId, java.time.Instant nb) {
                    if (registryDown.get()) {
                        throw new IllegalStateException("cache down");
                    }
                    f.revocation.revokeFamily(familyId, nb);
                }

                public boolean isRevoked(String jti, String subject, String familyId, java.time.Instant iat) {
                    return f.revocation.isRevoked(jti, subject, familyId, iat);
                }
            };
            RefreshTokenService service = new RefreshTokenService(f.store, f.hasher, f.issuer, flaky, f.events::add, f.clock);
            var client = f.clients.find("demo-client").orElseThrow();
            TokenPair first = service.issue(new RefreshTokenService.Grant(client, "password", "alice", Set.of(), Set.of("read"),
                    null, null, null));
            TokenPair second = refreshed(service.refresh(client, first.refreshToken(), null, null));
            f.clock.advance(Duration.ofSeconds(11));
            registryDown.set(true);
            assertEquals(rejected(RefreshOutcome.Reason.REUSED), service.refresh(client, first.refreshToken(), null, null));
            assertEquals(FamilyState.REVOKED, f.store.findFamily(first.familyId()).orElseThrow().state(), "revoked in the store anyway");
            assertTrue(f.validator.validate(second.accessToken().value()).isValid(), "not cut yet: the registry was down");
            registryDown.set(false);
            assertEquals(rejected(RefreshOutcome.Reason.REVOKED), service.refresh(client, second.refreshToken(), null, null));
            assertEquals(FailureReason.REVOKED, f.validator.validate(second.accessToken().value()).failure().orElseThrow(),
                    "the next request with a token of the family cut them");
        }

        @Test
        void scopesTheClientHasLostAreNotRefreshedAnyMore() {
            Map<String, Object> login = f.login();
            io.tokengate.core.client.ClientRegistration reduced = io.tokengate.core.client.ClientRegistration.builder("demo-client")
                    .secret("demo-secret").grants(io.tokengate.core.client.GrantType.PASSWORD, io.tokengate.core.client.GrantType.REFRESH_TOKEN)
                    .scopes(Set.of("read")).build();
            TokenPair pair = refreshed(f.service.refresh(reduced, rt(login), null, null));
            assertEquals(Set.of("read"), pair.scopes());
        }

        @Test
        void retryServedByAServerThatDoesNotKnowTheNewSecretIsTemporarilyUnavailable() {
            Map<String, Object> login = f.login();
            // server A already makes s2 current and rotates the token
            RefreshTokenHasher a = new RefreshTokenHasher(RefreshTokenHasher.generateSecret("s2"), List.of(f.secret));
            RefreshTokenService serverA = new RefreshTokenService(f.store, a, f.issuer, f.revocation, null, f.clock);
            var client = f.clients.find("demo-client").orElseThrow();
            serverA.refresh(client, rt(login), null, null);
            // the lost response is retried on server B, which knows only s1
            assertEquals(rejected(RefreshOutcome.Reason.SECRET_UNKNOWN_HERE), f.service.refresh(client, rt(login), null, null),
                    "a rejection the endpoint answers as temporarily_unavailable");
            assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
        }
    }

    @Nested
    class Revocation {
        @Test
        void logoutEverywhereRevokesEveryFamilyOfTheUserAndTheirAccessTokens() {
            Map<String, Object> a1 = f.login();
            Map<String, Object> a2 = f.login("other-client", "other-secret", "alice");
            Map<String, Object> bob = f.login("demo-client", "demo-secret", "bob");
            List<String> ids = f.service.revokeSubject("alice", "alice");
            assertEquals(2, ids.size());
            assertEquals("invalid_grant", error(f.refresh(rt(a1))));
            assertEquals(FailureReason.REVOKED, f.validator.validate(at(a1)).failure().orElseThrow());
            assertEquals(FailureReason.REVOKED, f.validator.validate(at(a2)).failure().orElseThrow());
            assertTrue(f.validator.validate(at(bob)).isValid());
            assertEquals(200, f.refresh(rt(bob)).status());
            TokenEvent.Revoked event = f.events(TokenEvent.Revoked.class).get(0);
            assertEquals(TokenEvent.Target.SUBJECT, event.target());
            assertEquals("alice", event.by());
        }

        @Test
        void signingInAgainInTheSameSecondAsLogoutEverywhereGivesTokensThatWork() {
            Map<String, Object> before = f.login();
            f.service.revokeSubject("alice", "alice");
            f.clock.advance(java.time.Duration.ofMillis(1)); // the same second as the revocation, just after it
            Map<String, Object> after = f.login();
            assertEquals(FailureReason.REVOKED, f.validator.validate(at(before)).failure().orElseThrow());
            assertTrue(f.validator.validate(at(after)).isValid(), "a token issued after the revocation is not born revoked");
            EndpointResponse refreshed = f.refresh(rt(after));
            assertEquals(200, refreshed.status());
            assertTrue(f.validator.validate((String) json(refreshed).get("access_token")).isValid());
        }

        @Test
        void aSignOutEverywhereLandingDuringARefreshCoversTheTokenThatRefreshMints() {
            io.tokengate.core.support.FaultyStore store = new io.tokengate.core.support.FaultyStore();
            EndpointFixture g = new EndpointFixture(store, List.of());
            Map<String, Object> login = g.login();
            store.afterRotate = () -> { // the admin acts after the rotation committed, before the access token is minted
                g.clock.advance(java.time.Duration.ofMillis(1));
                g.service.revokeSubject("alice", "admin");
            };
            EndpointResponse refreshed = g.refresh(rt(login));
            store.afterRotate = () -> { };
            assertEquals(200, refreshed.status(), "the rotation committed before the revocation");
            assertEquals(FailureReason.REVOKED, g.validator.validate((String) json(refreshed).get("access_token")).failure().orElseThrow(),
                    "a token minted for a grant that began before the revocation is covered by it");
        }

        @Test
        void revokingAClientRevokesEveryFamilyOfThatClient() {
            Map<String, Object> alice = f.login();
            Map<String, Object> bob = f.login("demo-client", "demo-secret", "bob");
            Map<String, Object> other = f.login("other-client", "other-secret", "alice");
            assertEquals(2, f.service.revokeClient("demo-client", "admin").size());
            assertEquals("invalid_grant", error(f.refresh(rt(alice))));
            assertEquals("invalid_grant", error(f.refresh(rt(bob))));
            assertEquals(FailureReason.REVOKED, f.validator.validate(at(bob)).failure().orElseThrow());
            assertTrue(f.validator.validate(at(other)).isValid());
        }

        @Test
        void revokingOneFamilyLeavesTheUsersOtherDevices() {
            Map<String, Object> laptop = f.login();
            Map<String, Object> phone = f.login();
            String laptopFamily = f.validator.validate(at(laptop)).principal().orElseThrow().familyId().orElseThrow();
            assertTrue(f.service.revokeFamily(laptopFamily, "alice"));
            assertEquals("invalid_grant", error(f.refresh(rt(laptop))));
            assertEquals(200, f.refresh(rt(phone)).status());
        }
    }

    @Nested
    class SecretRotation {
        @Test
        void tokensHashedUnderAnOlderSecretStillRefreshAfterTheSecretRotates() {
            Map<String, Object> login = f.login();
            // a restart with a new current secret, the old one kept for lookups
            RefreshTokenHasher rotated = new RefreshTokenHasher(RefreshTokenHasher.generateSecret("s2"), List.of(f.secret));
            RefreshTokenService service = new RefreshTokenService(f.store, rotated, f.issuer, f.revocation, null, f.clock);
            assertTrue(service.find(rt(login)).orElseThrow().live());
            TokenPair pair = refreshed(service.refresh(f.clients.find("demo-client").orElseThrow(), rt(login), null, "127.0.0.1"));
            assertEquals("s2", f.store.findFamilyAndToken(pair.familyId()).orElseThrow().token().secretId(), "new hashes use the new secret");
            assertEquals("s2", rotated.decode(pair.refreshToken()).orElseThrow().secretId(), "and so do new tags");
            RefreshTokenHasher withoutOld = new RefreshTokenHasher(RefreshTokenHasher.generateSecret("s3"), List.of());
            assertTrue(new RefreshTokenService(f.store, withoutOld, f.issuer, f.revocation, null, f.clock).find(pair.refreshToken()).isEmpty(),
                    "a secret that is dropped takes its tokens with it");
        }
    }

    @Nested
    class Concurrency {
        @Test
        void thirtyTwoThreadsTimesTwoHundredRoundsGiveExactlyOneSuccessorPerRound() throws Exception {
            String token = rt(f.login());
            int threads = 32;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 200; round++) {
                    String presented = token;
                    Set<String> successors = f.refreshConcurrently(presented, threads, pool);
                    assertEquals(1, successors.size(), "round " + round + ": every caller got the one successor");
                    token = successors.iterator().next();
                    KnownToken old = f.service.find(presented).orElseThrow();
                    assertFalse(old.live());
                    assertEquals(round + 1, f.hasher.decode(token).orElseThrow().generation());
                    assertTrue(f.service.find(token).orElseThrow().live());
                }
            } finally {
                pool.shutdownNow();
            }
            RefreshTokenFamily family = f.service.familyOf(token).orElseThrow();
            assertEquals(FamilyState.ACTIVE, family.state());
            assertEquals(1, ((InMemoryRefreshTokenStore) f.store).familyCount(), "one family, whatever the rounds");
            assertEquals(200, f.store.findFamilyAndToken(family.familyId()).orElseThrow().token().generation());
            assertTrue(f.events(TokenEvent.ReuseDetected.class).isEmpty());
        }
    }

    @Test
    void cleanupDeletesFamiliesThatCanNeverRefreshAndEmitsAnEvent() {
        Map<String, Object> expired = f.login("short", "short-secret", "alice");
        Map<String, Object> revoked = f.login();
        Map<String, Object> live = f.login();
        f.service.revokeFamily(f.service.familyOf(rt(revoked)).orElseThrow().familyId(), "admin");
        f.clock.advance(Duration.ofHours(2)); // "short" idles out after 1 h
        assertEquals(1, f.service.cleanUp(Duration.ofDays(7), 100), "the revoked family is kept a while to recognise reuse");
        assertTrue(f.service.find(rt(expired)).isEmpty());
        assertTrue(f.service.find(rt(revoked)).isPresent());
        f.clock.advance(Duration.ofDays(7));
        assertEquals(1, f.service.cleanUp(Duration.ofDays(7), 100));
        assertTrue(f.service.find(rt(revoked)).isEmpty());
        assertEquals(200, f.refresh(rt(live)).status());
        assertEquals(List.of(1, 1), f.events(TokenEvent.CleanedUp.class).stream().map(TokenEvent.CleanedUp::families).toList());
        assertEquals(0, f.service.cleanUp(Duration.ofDays(7), 100));
        assertEquals(2, f.events(TokenEvent.CleanedUp.class).size(), "no event when nothing was deleted");
    }

    @Test
    void clientWithoutRefreshTokenGrantGetsNoRefreshToken() {
        Map<String, Object> r = json(f.endpoint.token(post("service", "service-secret", "grant_type", "client_credentials")));
        assertNull(r.get("refresh_token"));
        assertNull(r.get("refresh_token_expires_in"));
        assertFalse(r.containsKey("refresh_token"));
    }

    private static TokenPair refreshed(RefreshOutcome outcome) {
        return org.junit.jupiter.api.Assertions.assertInstanceOf(RefreshOutcome.Refreshed.class, outcome, String.valueOf(outcome)).pair();
    }

    private static RefreshOutcome rejected(RefreshOutcome.Reason reason) {
        return new RefreshOutcome.Rejected(reason);
    }
}
