package io.tokengate.core.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.Forge;
import io.tokengate.core.support.TestKeys;
import io.tokengate.core.token.AccessTokenRequest;

/**
 * Every row of the attack catalogue (shared/docs/standards.md), one named test (or group) per row.
 * Each forged token differs from an accepted one in the one property under attack: see
 * {@link #controlForgedTokenWithoutAttackIsAccepted()}.
 */
@DisplayName("Attack catalogue: every forged or tampered access token is refused")
class AttackCatalogueTest {

    private final Fixture rs = Fixture.rs256();

    private static void refused(ValidationResult result, FailureReason expected) {
        assertFalse(result.isValid(), "token was accepted");
        assertEquals(expected, result.failure().orElseThrow());
    }

    @Test
    void controlForgedTokenWithoutAttackIsAccepted() {
        ValidationResult result = rs.validator.validate(rs.forgeSigned(rs.forge()));
        assertTrue(result.isValid(), () -> "control token refused: " + result.failure());
    }

    @Nested
    @DisplayName("alg none in any letter case, empty signature, signature stripped")
    class AlgNone {
        @ParameterizedTest(name = "alg \"{0}\" with an empty signature")
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        void algNoneWithEmptySignatureIsRefused(String alg) {
            String token = rs.forge().header("alg", alg).signingInput() + ".";
            refused(rs.validator.validate(token), FailureReason.BAD_SIGNATURE);
        }

        @ParameterizedTest(name = "alg \"{0}\" with a signature part")
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        void algNoneWithAnySignatureIsRefused(String alg) {
            String token = rs.forge().header("alg", alg).withSignature(new byte[] {1, 2, 3});
            refused(rs.validator.validate(token), FailureReason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void emptySignatureIsRefused() {
            String token = rs.forge().signingInput() + ".";
            refused(rs.validator.validate(token), FailureReason.BAD_SIGNATURE);
        }

        @Test
        void strippedSignatureIsRefused() {
            String token = rs.forge().signingInput();
            refused(rs.validator.validate(token), FailureReason.MALFORMED);
        }

        @Test
        void signatureFromAnotherTokenIsRefused() {
            String good = rs.forgeSigned(rs.forge());
            String other = rs.forge().claim("sub", "mallory").signingInput();
            refused(rs.validator.validate(other + good.substring(good.lastIndexOf('.'))), FailureReason.BAD_SIGNATURE);
        }
    }

    @Nested
    @DisplayName("HS256 signed with the RSA/EC public key (PEM text and DER bytes)")
    class KeyConfusion {
        private String pem(SigningKey key) {
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.publicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        }

        @Test
        void hs256WithRsaPublicKeyAsPemTextIsRefused() {
            String token = rs.forge().header("alg", "HS256").signHs256(pem(rs.key).getBytes(StandardCharsets.US_ASCII));
            refused(rs.validator.validate(token), FailureReason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void hs256WithRsaPublicKeyAsDerBytesIsRefused() {
            String token = rs.forge().header("alg", "HS256").signHs256(rs.key.publicKey().getEncoded());
            refused(rs.validator.validate(token), FailureReason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void hs256WithEcPublicKeyAsPemTextAndDerIsRefused() {
            Fixture ec = new Fixture(SigningAlgorithm.ES256);
            refused(ec.validator.validate(ec.forge().header("alg", "HS256").signHs256(pem(ec.key).getBytes(StandardCharsets.US_ASCII))),
                    FailureReason.ALGORITHM_NOT_ALLOWED);
            refused(ec.validator.validate(ec.forge().header("alg", "HS256").signHs256(ec.key.publicKey().getEncoded())),
                    FailureReason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void algorithmOtherThanTheKeysOwnIsRefused() {
            // PS256 with the RS256 key: a valid signature, but the allow-list comes from the key, not the token
            String token = rs.forge().header("alg", "PS256").sign("PS256", rs.key.privateKey().orElseThrow());
            refused(rs.validator.validate(token), FailureReason.ALGORITHM_NOT_ALLOWED);
        }
    }

    @Nested
    @DisplayName("kid set to path traversal, SQL, shell metacharacters, empty, very long")
    class HostileKid {
        @ParameterizedTest(name = "kid \"{0}\"")
        @ValueSource(strings = {"../../../../etc/passwd", "/dev/random", "file:///etc/shadow", "' OR '1'='1",
                "x'; DROP TABLE keys; --", "$(touch /tmp/pwned)", "`id`", "a|b;c&d", "", " "})
        void hostileKidIsRefusedWithoutLookupOutsideTheKeySet(String kid) {
            String token = rs.forgeSigned(rs.forge().header("kid", kid));
            refused(rs.validator.validate(token), FailureReason.UNKNOWN_KEY);
        }

        @Test
        void veryLongKidIsRefused() {
            String token = rs.forgeSigned(rs.forge().header("kid", "k".repeat(4000)));
            refused(rs.validator.validate(token), FailureReason.UNKNOWN_KEY);
        }

        @Test
        void missingKidIsRefused() {
            String token = rs.forgeSigned(rs.forge().header("kid", null));
            refused(rs.validator.validate(token), FailureReason.UNKNOWN_KEY);
        }

        @Test
        void nonStringKidIsRefused() {
            String token = rs.forgeSigned(rs.forge().header("kid", Map.of("$ne", "")));
            assertFalse(rs.validator.validate(token).isValid());
        }
    }

    @Nested
    @DisplayName("jku, x5u, embedded jwk / x5c with an attacker key: refused, nothing fetched")
    class KeyLocatingHeaders {
        private final SigningKey attacker = TestKeys.fresh(SigningAlgorithm.RS256);
        private HttpServer server;
        private final AtomicInteger hits = new AtomicInteger();
        private String url;

        @BeforeEach
        void serveAttackerJwks() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] jwks = ("{\"keys\":[" + attacker.toPublicJwkJson() + "]}").getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                hits.incrementAndGet();
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        @AfterEach
        void stop() {
            server.stop(0);
        }

        private String signedByAttacker(Forge f) {
            return f.header("kid", attacker.kid()).sign("RS256", attacker.privateKey().orElseThrow());
        }

        @Test
        void jkuHeaderIsRefusedAndNeverFetched() {
            refused(rs.validator.validate(signedByAttacker(rs.forge().header("jku", url))), FailureReason.UNSUPPORTED_HEADER);
            assertEquals(0, hits.get(), "the validator fetched the jku URL");
        }

        @Test
        void jkuHeaderIsRefusedEvenWithOurOwnKid() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("jku", url))), FailureReason.UNSUPPORTED_HEADER);
            assertEquals(0, hits.get());
        }

        @Test
        void x5uHeaderIsRefusedAndNeverFetched() {
            refused(rs.validator.validate(signedByAttacker(rs.forge().header("x5u", url))), FailureReason.UNSUPPORTED_HEADER);
            assertEquals(0, hits.get(), "the validator fetched the x5u URL");
        }

        @Test
        void embeddedJwkWithAttackerKeyIsRefused() throws Exception {
            Map<String, Object> jwk = org.jose4j.json.JsonUtil.parseJson(attacker.toPublicJwkJson());
            refused(rs.validator.validate(signedByAttacker(rs.forge().header("jwk", jwk))), FailureReason.UNSUPPORTED_HEADER);
        }

        @Test
        void embeddedX5cWithAttackerKeyIsRefused() {
            String der = Base64.getEncoder().encodeToString(attacker.publicKey().getEncoded());
            refused(rs.validator.validate(signedByAttacker(rs.forge().header("x5c", List.of(der)))), FailureReason.UNSUPPORTED_HEADER);
        }

        @Test
        void attackerKeyWithoutHeadersIsUnknown() {
            refused(rs.validator.validate(signedByAttacker(rs.forge())), FailureReason.UNKNOWN_KEY);
        }
    }

    @Nested
    @DisplayName("ECDSA psychic signature (CVE-2022-21449)")
    class PsychicSignature {
        private final Fixture ec = new Fixture(SigningAlgorithm.ES256);

        @Test
        void zeroRAndSIsRefused() {
            refused(ec.validator.validate(ec.forge().withSignature(new byte[64])), FailureReason.BAD_SIGNATURE);
        }

        @Test
        void rAndSEqualToTheCurveOrderAreRefused() {
            byte[] n = unsigned32(EllipticCurves.P256.getOrder());
            byte[] sig = new byte[64];
            System.arraycopy(n, 0, sig, 0, 32);
            System.arraycopy(n, 0, sig, 32, 32);
            refused(ec.validator.validate(ec.forge().withSignature(sig)), FailureReason.BAD_SIGNATURE);
        }

        @Test
        void controlRealEs256SignatureIsAccepted() {
            assertTrue(ec.validator.validate(ec.forgeSigned(ec.forge())).isValid());
        }

        private byte[] unsigned32(BigInteger v) {
            byte[] raw = v.toByteArray();
            byte[] out = new byte[32];
            System.arraycopy(raw, Math.max(0, raw.length - 32), out, Math.max(0, 32 - raw.length), Math.min(32, raw.length));
            return out;
        }
    }

    @Nested
    @DisplayName("expired, nbf in the future, iat in the future beyond skew, no exp")
    class Times {
        private long now() {
            return rs.clock.instant().getEpochSecond();
        }

        @Test
        void expiredTokenIsRefused() {
            String token = rs.mint();
            rs.clock.advance(Duration.ofMinutes(5).plusSeconds(30));
            refused(rs.validator.validate(token), FailureReason.EXPIRED);
        }

        @Test
        void tokenJustExpiredButWithinSkewIsAccepted() {
            String token = rs.mint();
            rs.clock.advance(Duration.ofMinutes(5).plusSeconds(29));
            assertTrue(rs.validator.validate(token).isValid());
        }

        @Test
        void notBeforeInTheFutureBeyondSkewIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("nbf", now() + 31))), FailureReason.NOT_YET_VALID);
        }

        @Test
        void notBeforeWithinSkewIsAccepted() {
            assertTrue(rs.validator.validate(rs.forgeSigned(rs.forge().claim("nbf", now() + 30))).isValid());
        }

        @Test
        void issuedAtInTheFutureBeyondSkewIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("iat", now() + 31))), FailureReason.ISSUED_IN_FUTURE);
        }

        @Test
        void issuedAtInTheFutureWithinSkewIsAccepted() {
            assertTrue(rs.validator.validate(rs.forgeSigned(rs.forge().claim("iat", now() + 30))).isValid());
        }

        @Test
        void missingExpIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("exp", null))), FailureReason.MISSING_CLAIM);
        }

        @Test
        void lifetimeLongerThanTheValidatorAcceptsIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("exp", now() + 3601))), FailureReason.LIFETIME_TOO_LONG);
            assertTrue(rs.validator.validate(rs.forgeSigned(rs.forge().claim("exp", now() + 3600))).isValid());
        }

        @Test
        void nonNumericExpIsRefused() {
            assertFalse(rs.validator.validate(rs.forgeSigned(rs.forge().claim("exp", "tomorrow"))).isValid());
        }
    }

    @Nested
    @DisplayName("wrong iss (incl. trailing slash), aud missing or other")
    class IssuerAndAudience {
        @Test
        void wrongIssuerIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("iss", "https://evil.example.test"))), FailureReason.WRONG_ISSUER);
        }

        @Test
        void issuerWithTrailingSlashIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("iss", Fixture.ISSUER + "/"))), FailureReason.WRONG_ISSUER);
        }

        @Test
        void issuerInOtherCaseIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("iss", Fixture.ISSUER.toUpperCase()))), FailureReason.WRONG_ISSUER);
        }

        @Test
        void missingIssuerIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("iss", null))), FailureReason.WRONG_ISSUER);
        }

        @Test
        void missingAudienceIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("aud", null))), FailureReason.WRONG_AUDIENCE);
        }

        @Test
        void otherAudienceIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().claim("aud", "https://other.example.test"))), FailureReason.WRONG_AUDIENCE);
        }

        @Test
        void audienceArrayContainingOursIsAccepted() {
            assertTrue(rs.validator.validate(rs.forgeSigned(rs.forge().claim("aud", List.of("x", Fixture.AUDIENCE)))).isValid());
        }
    }

    @Nested
    @DisplayName("typ: JWT (e.g. an ID token) or any other typ")
    class Type {
        @Test
        void typJwtIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("typ", "JWT"))), FailureReason.WRONG_TYPE);
        }

        @Test
        void typJwtIsAcceptedOnlyWithTheMigrationSwitch() {
            Fixture migrating = new Fixture(rs.key, true);
            assertTrue(migrating.validator.validate(migrating.forgeSigned(migrating.forge().header("typ", "JWT"))).isValid());
        }

        @ParameterizedTest(name = "typ \"{0}\"")
        @ValueSource(strings = {"id+jwt", "logout+jwt", "JOSE", "at+jwt ", "secevent+jwt"})
        void otherTypIsRefused(String typ) {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("typ", typ))), FailureReason.WRONG_TYPE);
        }

        @Test
        void missingTypIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("typ", null))), FailureReason.WRONG_TYPE);
        }

        @Test
        void fullMediaTypeApplicationAtJwtIsAccepted() {
            assertTrue(rs.validator.validate(rs.forgeSigned(rs.forge().header("typ", "application/at+jwt"))).isValid());
        }
    }

    @Nested
    @DisplayName("unknown crit header")
    class Crit {
        @Test
        void unknownCritIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("crit", List.of("urn:example:policy")).header("urn:example:policy", "x"))),
                    FailureReason.UNSUPPORTED_HEADER);
        }

        @Test
        void critNamingB64IsRefused() {
            // b64 is a crit extension jose4j itself understands (RFC 7797); TokenGate never writes it
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("crit", List.of("b64")).header("b64", true))),
                    FailureReason.UNSUPPORTED_HEADER);
        }

        @Test
        void unencodedPayloadB64FalseIsRefused() {
            String token = rs.forgeSigned(rs.forge().header("crit", List.of("b64")).header("b64", false));
            assertFalse(rs.validator.validate(token).isValid());
        }
    }

    @Nested
    @DisplayName("JWE / nested JWT where a JWS is expected; PBES2 with a huge p2c; zip")
    class NotAJws {
        @Test
        void jweCompactIsRefusedBeforeDecoding() {
            String header = Forge.b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            refused(rs.validator.validate(header + ".AAAA.AAAA.AAAA.AAAA"), FailureReason.NOT_A_JWS);
        }

        @Test
        void pbes2WithHugeIterationCountIsRefusedBeforeAnyKeyDerivation() {
            String header = Forge.b64("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128CBC-HS256\",\"p2s\":\"c2FsdA\",\"p2c\":2147483647}"
                    .getBytes(StandardCharsets.UTF_8));
            // NOT_A_JWS is decided from the shape alone, so no PBKDF2 iteration ran
            refused(rs.validator.validate(header + ".AAAA.AAAA.AAAA.AAAA"), FailureReason.NOT_A_JWS);
        }

        @Test
        void pbes2AlgorithmInAJwsShapeIsRefused() {
            String token = rs.forge().header("alg", "PBES2-HS256+A128KW").header("p2c", 2147483647).withSignature(new byte[32]);
            refused(rs.validator.validate(token), FailureReason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void nestedJwtIsRefused() {
            String inner = rs.mint();
            String outer = rs.forge().header("cty", "JWT").rawPayload("\"" + inner + "\"")
                    .sign("RS256", rs.key.privateKey().orElseThrow());
            String outerPlain = rs.forgeSigned(rs.forge().header("cty", "JWT").rawPayload(inner));
            assertFalse(rs.validator.validate(outer).isValid());
            refused(rs.validator.validate(outerPlain), FailureReason.UNSUPPORTED_HEADER);
        }

        @Test
        void zipHeaderIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().header("zip", "DEF"))), FailureReason.UNSUPPORTED_HEADER);
        }
    }

    @Nested
    @DisplayName("oversize header or token, deeply nested JSON, invalid base64url / padding / whitespace")
    class HostileEncoding {
        @Test
        void tokenLongerThanTheLimitIsRefusedBeforeParsing() {
            String token = rs.forgeSigned(rs.forge().claim("pad", "x".repeat(9000)));
            refused(rs.validator.validate(token), FailureReason.TOO_LONG);
        }

        @Test
        void megabyteTokenIsRefusedBeforeParsing() {
            refused(rs.validator.validate("a".repeat(1 << 20)), FailureReason.TOO_LONG);
        }

        @Test
        void oversizeHeaderIsRefused() {
            String token = rs.forge().header("x", "y".repeat(200_000)).withSignature(new byte[256]);
            refused(rs.validator.validate(token), FailureReason.TOO_LONG);
        }

        @Test
        void largeHeaderWithinTheLimitAndAForgedSignatureIsRefused() {
            String token = rs.forge().header("x", "y".repeat(5000)).withSignature(new byte[256]);
            refused(rs.validator.validate(token), FailureReason.BAD_SIGNATURE);
        }

        @Test
        void deeplyNestedJsonHeaderIsRefusedWithoutStackOverflow() {
            String nested = "[".repeat(2000) + "]".repeat(2000);
            String token = rs.forge().rawHeader("{\"alg\":\"RS256\",\"kid\":\"" + rs.key.kid() + "\",\"x\":" + nested + "}")
                    .withSignature(new byte[256]);
            assertTrue(token.length() < AccessTokenValidator.DEFAULT_MAX_TOKEN_LENGTH, "must reach the JSON parser");
            // the header is read before any signature work, and nesting beyond StrictJson.MAX_DEPTH is malformed
            refused(rs.validator.validate(token), FailureReason.MALFORMED);
        }

        @Test
        void headerNestedJustWithinTheLimitIsReadAndStillNeedsItsSignature() {
            int depth = io.tokengate.core.json.StrictJson.MAX_DEPTH - 1; // the header object itself is one level
            String token = rs.forge().rawHeader("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + rs.key.kid() + "\",\"x\":"
                    + "[".repeat(depth) + "]".repeat(depth) + "}").withSignature(new byte[256]);
            refused(rs.validator.validate(token), FailureReason.BAD_SIGNATURE);
        }

        @Test
        void deeplyNestedJsonClaimsAreRefusedWithoutStackOverflow() {
            String nested = "{\"a\":".repeat(400) + "[".repeat(1000) + "]".repeat(1000) + "}".repeat(400);
            String token = rs.forge().rawPayload(nested).withSignature(new byte[256]);
            assertTrue(token.length() < AccessTokenValidator.DEFAULT_MAX_TOKEN_LENGTH, "must reach the JSON parser");
            refused(rs.validator.validate(token), FailureReason.BAD_SIGNATURE);
        }

        @Test
        void deeplyNestedJsonInAValidlySignedTokenNeverThrows() {
            String token = rs.forgeSigned(rs.forge().rawPayload("{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}"));
            assertTrue(token.length() < AccessTokenValidator.DEFAULT_MAX_TOKEN_LENGTH);
            refused(rs.validator.validate(token), FailureReason.MALFORMED);
        }

        @Test
        void bytesThatAreNotUtf8AreRefusedInTheHeaderAndInTheSignedPayload() {
            byte[] badUtf8 = {(byte) 0xC3, (byte) 0x28};
            String header = Forge.b64(("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + rs.key.kid() + "\",\"x\":\"")
                    .getBytes(StandardCharsets.UTF_8));
            String payload = rs.forge().signingInput();
            payload = payload.substring(payload.indexOf('.') + 1);
            String badHeader = Forge.b64(concat(Base64.getUrlDecoder().decode(header), badUtf8, "\"}".getBytes(StandardCharsets.UTF_8)));
            refused(rs.validator.validate(signed(badHeader + "." + payload)), FailureReason.MALFORMED);

            String goodHeader = rs.forge().signingInput();
            goodHeader = goodHeader.substring(0, goodHeader.indexOf('.'));
            String claims = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
            byte[] start = claims.substring(0, claims.length() - 1).concat(",\"x\":\"").getBytes(StandardCharsets.UTF_8);
            String badPayload = Forge.b64(concat(start, badUtf8, "\"}".getBytes(StandardCharsets.UTF_8)));
            refused(rs.validator.validate(signed(goodHeader + "." + badPayload)), FailureReason.MALFORMED);

            String zoe = Forge.b64(concat(start, "zo\u00eb \u20ac".getBytes(StandardCharsets.UTF_8), "\"}".getBytes(StandardCharsets.UTF_8)));
            ValidationResult accepted = rs.validator.validate(signed(goodHeader + "." + zoe));
            assertEquals("zo\u00eb \u20ac", accepted.principal().orElseThrow().claims().get("x"), "well-formed UTF-8 is read as such");
        }

        private String signed(String signingInput) {
            return signingInput + "." + Forge.b64(Forge.jcaSign("RS256", rs.key.privateKey().orElseThrow(),
                    signingInput.getBytes(StandardCharsets.US_ASCII)));
        }

        private byte[] concat(byte[]... parts) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        @Test
        void duplicateHeaderOrClaimNamesAreRefused() {
            String kid = rs.key.kid();
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().rawHeader("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid
                    + "\",\"alg\":\"none\"}"))), FailureReason.MALFORMED);
            String payload = rs.forge().signingInput();
            String claims = new String(Base64.getUrlDecoder().decode(payload.substring(payload.indexOf('.') + 1)), StandardCharsets.UTF_8);
            String twice = claims.substring(0, claims.length() - 1) + ",\"sub\":\"mallory\"}";
            refused(rs.validator.validate(rs.forgeSigned(rs.forge().rawPayload(twice))), FailureReason.MALFORMED);
        }

        @Test
        void nonCanonicalBase64UrlWithUnusedBitsSetIsRefused() {
            String good = rs.forgeSigned(rs.forge());
            String sig = good.substring(good.lastIndexOf('.') + 1);
            assertEquals(2, sig.length() % 4, "an RS256 signature (256 bytes) leaves 4 unused bits in its last character");
            char last = sig.charAt(sig.length() - 1);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char sibling = alphabet.charAt(alphabet.indexOf(last) | 1); // same decoded bytes, an unused bit set
            String twin = good.substring(0, good.length() - 1) + sibling;
            assertTrue(rs.validator.validate(good).isValid());
            refused(rs.validator.validate(twin), FailureReason.MALFORMED);
        }

        @ParameterizedTest(name = "character \"{0}\" in the token")
        @ValueSource(strings = {"+", "/", "=", " ", "\n", "\t", "%", "\u00e9"})
        void nonBase64UrlCharacterIsRefused(String c) {
            String good = rs.forgeSigned(rs.forge());
            int cut = good.indexOf('.') + 5;
            refused(rs.validator.validate(good.substring(0, cut) + c + good.substring(cut)), FailureReason.MALFORMED);
        }

        @Test
        void paddedSignatureIsRefused() {
            refused(rs.validator.validate(rs.forgeSigned(rs.forge()) + "=="), FailureReason.MALFORMED);
        }

        @Test
        void impossibleBase64LengthIsRefused() {
            refused(rs.validator.validate("e.e.e"), FailureReason.MALFORMED);
        }

        @Test
        void headerThatIsNotJsonIsRefused() {
            String token = rs.forge().rawHeader("not json").withSignature(new byte[256]);
            refused(rs.validator.validate(token), FailureReason.MALFORMED);
        }

        @Test
        void tooManyOrTooFewPartsAreRefused() {
            refused(rs.validator.validate("a.b"), FailureReason.MALFORMED);
            refused(rs.validator.validate("a.b.c.d"), FailureReason.MALFORMED);
            refused(rs.validator.validate(".b.c"), FailureReason.MALFORMED);
            refused(rs.validator.validate(""), FailureReason.MALFORMED);
            refused(rs.validator.validate(null), FailureReason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("token signed by a retired key")
    class RetiredKey {
        @Test
        void tokenSignedByARetiredKeyIsRefused() {
            SigningKey old = TestKeys.shared(SigningAlgorithm.RS256);
            SigningKey replacement = TestKeys.shared(SigningAlgorithm.ES256);
            Fixture f = new Fixture(old, false);
            String token = f.mint();
            KeyRing ring = f.keyRing;
            ring.stageNext(replacement);
            ring.rotate();
            assertTrue(f.validator.validate(token).isValid(), "a rotated-out key still verifies");
            ring.retire(old.kid());
            refused(f.validator.validate(token), FailureReason.UNKNOWN_KEY);
            assertTrue(f.validator.validate(f.mint()).isValid(), "the new active key signs and verifies");
        }

        @Test
        void tokenSignedByAPreviousKeyAfterItsWindowIsRefused() {
            Fixture f = new Fixture(TestKeys.shared(SigningAlgorithm.RS256), false);
            String token = f.issuer.issue(f.request().lifetime(Duration.ofMinutes(30)).build()).value();
            f.keyRing.stageNext(TestKeys.shared(SigningAlgorithm.EdDSA));
            f.keyRing.rotate();
            f.clock.advance(Duration.ofMinutes(6));
            refused(f.validator.validate(token), FailureReason.UNKNOWN_KEY);
        }

        @Test
        void keySetWithoutTheKeyVerifiesNothingOfIt() {
            KeySet set = KeySet.of(TestKeys.shared(SigningAlgorithm.PS256));
            assertTrue(set.verificationKey(rs.key.kid(), rs.clock.instant()).isEmpty());
        }
    }

    @Nested
    @DisplayName("valid token whose jti was revoked / whose user was logged out everywhere")
    class Revoked {
        @Test
        void revokedJtiIsRefused() {
            var issued = rs.issuer.issue(rs.request().build());
            rs.revocation.revokeAccessToken(issued.jti(), issued.expiresAt());
            refused(rs.validator.validate(issued.value()), FailureReason.REVOKED);
        }

        @Test
        void userLoggedOutEverywhereIsRefused() {
            String token = rs.mint();
            String bobsToken = rs.issuer.issue(AccessTokenRequest.builder("bob", "demo-client").build()).value();
            rs.revocation.revokeSubject("alice", rs.clock.instant());
            refused(rs.validator.validate(token), FailureReason.REVOKED);
            assertTrue(rs.validator.validate(bobsToken).isValid(), "other users are unaffected");
            rs.clock.advance(Duration.ofSeconds(1));
            assertTrue(rs.validator.validate(rs.mint()).isValid(), "a token issued after the logout is accepted");
        }

        @Test
        void revokedFamilyIsRefusedAndOtherFamiliesLive() {
            String family1 = rs.issuer.issue(rs.request().familyId("fam-1").build()).value();
            String family2 = rs.issuer.issue(rs.request().familyId("fam-2").build()).value();
            rs.revocation.revokeFamily("fam-1", rs.clock.instant());
            refused(rs.validator.validate(family1), FailureReason.REVOKED);
            assertTrue(rs.validator.validate(family2).isValid());
        }
    }
}
