package io.tokengate.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;

import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.TestKeys;
import io.tokengate.core.validation.FailureReason;

class KeyRingRotationTest {
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    @Test
    void kidIsTheRfc7638ThumbprintOfTheRfcExampleKey() throws Exception {
        // RFC 7638 §3.1: this RSA key has the thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
        String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(new BigInteger(1, Base64.getUrlDecoder().decode(n)), BigInteger.valueOf(65537)));
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", SigningKey.thumbprint(key));
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", SigningKey.verifyOnly(SigningAlgorithm.RS256, key).kid());
    }

    @Test
    void plannedRotationFailsNoTokenAndMovesNextToActiveToPrevious() {
        Fixture f = new Fixture(TestKeys.fresh(SigningAlgorithm.RS256), false);
        SigningKey a = f.key;
        SigningKey b = TestKeys.shared(SigningAlgorithm.ES256);
        String tokenFromA = f.mint();

        f.keyRing.stageNext(b);
        assertEquals(a, f.keyRing.current().active(), "a staged key does not sign yet");
        assertEquals(Map.of(b.kid(), "next", a.kid(), "active"), f.keyRing.current().describe());

        f.keyRing.rotate();
        assertEquals(b, f.keyRing.current().active());
        assertTrue(f.keyRing.current().next().isEmpty());
        assertEquals(List.of(a), f.keyRing.current().previous().stream().map(KeySet.PreviousKey::key).toList());
        assertTrue(f.validator.validate(tokenFromA).isValid(), "a token from the previous key still verifies");
        String tokenFromB = f.mint();
        assertTrue(f.validator.validate(tokenFromB).isValid());

        // the previous key verifies for the retention (6 min here), then drops out
        f.clock.advance(Duration.ofMinutes(5).plusSeconds(29));
        assertTrue(f.validator.validate(tokenFromA).isValid());
        f.clock.advance(Duration.ofSeconds(31));
        assertEquals(FailureReason.UNKNOWN_KEY, f.validator.validate(tokenFromA).failure().orElseThrow());
        assertFalse(f.keyRing.current().toJwksJson(f.clock.instant()).contains(a.kid()));
    }

    @Test
    void jwksHoldsExactlyThePublicKeysOfNextActiveAndPrevious() throws Exception {
        Fixture f = new Fixture(TestKeys.fresh(SigningAlgorithm.RS256), false);
        SigningKey previous = f.key;
        SigningKey active = TestKeys.shared(SigningAlgorithm.ES256);
        SigningKey next = TestKeys.shared(SigningAlgorithm.EdDSA);
        f.keyRing.stageNext(active);
        f.keyRing.rotate();
        f.keyRing.stageNext(next);

        Map<String, Object> jwks = JsonUtil.parseJson(f.keyRing.current().toJwksJson(f.clock.instant()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        List<String> kids = new ArrayList<>();
        for (Map<String, Object> k : keys) {
            kids.add((String) k.get("kid"));
            assertEquals("sig", k.get("use"));
            for (String member : PRIVATE_MEMBERS) {
                assertFalse(k.containsKey(member), "JWKS leaks private member " + member);
            }
        }
        assertEquals(Set.of(previous.kid(), active.kid(), next.kid()), Set.copyOf(kids));
        assertEquals(3, kids.size());
        assertEquals(Map.of("RS256", 1L, "ES256", 1L, "EdDSA", 1L),
                keys.stream().collect(java.util.stream.Collectors.groupingBy(k -> (String) k.get("alg"), java.util.stream.Collectors.counting())));
    }

    @Test
    void nextKeyVerifiesSoAServerThatRotatedEarlierIsNotRefused() {
        Fixture f = Fixture.rs256();
        SigningKey next = TestKeys.shared(SigningAlgorithm.PS256);
        f.keyRing.stageNext(next);
        // a token that another instance, already rotated, signed with "next"
        Fixture other = new Fixture(next, false);
        assertTrue(f.validator.validate(other.mint()).isValid());
    }

    @Test
    void retiringTheActiveKeyPromotesTheNextAndRefusesItsTokensAtOnce() {
        Fixture f = new Fixture(TestKeys.fresh(SigningAlgorithm.RS256), false);
        String before = f.mint();
        f.keyRing.stageNext(TestKeys.shared(SigningAlgorithm.ES256));
        f.keyRing.retire(f.key.kid());
        assertEquals(FailureReason.UNKNOWN_KEY, f.validator.validate(before).failure().orElseThrow());
        assertEquals(TestKeys.shared(SigningAlgorithm.ES256), f.keyRing.current().active());
        assertTrue(f.validator.validate(f.mint()).isValid());
    }

    @Test
    void retirementTakesEffectEvenWhenPersistingItFails() {
        Fixture f = Fixture.rs256();
        SigningKey compromised = TestKeys.fresh(SigningAlgorithm.ES256);
        KeyRing ring = new KeyRing(KeySet.of(f.key, null, List.of(new KeySet.PreviousKey(compromised, null))), f.clock,
                Duration.ofMinutes(6), set -> {
                    throw new KeySetException("disk full");
                });
        assertThrows(KeySetException.class, () -> ring.retire(compromised.kid()));
        assertTrue(ring.current().verificationKey(compromised.kid(), f.clock.instant()).isEmpty(), "fails closed");
        assertThrows(KeySetException.class, () -> ring.stageNext(TestKeys.shared(SigningAlgorithm.EdDSA)));
        assertTrue(ring.current().next().isEmpty(), "a planned change that cannot be persisted does not happen");
    }

    @Test
    void privateKeyOfAnotherPairIsRefusedAtLoad() {
        SigningKey a = TestKeys.shared(SigningAlgorithm.RS256);
        SigningKey b = TestKeys.fresh(SigningAlgorithm.RS256);
        KeySetException e = assertThrows(KeySetException.class,
                () -> SigningKey.of(SigningAlgorithm.RS256, a.publicKey(), b.privateKey().orElseThrow()));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void retiringTheActiveKeyWithoutANextKeyIsRefused() {
        Fixture f = Fixture.rs256();
        KeySetException e = assertThrows(KeySetException.class, () -> f.keyRing.retire(f.key.kid()));
        assertTrue(e.getMessage().contains("stage a next key first"));
        assertTrue(f.validator.validate(f.mint()).isValid(), "a refused change changes nothing");
    }

    @Test
    void retiringAnUnknownKeyOrRotatingWithoutANextKeyIsRefused() {
        Fixture f = Fixture.rs256();
        assertThrows(KeySetException.class, () -> f.keyRing.retire("no-such-kid"));
        assertThrows(KeySetException.class, () -> f.keyRing.rotate());
    }

    @Test
    void retiringTheNextKeyUnpublishesIt() {
        Fixture f = Fixture.rs256();
        SigningKey next = TestKeys.shared(SigningAlgorithm.EdDSA);
        f.keyRing.stageNext(next);
        f.keyRing.retire(next.kid());
        assertFalse(f.keyRing.current().toJwksJson(f.clock.instant()).contains(next.kid()));
    }

    @Test
    void keyThatDoesNotFitItsAlgorithmIsRefused() {
        SigningKey ec = TestKeys.shared(SigningAlgorithm.ES256);
        assertThrows(KeySetException.class, () -> SigningKey.verifyOnly(SigningAlgorithm.RS256, ec.publicKey()));
        assertThrows(KeySetException.class, () -> SigningKey.verifyOnly(SigningAlgorithm.EdDSA, ec.publicKey()));
    }

    @Test
    void activeKeyMustBeAbleToSign() {
        SigningKey verifyOnly = SigningKey.verifyOnly(SigningAlgorithm.RS256, TestKeys.shared(SigningAlgorithm.RS256).publicKey());
        assertThrows(KeySetException.class, () -> KeySet.of(verifyOnly));
    }

    @Test
    void algorithmNamesParseCaseInsensitivelyAndUnknownOnesNameTheChoices() {
        assertEquals(SigningAlgorithm.EdDSA, SigningAlgorithm.parse("eddsa"));
        assertEquals(SigningAlgorithm.PS256, SigningAlgorithm.parse(" ps256 "));
        KeySetException e = assertThrows(KeySetException.class, () -> SigningAlgorithm.parse("HS256"));
        assertTrue(e.getMessage().contains("RS256, PS256, ES256, EdDSA"));
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        SigningKey key = TestKeys.shared(SigningAlgorithm.RS256);
        String text = key + " " + KeySet.of(key);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(key.privateKey().orElseThrow().getEncoded()).substring(0, 40)));
        assertTrue(text.contains(key.kid()));
    }
}
