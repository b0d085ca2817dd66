package io.tokengate.core.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.support.MutableClock;

/** RFC 9449 §4.3 from the attacker's side: every check a proof must pass, and what a refused proof leaves behind (nothing). */
class DPoPProofValidatorTest {
    private static final String URI = "https://as.example/oauth/token";
    private final MutableClock clock = MutableClock.startingAt("2026-12-04T10:00:00Z");
    private final InMemoryDPoPReplayCache replays = new InMemoryDPoPReplayCache(10_000, clock);
    private final DPoPProofValidator validator = new DPoPProofValidator(EnumSet.allOf(SigningAlgorithm.class), Duration.ofSeconds(60),
            Duration.ofSeconds(5), replays, clock);
    private final PublicJsonWebKey ec = ecKey();

    private static PublicJsonWebKey ecKey() {
        try {
            return EcJwkGenerator.generateJwk(EllipticCurves.P256);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static PublicJsonWebKey ed25519() throws Exception {
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setPrivateKey(pair.getPrivate());
        return jwk;
    }

    private Map<String, Object> claims() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", UUID.randomUUID().toString());
        c.put("htm", "POST");
        c.put("htu", URI);
        c.put("iat", clock.instant().getEpochSecond());
        return c;
    }

    /** A proof signed by {@code signer}'s private key, {@code published}'s public key in its header. */
    private static String proof(PublicJsonWebKey signer, PublicJsonWebKey published, String alg, String typ, Map<String, Object> claims) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            if (typ != null) {
                jws.setHeader("typ", typ);
            }
            jws.setAlgorithmHeaderValue(alg);
            jws.setJwkHeader(published);
            jws.setPayload(JsonUtil.toJson(claims));
            jws.setKey(signer.getPrivateKey());
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String proof(Map<String, Object> claims) {
        return proof(ec, ec, "ES256", "dpop+jwt", claims);
    }

    private DPoPCheck.Reason refusal(DPoPCheck check) {
        return assertInstanceOf(DPoPCheck.Refused.class, check, String.valueOf(check)).reason();
    }

    @Test
    void aProofOfEveryAllowedAlgorithmPassesAndNamesItsKeysThumbprint() throws Exception {
        Map<String, PublicJsonWebKey> keys = Map.of("ES256", ec, "RS256", RsaJwkGenerator.generateJwk(2048), "PS256",
                RsaJwkGenerator.generateJwk(2048), "EdDSA", ed25519());
        for (Map.Entry<String, PublicJsonWebKey> k : keys.entrySet()) {
            Map<String, Object> c = claims();
            DPoPCheck check = validator.check(proof(k.getValue(), k.getValue(), k.getKey(), "dpop+jwt", c), "POST", URI, null);
            DPoPProof p = assertInstanceOf(DPoPCheck.Passed.class, check, k.getKey() + ": " + check).proof();
            assertEquals(c.get("jti"), p.jti());
            assertEquals(clock.instant(), p.iat());
            assertEquals(k.getValue().calculateBase64urlEncodedThumbprint("SHA-256"), p.jkt());
        }
    }

    @Test
    void theThumbprintIsRfc7638sOfThePublicKey() throws Exception {
        EllipticCurveJsonWebKey key = (EllipticCurveJsonWebKey) ec;
        Map<String, Object> p = key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        // the required members in lexicographic order, no whitespace (RFC 7638 §3.2)
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + p.get("x") + "\",\"y\":\"" + p.get("y") + "\"}";
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        DPoPCheck check = validator.check(proof(claims()), "POST", URI, null);
        assertEquals(expected, assertInstanceOf(DPoPCheck.Passed.class, check).proof().jkt());
    }

    @Test
    void aReplayedProofIsRefusedAndARefusedProofConsumesNothing() {
        Map<String, Object> c = claims();
        String proof = proof(c);
        assertEquals(DPoPCheck.Reason.WRONG_METHOD, refusal(validator.check(proof, "GET", URI, null)));
        assertInstanceOf(DPoPCheck.Passed.class, validator.check(proof, "POST", URI, null), "the refused check recorded nothing");
        assertEquals(DPoPCheck.Reason.REPLAYED, refusal(validator.check(proof, "POST", URI, null)));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(DPoPCheck.Reason.REPLAYED, refusal(validator.check(proof, "POST", URI, null)), "still inside the window");
    }

    @Test
    void theSameJtiUnderAnotherKeyIsAnotherProof() throws Exception {
        Map<String, Object> c = claims();
        PublicJsonWebKey other = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        assertInstanceOf(DPoPCheck.Passed.class, validator.check(proof(c), "POST", URI, null));
        assertInstanceOf(DPoPCheck.Passed.class, validator.check(proof(other, other, "ES256", "dpop+jwt", c), "POST", URI, null));
    }

    @Test
    void theMethodAndTheUriMustBeThisRequests() {
        Map<String, Object> c = claims();
        assertEquals(DPoPCheck.Reason.WRONG_METHOD, refusal(validator.check(proof(c), "post", URI, null)), "htm is case-sensitive");
        c = claims();
        c.put("htu", "https://as.example/oauth/revoke");
        assertEquals(DPoPCheck.Reason.WRONG_URI, refusal(validator.check(proof(c), "POST", URI, null)));
        c = claims();
        c.put("htu", "https://evil.example/oauth/token");
        assertEquals(DPoPCheck.Reason.WRONG_URI, refusal(validator.check(proof(c), "POST", URI, null)));
        c = claims();
        c.put("htu", "http://as.example/oauth/token");
        assertEquals(DPoPCheck.Reason.WRONG_URI, refusal(validator.check(proof(c), "POST", URI, null)), "another scheme");
        c = claims();
        c.put("htu", "https://AS.example:443/oauth/token?x=1#f");
        assertInstanceOf(DPoPCheck.Passed.class, validator.check(proof(c), "POST", URI + "?other=2", null),
                "host case, the default port, query and fragment do not matter (RFC 9449 §4.3, RFC 3986 §6.2.2)");
        c = claims();
        c.put("htu", "/oauth/token");
        assertEquals(DPoPCheck.Reason.WRONG_URI, refusal(validator.check(proof(c), "POST", URI, null)), "a relative htu");
    }

    @Test
    void anOldOrFutureIatIsRefused() {
        Map<String, Object> c = claims();
        c.put("iat", clock.instant().minusSeconds(61).getEpochSecond());
        assertEquals(DPoPCheck.Reason.STALE, refusal(validator.check(proof(c), "POST", URI, null)));
        c = claims();
        c.put("iat", clock.instant().plusSeconds(6).getEpochSecond());
        assertEquals(DPoPCheck.Reason.STALE, refusal(validator.check(proof(c), "POST", URI, null)));
        c = claims();
        c.put("iat", clock.instant().minusSeconds(60).getEpochSecond());
        assertInstanceOf(DPoPCheck.Passed.class, validator.check(proof(c), "POST", URI, null), "the edge of the window");
    }

    @Test
    void anIatBeyondWhatAnInstantHoldsIsStaleNotAnException() {
        for (Object iat : new Object[] {99_999_999_999_999_999L, -99_999_999_999_999_999L, 1e300, -1e300, 1.5e9}) {
            Map<String, Object> c = claims();
            c.put("iat", iat);
            assertEquals(DPoPCheck.Reason.STALE, refusal(validator.check(proof(c), "POST", URI, null)), "iat " + iat);
        }
    }

    @Test
    void aPrivateKeyInsideJwkIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "dpop+jwt");
        jws.setAlgorithmHeaderValue("ES256");
        jws.getHeaders().setObjectHeaderValue("jwk", ec.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        jws.setPayload(JsonUtil.toJson(claims()));
        jws.setKey(ec.getPrivateKey());
        assertEquals(DPoPCheck.Reason.PRIVATE_KEY, refusal(validator.check(jws.getCompactSerialization(), "POST", URI, null)));
    }

    @Test
    void algNoneAndSymmetricAlgorithmsAreRefused() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setHeader("typ", "dpop+jwt");
        none.setAlgorithmHeaderValue("none");
        none.setJwkHeader(ec);
        none.setPayload(JsonUtil.toJson(claims()));
        none.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        assertEquals(DPoPCheck.Reason.ALGORITHM_NOT_ALLOWED, refusal(validator.check(none.getCompactSerialization(), "POST", URI, null)));

        JsonWebSignature hs = new JsonWebSignature();
        hs.setHeader("typ", "dpop+jwt");
        hs.setAlgorithmHeaderValue("HS256");
        hs.setJwkHeader(ec);
        hs.setPayload(JsonUtil.toJson(claims()));
        hs.setKey(new HmacKey(new byte[32]));
        assertEquals(DPoPCheck.Reason.ALGORITHM_NOT_ALLOWED, refusal(validator.check(hs.getCompactSerialization(), "POST", URI, null)));

        DPoPProofValidator onlyEs = new DPoPProofValidator(EnumSet.of(SigningAlgorithm.ES256), Duration.ofSeconds(60), Duration.ofSeconds(5),
                replays, clock);
        PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
        assertEquals(DPoPCheck.Reason.ALGORITHM_NOT_ALLOWED, refusal(onlyEs.check(proof(rsa, rsa, "RS256", "dpop+jwt", claims()), "POST", URI, null)),
                "an asymmetric algorithm the server does not list");
    }

    @Test
    void aProofSignedByAnotherKeyThanItsJwkIsRefused() throws Exception {
        PublicJsonWebKey thief = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        assertEquals(DPoPCheck.Reason.BAD_SIGNATURE, refusal(validator.check(proof(thief, ec, "ES256", "dpop+jwt", claims()), "POST", URI, null)));
        PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
        assertEquals(DPoPCheck.Reason.BAD_SIGNATURE, refusal(validator.check(proof(rsa, ec, "RS256", "dpop+jwt", claims()), "POST", URI, null)),
                "an RS256 signature with an EC key in the header: an alg that does not fit the jwk");
    }

    @Test
    void theTypeMustBeDpopJwt() {
        assertEquals(DPoPCheck.Reason.WRONG_TYPE, refusal(validator.check(proof(ec, ec, "ES256", "JWT", claims()), "POST", URI, null)));
        assertEquals(DPoPCheck.Reason.WRONG_TYPE, refusal(validator.check(proof(ec, ec, "ES256", null, claims()), "POST", URI, null)));
    }

    @Test
    void missingClaimsAndMalformedProofsAreRefused() {
        for (String claim : new String[] {"jti", "htm", "htu", "iat"}) {
            Map<String, Object> c = claims();
            c.remove(claim);
            assertEquals(DPoPCheck.Reason.MISSING_CLAIM, refusal(validator.check(proof(c), "POST", URI, null)), claim);
        }
        assertEquals(DPoPCheck.Reason.MALFORMED, refusal(validator.check("not.a.jwt", "POST", URI, null)));
        assertEquals(DPoPCheck.Reason.MALFORMED, refusal(validator.check(null, "POST", URI, null)));
        assertEquals(DPoPCheck.Reason.MALFORMED, refusal(validator.check("a".repeat(DPoPProofValidator.MAX_PROOF_LENGTH + 1), "POST", URI, null)));
        String valid = proof(claims());
        assertEquals(DPoPCheck.Reason.MALFORMED, refusal(validator.check(valid.substring(0, valid.lastIndexOf('.')), "POST", URI, null)));
    }

    @Test
    void withAnAccessTokenTheProofMustCarryItsHash() {
        String accessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
        Map<String, Object> c = claims();
        assertEquals(DPoPCheck.Reason.WRONG_ACCESS_TOKEN_HASH, refusal(validator.check(proof(c), "POST", URI, accessToken)), "no ath");
        c = claims();
        c.put("ath", DPoPProofValidator.accessTokenHash("another.access.token"));
        assertEquals(DPoPCheck.Reason.WRONG_ACCESS_TOKEN_HASH, refusal(validator.check(proof(c), "POST", URI, accessToken)));
        c = claims();
        c.put("ath", DPoPProofValidator.accessTokenHash(accessToken));
        assertInstanceOf(DPoPCheck.Passed.class, validator.check(proof(c), "POST", URI, accessToken));
    }

    @Test
    void theReplayCacheIsBoundedAndRefusesRatherThanForgets() {
        InMemoryDPoPReplayCache small = new InMemoryDPoPReplayCache(2, clock);
        assertTrue(small.firstUse("a", clock.instant().plusSeconds(10)));
        assertTrue(small.firstUse("b", clock.instant().plusSeconds(10)));
        assertEquals(false, small.firstUse("c", clock.instant().plusSeconds(10)), "full of live entries");
        assertEquals(false, small.firstUse("a", clock.instant().plusSeconds(10)));
        clock.advance(Duration.ofSeconds(10));
        assertTrue(small.firstUse("c", clock.instant().plusSeconds(10)), "expired entries are swept when full");
        assertEquals(1, small.size());
        assertTrue(small.firstUse("d", clock.instant().plusMillis(500)));
        clock.advance(Duration.ofMillis(600));
        assertEquals(false, small.firstUse("e", clock.instant().plusSeconds(10)), "swept at most once a second, even with an expired entry");
        clock.advance(Duration.ofMillis(500));
        assertTrue(small.firstUse("e", clock.instant().plusSeconds(10)), "the next second's sweep drops it");
    }

    @Test
    void urisAreNormalisedOrRefused() {
        assertEquals("https://as.example/", DPoPProofValidator.normalised("HTTPS://AS.EXAMPLE"));
        assertEquals("http://as.example:8080/a%2Fb", DPoPProofValidator.normalised("http://as.example:8080/a%2Fb?q#f"));
        assertNull(DPoPProofValidator.normalised("ftp://as.example/"));
        assertNull(DPoPProofValidator.normalised("https://user@as.example/"));
        assertNull(DPoPProofValidator.normalised("https://as.example/ bad"));
        assertNull(DPoPProofValidator.normalised(null));
    }
}
