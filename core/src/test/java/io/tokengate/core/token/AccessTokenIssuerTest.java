package io.tokengate.core.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.Test;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.support.TestKeys;
import io.tokengate.core.validation.AccessTokenPrincipal;

class AccessTokenIssuerTest {
    private final Fixture f = Fixture.rs256();

    /** Reads a token's header and claims after checking its signature with the fixture's key. */
    private JsonWebSignature parse(String token) throws Exception {
        JsonWebSignature jws = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(token);
        jws.setKey(f.key.publicKey());
        assertTrue(jws.verifySignature());
        return jws;
    }

    @Test
    void headerIsTypAtJwtWithTheActiveKeysKidAndAlgorithm() throws Exception {
        JsonWebSignature jws = parse(f.mint());
        assertEquals("at+jwt", jws.getHeader("typ"));
        assertEquals(f.key.kid(), jws.getKeyIdHeaderValue());
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
    }

    @Test
    void carriesTheRfc9068Claims() throws Exception {
        Instant authTime = Instant.parse("2026-11-27T09:59:00Z");
        IssuedAccessToken issued = f.issuer.issue(f.request().authTime(authTime).familyId("fam-9").build());
        JwtClaims c = JwtClaims.parse(parse(issued.value()).getPayload());
        assertEquals(Fixture.ISSUER, c.getIssuer());
        assertEquals("alice", c.getSubject());
        assertEquals(List.of(Fixture.AUDIENCE), c.getAudience());
        assertEquals("demo-client", c.getStringClaimValue("client_id"));
        assertEquals("read", c.getStringClaimValue("scope"));
        assertEquals(List.of("user"), c.getStringListClaimValue("groups"));
        assertEquals(f.clock.instant().getEpochSecond(), c.getIssuedAt().getValue());
        assertEquals(f.clock.instant().getEpochSecond() + 300, c.getExpirationTime().getValue());
        assertEquals(issued.jti(), c.getJwtId());
        assertEquals(authTime.getEpochSecond(), ((Number) c.getClaimValue("auth_time")).longValue());
        assertEquals("fam-9", c.getStringClaimValue("sid"));
        assertEquals(300, issued.expiresInSeconds());
    }

    @Test
    void everyTokenHasItsOwnJti() {
        assertFalse(f.issuer.issue(f.request().build()).jti().equals(f.issuer.issue(f.request().build()).jti()));
    }

    /** One home for a client's lifetime: its registration, carried by the request; the issuer has the default only. */
    @Test
    void defaultLifetimeIsFiveMinutesAndARequestMayCarryAClientsOwn() {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        KeyRing ring = new KeyRing(KeySet.of(TestKeys.shared(SigningAlgorithm.RS256)), clock, Duration.ofMinutes(16));
        AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(ring).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).build();
        assertEquals(Duration.ofMinutes(5), issuer.defaultLifetime());
        assertEquals(300, issuer.issue(AccessTokenRequest.builder("alice", "demo-client").build()).expiresInSeconds());
        assertEquals(900, issuer.issue(AccessTokenRequest.builder("alice", "batch-job").lifetime(Duration.ofMinutes(15)).build())
                .expiresInSeconds());
    }

    @Test
    void groupsClaimNameIsConfigurable() throws Exception {
        AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .groupsClaim("roles").build();
        JwtClaims c = JwtClaims.parse(parse(issuer.issue(f.request().build()).value()).getPayload());
        assertEquals(List.of("user"), c.getStringListClaimValue("roles"));
        assertFalse(c.hasClaim("groups"));
    }

    @Test
    void registeredClaimCannotBeTheGroupsClaim() {
        assertThrows(IllegalArgumentException.class, () -> AccessTokenIssuer.builder().groupsClaim("sub"));
    }

    @Test
    void claimsCustomizerAddsClaimsThatTheValidatorExposes() {
        AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .claimsCustomizer(r -> Map.of("tenant", "acme-" + r.subject())).build();
        AccessTokenPrincipal p = f.validator.validate(issuer.issue(f.request().build()).value()).principal().orElseThrow();
        assertEquals("acme-alice", p.claims().get("tenant"));
    }

    @Test
    void claimsCustomizerCannotReplaceRegisteredClaims() {
        for (String reserved : List.of("sub", "iss", "exp", "client_id", "scope", "sid", "groups")) {
            AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                    .claimsCustomizer(r -> Map.of(reserved, "admin")).build();
            assertThrows(IllegalArgumentException.class, () -> issuer.issue(f.request().build()), reserved);
        }
    }

    @Test
    void requestAudienceReplacesTheDefault() throws Exception {
        JwtClaims c = JwtClaims.parse(parse(f.issuer.issue(f.request().audience(List.of("a", "b")).build()).value()).getPayload());
        assertEquals(List.of("a", "b"), c.getAudience());
    }

    @Test
    void nextKeyDoesNotSignBeforeRotation() throws Exception {
        f.keyRing.stageNext(TestKeys.shared(SigningAlgorithm.ES256));
        assertEquals(f.key.kid(), parse(f.mint()).getKeyIdHeaderValue());
    }

    @Test
    void scopeWithSpaceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AccessTokenRequest.builder("a", "c").scopes(Set.of("read write")));
    }

    @Test
    void issuerAndAudienceAreRequired() {
        assertThrows(IllegalArgumentException.class, () -> AccessTokenIssuer.builder().keyRing(f.keyRing).audience("x").build());
        assertThrows(IllegalArgumentException.class, () -> AccessTokenIssuer.builder().keyRing(f.keyRing).issuer("x").build());
    }
}
