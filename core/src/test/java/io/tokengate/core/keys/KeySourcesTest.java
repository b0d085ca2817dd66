package io.tokengate.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.support.TestKeys;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.validation.AccessTokenValidator;

class KeySourcesTest {
    @TempDir
    Path dir;

    /** Mints with one key set and validates with another loaded independently: the kids must agree. */
    static void assertInterchangeable(KeySet signer, KeySet verifier) {
        MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
        AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(new KeyRing(signer, clock, Duration.ofMinutes(6)))
                .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).build();
        AccessTokenValidator validator = AccessTokenValidator.builder().keyRing(new KeyRing(verifier, clock, Duration.ofMinutes(6)))
                .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .revocationRegistry(new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30))).build();
        String token = issuer.issue(AccessTokenRequest.builder("alice", "demo-client").build()).value();
        assertTrue(validator.validate(token).isValid(), "token from one load refused by the other");
    }

    @Nested
    class Pkcs12 {
        private static final String PASSWORD = "changeit-123";

        private void keytool(Path store, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            cmd.addAll(List.of(args));
            cmd.addAll(List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), () -> String.join(" ", cmd) + "\n" + out);
        }

        private void genkey(Path store, String alias, String... keyArgs) throws Exception {
            List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-dname", "CN=" + alias, "-validity", "30"));
            args.addAll(List.of(keyArgs));
            keytool(store, args.toArray(String[]::new));
        }

        private Path storeWithThreeKeys() throws Exception {
            Path store = dir.resolve("tokengate.p12");
            genkey(store, "signing-2026", "-keyalg", "RSA", "-keysize", "2048");
            genkey(store, "signing-2027", "-keyalg", "EC", "-groupname", "secp256r1");
            genkey(store, "signing-2025", "-keyalg", "Ed25519");
            // the previous key keeps only its certificate, as after an administrator removed the private key
            Path cer = dir.resolve("old.cer");
            keytool(store, "-exportcert", "-alias", "signing-2025", "-file", cer.toString());
            keytool(store, "-delete", "-alias", "signing-2025");
            keytool(store, "-importcert", "-noprompt", "-alias", "signing-2025", "-file", cer.toString());
            return store;
        }

        @Test
        void loadsActiveNextAndVerifyOnlyPreviousByAlias() throws Exception {
            Path store = storeWithThreeKeys();
            KeySet set = KeySources.pkcs12(store, PASSWORD.toCharArray(), "signing-2026", "signing-2027", List.of("signing-2025"),
                    SigningAlgorithm.RS256);
            assertEquals(SigningAlgorithm.RS256, set.active().algorithm());
            assertEquals(SigningAlgorithm.ES256, set.next().orElseThrow().algorithm());
            SigningKey previous = set.previous().get(0).key();
            assertEquals(SigningAlgorithm.EdDSA, previous.algorithm());
            assertFalse(previous.canSign());
            assertEquals(SigningKey.thumbprint(set.active().publicKey()), set.active().kid());
            assertInterchangeable(set, KeySources.pkcs12(store, PASSWORD.toCharArray(), "signing-2026", null, null, SigningAlgorithm.RS256));
        }

        @Test
        void rsaKeysSignPs256WhenConfigured() throws Exception {
            Path store = storeWithThreeKeys();
            KeySet set = KeySources.pkcs12(store, PASSWORD.toCharArray(), "signing-2026", null, null, SigningAlgorithm.PS256);
            assertEquals(SigningAlgorithm.PS256, set.active().algorithm());
            assertInterchangeable(set, set);
        }

        @Test
        void wrongPasswordIsOneClearMessageWithoutThePassword() throws Exception {
            Path store = storeWithThreeKeys();
            KeySetException e = assertThrows(KeySetException.class,
                    () -> KeySources.pkcs12(store, "wrong-password".toCharArray(), "signing-2026", null, null, SigningAlgorithm.RS256));
            assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
            assertTrue(e.getMessage().contains(store.toString()));
            assertFalse(e.getMessage().contains("wrong-password"));
        }

        @Test
        void missingAliasNamesTheAlias() throws Exception {
            Path store = storeWithThreeKeys();
            KeySetException e = assertThrows(KeySetException.class,
                    () -> KeySources.pkcs12(store, PASSWORD.toCharArray(), "signing-1999", null, null, SigningAlgorithm.RS256));
            assertTrue(e.getMessage().contains("no alias 'signing-1999'"), e.getMessage());
        }

        @Test
        void activeAliasWithoutPrivateKeyIsRefused() throws Exception {
            Path store = storeWithThreeKeys();
            KeySetException e = assertThrows(KeySetException.class,
                    () -> KeySources.pkcs12(store, PASSWORD.toCharArray(), "signing-2025", null, null, SigningAlgorithm.RS256));
            assertTrue(e.getMessage().contains("holds no private key"), e.getMessage());
        }

        @Test
        void missingOrUnreadableKeystoreIsAClearMessage() throws Exception {
            KeySetException missing = assertThrows(KeySetException.class,
                    () -> KeySources.pkcs12(dir.resolve("nope.p12"), PASSWORD.toCharArray(), "a", null, null, SigningAlgorithm.RS256));
            assertTrue(missing.getMessage().contains("does not exist"));
            Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");
            assertThrows(KeySetException.class,
                    () -> KeySources.pkcs12(garbage, PASSWORD.toCharArray(), "a", null, null, SigningAlgorithm.RS256));
        }
    }

    @Nested
    class Pem {
        private String block(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }

        private Path write(String name, String... blocks) throws IOException {
            return Files.writeString(dir.resolve(name), String.join("", blocks));
        }

        private Path pemOf(SigningKey key, boolean withPublic) throws IOException {
            String priv = block("PRIVATE KEY", key.privateKey().orElseThrow().getEncoded());
            return withPublic ? write(key.kid() + ".pem", priv, block("PUBLIC KEY", key.publicKey().getEncoded()))
                    : write(key.kid() + ".pem", priv);
        }

        @Test
        void rsaPrivateKeyAloneDerivesItsPublicKey() throws Exception {
            SigningKey rsa = TestKeys.shared(SigningAlgorithm.RS256);
            KeySet set = KeySources.pem(pemOf(rsa, false), null, null, SigningAlgorithm.RS256);
            assertEquals(rsa.kid(), set.active().kid());
            assertInterchangeable(set, KeySet.of(rsa));
        }

        @Test
        void ecAndEd25519KeysWithTheirPublicBlocksLoad() throws Exception {
            SigningKey ec = TestKeys.shared(SigningAlgorithm.ES256);
            SigningKey ed = TestKeys.shared(SigningAlgorithm.EdDSA);
            Path previousPublicOnly = write("previous.pem", block("PUBLIC KEY", TestKeys.shared(SigningAlgorithm.PS256).publicKey().getEncoded()));
            KeySet set = KeySources.pem(pemOf(ec, true), pemOf(ed, true), List.of(previousPublicOnly), SigningAlgorithm.PS256);
            assertEquals(ec.kid(), set.active().kid());
            assertEquals(SigningAlgorithm.ES256, set.active().algorithm());
            assertEquals(ed.kid(), set.next().orElseThrow().kid());
            assertEquals(SigningAlgorithm.EdDSA, set.next().orElseThrow().algorithm());
            assertEquals(SigningAlgorithm.PS256, set.previous().get(0).key().algorithm());
            assertInterchangeable(set, KeySet.of(ec));
        }

        @Test
        void ecPrivateKeyWithoutItsPublicKeyAsksForIt() throws Exception {
            KeySetException e = assertThrows(KeySetException.class,
                    () -> KeySources.pem(pemOf(TestKeys.shared(SigningAlgorithm.ES256), false), null, null, SigningAlgorithm.RS256));
            assertTrue(e.getMessage().contains("PUBLIC KEY"), e.getMessage());
        }

        @Test
        void legacyPkcs1FileGetsAConversionHint() throws Exception {
            Path legacy = write("legacy.pem", block("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
            KeySetException e = assertThrows(KeySetException.class, () -> KeySources.pem(legacy, null, null, SigningAlgorithm.RS256));
            assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
        }

        @Test
        void fileWithoutPemOrWithoutPrivateKeyIsRefused() throws Exception {
            Path text = write("text.pem", "hello");
            assertTrue(assertThrows(KeySetException.class, () -> KeySources.pem(text, null, null, SigningAlgorithm.RS256))
                    .getMessage().contains("no PEM block"));
            Path publicOnly = write("pub.pem", block("PUBLIC KEY", TestKeys.shared(SigningAlgorithm.RS256).publicKey().getEncoded()));
            assertTrue(assertThrows(KeySetException.class, () -> KeySources.pem(publicOnly, null, null, SigningAlgorithm.RS256))
                    .getMessage().contains("must sign"));
        }
    }

    @Nested
    class JwkSet {
        private String privateJwk(SigningKey key, String fileKid) {
            var jwk = key.toPrivateJwk();
            jwk.setKeyId(fileKid);
            return jwk.toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        }

        @Test
        void activeAndNextAreChosenByFileKidAndTheRestArePrevious() throws Exception {
            SigningKey a = TestKeys.shared(SigningAlgorithm.RS256);
            SigningKey b = TestKeys.shared(SigningAlgorithm.ES256);
            SigningKey c = TestKeys.shared(SigningAlgorithm.EdDSA);
            Path file = Files.writeString(dir.resolve("keys.json"),
                    "{\"keys\":[" + privateJwk(c, "old") + "," + privateJwk(a, "current") + "," + privateJwk(b, "upcoming") + "]}");
            KeySet set = KeySources.jwkSet(file, "current", "upcoming", SigningAlgorithm.RS256);
            assertEquals(a.kid(), set.active().kid(), "the kid becomes the thumbprint whatever the file says");
            assertEquals(b.kid(), set.next().orElseThrow().kid());
            assertEquals(c.kid(), set.previous().get(0).key().kid());
            assertInterchangeable(set, KeySet.of(a));
        }

        @Test
        void withoutConfigurationTheFirstPrivateKeyIsActive() throws Exception {
            SigningKey b = TestKeys.shared(SigningAlgorithm.ES256);
            String publicOnly = TestKeys.shared(SigningAlgorithm.RS256).toPublicJwkJson();
            Path file = Files.writeString(dir.resolve("keys.json"), "{\"keys\":[" + publicOnly + "," + privateJwk(b, "x") + "]}");
            KeySet set = KeySources.jwkSet(file, null, null, SigningAlgorithm.RS256);
            assertEquals(b.kid(), set.active().kid());
            assertEquals(1, set.previous().size());
        }

        @Test
        void conflictingRolesAreRefused() throws Exception {
            SigningKey a = TestKeys.shared(SigningAlgorithm.RS256);
            SigningKey b = TestKeys.shared(SigningAlgorithm.ES256);
            SigningKey c = TestKeys.shared(SigningAlgorithm.EdDSA);
            String withStatus = "{\"keys\":[" + privateJwk(a, "a").replace("{", "{\"tokengate_status\":\"active\",") + ","
                    + privateJwk(b, "b").replace("{", "{\"tokengate_status\":\"next\",") + ","
                    + privateJwk(c, "c").replace("{", "{\"tokengate_status\":\"next\",") + "]}";
            Path twoNext = Files.writeString(dir.resolve("two-next.json"), withStatus);
            assertTrue(assertThrows(KeySetException.class, () -> KeySources.jwkSet(twoNext, null, null, SigningAlgorithm.RS256))
                    .getMessage().contains("two next keys"));
            String statusAndConfig = "{\"keys\":[" + privateJwk(a, "a").replace("{", "{\"tokengate_status\":\"active\",") + ","
                    + privateJwk(b, "b") + "]}";
            Path both = Files.writeString(dir.resolve("both.json"), statusAndConfig);
            assertThrows(KeySetException.class, () -> KeySources.jwkSet(both, "b", null, SigningAlgorithm.RS256));
        }

        @Test
        void symmetricKeysAndBrokenFilesAreRefusedWithTheFileName() throws Exception {
            Path oct = Files.writeString(dir.resolve("oct.json"), "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"}]}");
            KeySetException e = assertThrows(KeySetException.class, () -> KeySources.jwkSet(oct, null, null, SigningAlgorithm.RS256));
            assertTrue(e.getMessage().contains("symmetric") && e.getMessage().contains("oct.json"), e.getMessage());
            Path broken = Files.writeString(dir.resolve("broken.json"), "{\"keys\": [");
            assertThrows(KeySetException.class, () -> KeySources.jwkSet(broken, null, null, SigningAlgorithm.RS256));
            Path unknownKid = Files.writeString(dir.resolve("k.json"), "{\"keys\":[" + privateJwk(TestKeys.shared(SigningAlgorithm.RS256), "a") + "]}");
            assertTrue(assertThrows(KeySetException.class, () -> KeySources.jwkSet(unknownKid, "zzz", null, SigningAlgorithm.RS256))
                    .getMessage().contains("no key with kid zzz"));
        }
    }
}
