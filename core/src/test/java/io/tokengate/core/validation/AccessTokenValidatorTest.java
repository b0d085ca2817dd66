package io.tokengate.core.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.Forge;
import io.tokengate.core.support.TestKeys;

class AccessTokenValidatorTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(SigningAlgorithm.class)
    void tokenMintedWithEachAlgorithmValidates(SigningAlgorithm algorithm) {
        Fixture f = new Fixture(algorithm);
        ValidationResult result = f.validator.validate(f.mint());
        assertTrue(result.isValid(), () -> algorithm + " refused: " + result.failure());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SigningAlgorithm.class)
    void flippedSignatureBitIsRefusedForEachAlgorithm(SigningAlgorithm algorithm) {
        Fixture f = new Fixture(algorithm);
        String token = f.mint();
        int dot = token.lastIndexOf('.');
        char c = token.charAt(dot + 3);
        String tampered = token.substring(0, dot + 3) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 4);
        assertEquals(FailureReason.BAD_SIGNATURE, f.validator.validate(tampered).failure().orElseThrow());
    }

    @Test
    void principalExposesSubjectClientScopesGroupsAndTimes() {
        Fixture f = Fixture.rs256();
        Instant authTime = Instant.parse("2026-11-27T09:00:00Z");
        String token = f.issuer.issue(f.request().scopes(List.of("write")).groups(Set.of("admin")).authTime(authTime).familyId("fam-1").build()).value();
        AccessTokenPrincipal p = f.validator.validate(token).principal().orElseThrow();
        assertEquals("alice", p.getName());
        assertEquals("alice", p.subject());
        assertEquals("demo-client", p.clientId());
        assertEquals(Set.of("read", "write"), p.scopes());
        assertTrue(p.hasScope("write"));
        assertEquals(Set.of("user", "admin"), p.groups());
        assertEquals(f.clock.instant(), p.issuedAt());
        assertEquals(f.clock.instant().plusSeconds(300), p.expiresAt());
        assertEquals(authTime, p.authTime().orElseThrow());
        assertEquals("fam-1", p.familyId().orElseThrow());
        assertEquals("demo-client", p.claims().get("client_id"));
        assertThrows(UnsupportedOperationException.class, () -> p.claims().put("sub", "mallory"));
    }

    @Test
    void claimsAreReadOnlyAllTheWayDown() {
        Fixture f = Fixture.rs256();
        AccessTokenPrincipal p = f.validator.validate(f.mint()).principal().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) p.claims().get("groups");
        assertThrows(UnsupportedOperationException.class, () -> groups.add("admin"));
        assertThrows(UnsupportedOperationException.class, () -> p.groups().add("admin"));
    }

    @Test
    void aHeaderSeenBeforeHasItsKeyAndSignatureCheckedAgainForEveryToken() {
        // the validator keeps the parsed headers of accepted tokens; the key they name must still verify at each use
        Fixture f = new Fixture(TestKeys.shared(SigningAlgorithm.RS256), false);
        AccessTokenValidator uncached = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .revocationRegistry(f.revocation).verifiedTokenCacheSize(0).build();
        String first = f.mint();
        String header = first.substring(0, first.indexOf('.') + 1);
        String headerJson = new String(java.util.Base64.getUrlDecoder().decode(first.substring(0, first.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(uncached.validate(first).isValid());
        String forged = f.forge().rawHeader(headerJson).withSignature(new byte[256]);
        assertTrue(forged.startsWith(header), "the same header");
        assertEquals(FailureReason.BAD_SIGNATURE, uncached.validate(forged).failure().orElseThrow());

        f.keyRing.stageNext(TestKeys.shared(SigningAlgorithm.ES256));
        f.keyRing.rotate();
        String second = f.forgeSigned(f.forge().rawHeader(headerJson));
        assertTrue(second.startsWith(header));
        assertTrue(uncached.validate(second).isValid(), "the previous key verifies within its window");
        f.clock.advance(java.time.Duration.ofMinutes(6));
        assertEquals(FailureReason.UNKNOWN_KEY, uncached.validate(f.forgeSigned(f.forge().rawHeader(headerJson))).failure().orElseThrow());
    }

    @Test
    void aHeaderThatMerelyStartsLikeAKnownOneIsReadForItself() {
        Fixture f = Fixture.rs256();
        String known = f.mint();
        assertTrue(f.validator.validate(known).isValid(), "its header is now known");
        String segment = known.substring(0, known.indexOf('.'));
        String payload = known.substring(known.indexOf('.') + 1, known.lastIndexOf('.'));
        String longer = segment + "AAAA"; // the known header, then three more (zero) bytes after its closing brace
        String input = longer + "." + payload;
        String token = input + "." + Forge.b64(Forge.jcaSign("RS256", f.key.privateKey().orElseThrow(),
                input.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(FailureReason.MALFORMED, f.validator.validate(token).failure().orElseThrow(),
                "validly signed, but its header is not JSON: it must not pass as the known one");
    }

    @Test
    void ecdsaSignaturesOutsideTheCurveOrderNeverReachTheJca() {
        java.math.BigInteger n = new java.math.BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
        assertTrue(SignatureVerifier.ecdsaInRange(rs(java.math.BigInteger.ONE, n.subtract(java.math.BigInteger.ONE)), 64));
        assertFalse(SignatureVerifier.ecdsaInRange(rs(java.math.BigInteger.ZERO, java.math.BigInteger.ONE), 64), "r = 0");
        assertFalse(SignatureVerifier.ecdsaInRange(rs(java.math.BigInteger.ONE, java.math.BigInteger.ZERO), 64), "s = 0");
        assertFalse(SignatureVerifier.ecdsaInRange(rs(n, java.math.BigInteger.ONE), 64), "r = n");
        assertFalse(SignatureVerifier.ecdsaInRange(rs(java.math.BigInteger.ONE, n), 64), "s = n");
        assertFalse(SignatureVerifier.ecdsaInRange(new byte[63], 63));
        assertFalse(SignatureVerifier.ecdsaInRange(new byte[65], 65));
    }

    /** r || s, 32 bytes each, unsigned big-endian. */
    private static byte[] rs(java.math.BigInteger r, java.math.BigInteger s) {
        byte[] out = new byte[64];
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        System.arraycopy(rb, Math.max(0, rb.length - 32), out, 32 - Math.min(32, rb.length), Math.min(32, rb.length));
        System.arraycopy(sb, Math.max(0, sb.length - 32), out, 64 - Math.min(32, sb.length), Math.min(32, sb.length));
        return out;
    }

    @Test
    void numericDatesBeyondAnyCalendarAreMalformedNotOverflowed() {
        Fixture f = Fixture.rs256();
        long now = f.clock.instant().getEpochSecond();
        assertEquals(FailureReason.MALFORMED, f.validator.validate(f.forgeSigned(f.forge().claim("exp", Long.MAX_VALUE)
                .claim("iat", Long.MIN_VALUE + 10))).failure().orElseThrow());
        assertEquals(FailureReason.MALFORMED, f.validator.validate(f.forgeSigned(f.forge().claim("exp", 1e300))).failure().orElseThrow());
        assertEquals(FailureReason.MALFORMED, f.validator.validate(f.forgeSigned(f.forge().claim("iat", -now * 1000))).failure().orElseThrow());
        assertTrue(f.validator.validate(f.forgeSigned(f.forge().claim("exp", (double) now + 60.9))).isValid(), "a fraction is truncated");
    }

    @Test
    void scopeIsSplitOnSpacesIgnoringRunsOfThem() {
        Fixture f = Fixture.rs256();
        assertEquals(Set.of("read", "write"), f.validator.validate(f.forgeSigned(f.forge().claim("scope", " read  write ")))
                .principal().orElseThrow().scopes());
        assertEquals(Set.of(), f.validator.validate(f.forgeSigned(f.forge().claim("scope", "   "))).principal().orElseThrow().scopes());
    }

    @Test
    void blankSubjectOrJtiIsRefused() {
        Fixture f = Fixture.rs256();
        assertEquals(FailureReason.MISSING_CLAIM, f.validator.validate(f.forgeSigned(f.forge().claim("sub", " "))).failure().orElseThrow());
        assertEquals(FailureReason.MISSING_CLAIM, f.validator.validate(f.forgeSigned(f.forge().claim("jti", " "))).failure().orElseThrow());
    }

    @Test
    void registryThatFailsRefusesTheTokenInsteadOfSkippingTheCheck() {
        Fixture f = Fixture.rs256();
        RevocationRegistry broken = new RevocationRegistry() {
            public void revokeAccessToken(String jti, Instant expiresAt) { }
            public void revokeSubject(String subject, Instant notBefore) { }
            public void revokeFamily(String familyId, Instant notBefore) { }
            public boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt) {
                throw new IllegalStateException("cache cluster unreachable");
            }
        };
        AccessTokenValidator v = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .revocationRegistry(broken).build();
        assertEquals(FailureReason.REVOCATION_UNAVAILABLE, v.validate(f.mint()).failure().orElseThrow());
    }

    @Test
    void registryThatForgetsSoonerThanTokensLiveIsRefusedAtBuild() {
        Fixture f = Fixture.rs256();
        var shortMemory = new io.tokengate.core.revocation.InMemoryRevocationRegistry(f.clock, java.time.Duration.ofMinutes(5),
                java.time.Duration.ofSeconds(30));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessTokenValidator.builder()
                .keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).revocationRegistry(shortMemory).build());
        assertTrue(e.getMessage().contains("revoked tokens would be accepted again"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE).revocationRegistry(f.revocation).clockSkew(java.time.Duration.ofMinutes(2)).build());
        AccessTokenValidator matching = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE).revocationRegistry(shortMemory).maxTokenLifetime(java.time.Duration.ofMinutes(5)).build();
        assertTrue(matching.validate(f.mint()).isValid());
    }

    @Test
    void logoutEverywhereHoldsForTheWholeLifetimeOfTheLongestAcceptedToken() {
        Fixture f = Fixture.rs256();
        String hourLong = f.issuer.issue(f.request().lifetime(java.time.Duration.ofHours(1)).build()).value();
        f.revocation.revokeSubject("alice", f.clock.instant());
        for (int minutes = 0; minutes < 60; minutes += 7) {
            f.revocation.purgeExpired();
            assertEquals(FailureReason.REVOKED, f.validator.validate(hourLong).failure().orElseThrow(), "after " + minutes + " min");
            f.clock.advance(java.time.Duration.ofMinutes(7));
        }
    }

    @Test
    void missingSubjectClientIdJtiOrIatIsRefused() {
        Fixture f = Fixture.rs256();
        for (String claim : List.of("sub", "client_id", "jti", "iat")) {
            ValidationResult r = f.validator.validate(f.forgeSigned(f.forge().claim(claim, null)));
            assertEquals(FailureReason.MISSING_CLAIM, r.failure().orElseThrow(), claim);
        }
    }

    @Test
    void invalidResultCarriesASafeDescription() {
        Fixture f = Fixture.rs256();
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) f.validator.validate("garbage.token.here");
        assertEquals(FailureReason.MALFORMED, invalid.reason());
        assertFalse(invalid.description().contains("garbage"));
    }

    @Test
    void randomInputNeverThrows() {
        Fixture f = Fixture.rs256();
        String valid = f.mint();
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder(valid);
            for (int m = 0, n = 1 + random.nextInt(4); m < n; m++) {
                int at = random.nextInt(sb.length());
                sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String mutated = sb.toString();
            ValidationResult result = f.validator.validate(mutated);
            if (!mutated.equals(valid)) {
                assertFalse(result.isValid() && !result.principal().orElseThrow().subject().equals("alice"));
            }
        }
    }

    @Test
    void validatorWithoutRevocationRegistryMustSayso() {
        Fixture f = Fixture.rs256();
        assertThrows(NullPointerException.class, () -> AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE).build());
        AccessTokenValidator noRevocation = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE).revocationRegistry(RevocationRegistry.none()).build();
        assertTrue(noRevocation.validate(f.mint()).isValid());
    }

    @Test
    void maxTokenLengthIsConfigurable() {
        Fixture f = Fixture.rs256();
        AccessTokenValidator strict = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE).revocationRegistry(f.revocation).maxTokenLength(200).build();
        assertEquals(FailureReason.TOO_LONG, strict.validate(f.mint()).failure().orElseThrow());
    }

    @Test
    void clockSkewIsConfigurable() {
        Fixture f = Fixture.rs256();
        AccessTokenValidator noSkew = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER)
                .audience(Fixture.AUDIENCE).revocationRegistry(f.revocation).clockSkew(java.time.Duration.ZERO).build();
        String token = f.mint();
        f.clock.advance(java.time.Duration.ofSeconds(300));
        assertEquals(FailureReason.EXPIRED, noSkew.validate(token).failure().orElseThrow());
        assertTrue(f.validator.validate(token).isValid(), "the default 30 s skew still accepts it");
    }
}
