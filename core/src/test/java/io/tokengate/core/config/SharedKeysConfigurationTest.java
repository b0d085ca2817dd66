package io.tokengate.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengate.core.TokenGate;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.refresh.InMemoryRefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.revocation.RevocationFeed;
import io.tokengate.core.token.AccessTokenRequest;

/**
 * {@code tokengate.keys.source=database}: the servers of one issuer (two TokenGates on one store here) share one key
 * set, and a change on one reaches the other within the check interval; the settings it needs are checked at start.
 */
class SharedKeysConfigurationTest {
    @TempDir
    Path dir;

    private final RefreshTokenStore store = new InMemoryRefreshTokenStore();
    private final List<TokenGate> started = new ArrayList<>();

    private static String secret(String id) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return id + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private final String kek = secret("kek-2026");

    private Map<String, String> settings() {
        Map<String, String> m = new HashMap<>();
        m.put("tokengate.issuer", "https://login.example");
        m.put("tokengate.keys.source", "database");
        m.put("tokengate.keys.encryption-key", kek);
        m.put("tokengate.keys.algorithm", "ES256");
        m.put("tokengate.refresh-token-secrets", "rt-1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        return m;
    }

    private TokenGate start(Map<String, String> settings) {
        TokenGate tg = TokenGate.builder(SettingsSource.of(settings)).store(store)
                .clients(List.of(ClientRegistration.builder("spa").type(ClientType.PUBLIC).grants(GrantType.REFRESH_TOKEN).build()))
                .build();
        started.add(tg);
        return tg;
    }

    @AfterEach
    void stop() {
        started.forEach(TokenGate::close);
    }

    private static String token(TokenGate tg) {
        return tg.issuer().issue(AccessTokenRequest.builder("alice", "spa").build()).value();
    }

    /** Waits until {@code condition} holds, at most {@code millis}; how long it took. */
    private static long within(long millis, java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long from = System.nanoTime();
        while (!condition.getAsBoolean()) {
            long took = (System.nanoTime() - from) / 1_000_000;
            assertTrue(took < millis, what + " after " + took + " ms");
            Thread.sleep(20);
        }
        return (System.nanoTime() - from) / 1_000_000;
    }

    @Test
    void twoServersShareOneKeySetAndRotationAndRetirementOnOneReachTheOtherWithinThreeSeconds() throws Exception {
        TokenGate a = start(settings());
        TokenGate b = start(settings());
        assertEquals(a.jwksJson(), b.jwksJson(), "one JWKS");
        assertTrue(b.validator().validate(token(a)).isValid(), "a token of one server is valid on the other");

        String old = a.keyRing().current().active().kid();
        String before = token(a);
        a.rotateKeys(); // no next key staged: a new key signs at once
        String fresh = token(a);
        assertTrue(b.validator().validate(fresh).isValid(), "the new key's first token, on the other server at once (unknown kid → check)");
        assertTrue(b.validator().validate(before).isValid(), "the old key still verifies");
        within(3_000, () -> b.keyRing().current().active().kid().equals(a.keyRing().current().active().kid()), "b signs with the new key");

        String bToken = token(b);
        b.retireKey(old);
        assertFalse(b.validator().validate(before).isValid(), "retired: refused where it was retired");
        long took = within(3_000, () -> !a.validator().validate(before).isValid(), "the retired key still verifies on a");
        System.out.println("SharedKeysConfigurationTest: a retirement on b reached a in " + took + " ms");
        assertTrue(a.validator().validate(bToken).isValid());
        within(3_000, () -> a.revocationFeed().since(null).cuts().stream()
                .anyMatch(c -> c.kind() == RevocationFeed.Kind.KEY && c.key().equals(old)), "a's feed tells resource servers of the retired key");
    }

    @Test
    void theKeyEncryptionKeyIsRequiredAndOnlyForTheDatabaseSource() {
        Map<String, String> none = settings();
        none.remove("tokengate.keys.encryption-key");
        ConfigurationException missing = assertThrows(ConfigurationException.class, () -> start(none));
        assertEquals("tokengate.keys.encryption-key", missing.key());

        Map<String, String> generated = settings();
        generated.put("tokengate.keys.source", "generated");
        generated.put("tokengate.keys.directory", dir.resolve("keys").toString());
        assertEquals("tokengate.keys.encryption-key", assertThrows(ConfigurationException.class, () -> start(generated)).key());

        Map<String, String> shortKey = settings();
        shortKey.put("tokengate.keys.encryption-key", "kek:" + Base64.getUrlEncoder().encodeToString(new byte[16]));
        ConfigurationException tooShort = assertThrows(ConfigurationException.class, () -> start(shortKey));
        assertEquals("tokengate.keys.encryption-key", tooShort.key());
        assertTrue(tooShort.getMessage().contains("32 bytes"), tooShort.getMessage());
    }

    @Test
    void aServerWithAnotherKeyEncryptionKeyRefusesToStartNamingIt() {
        start(settings());
        Map<String, String> other = settings();
        other.put("tokengate.keys.encryption-key", secret("kek-2026"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> start(other));
        assertEquals("tokengate.keys.encryption-key", e.key());
        assertTrue(e.getMessage().contains("does not open the stored key set"), e.getMessage());
    }

    @Test
    void theRotationIntervalMustLeaveRoomToPublishTheNextKeyAhead() {
        Map<String, String> m = settings();
        m.put("tokengate.keys.rotation-interval", "PT9M"); // jwks-max-age is PT5M
        assertEquals("tokengate.keys.rotation-interval", assertThrows(ConfigurationException.class, () -> start(m)).key());
        m.put("tokengate.keys.rotation-interval", "P30D");
        start(m);
    }

    @Test
    void theKeyEncryptionKeyMayComeFromAPkcs12Keystore() throws Exception {
        Path keystore = dir.resolve("kek.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        ks.setEntry("kek-2026", new KeyStore.SecretKeyEntry(new SecretKeySpec(aes, "AES")), new KeyStore.PasswordProtection("changeit".toCharArray()));
        try (OutputStream out = Files.newOutputStream(keystore)) {
            ks.store(out, "changeit".toCharArray());
        }
        Map<String, String> m = settings();
        m.remove("tokengate.keys.encryption-key");
        m.put("tokengate.keys.encryption-key-alias", "kek-2026");
        m.put("tokengate.keys.keystore", keystore.toString());
        m.put("tokengate.keys.keystore-password", "changeit");
        TokenGate a = start(m);
        TokenGate b = start(m);
        assertTrue(b.validator().validate(token(a)).isValid());
        m.put("tokengate.keys.keystore-password", "wrong");
        assertEquals("tokengate.keys.keystore-password", assertThrows(ConfigurationException.class, () -> start(m)).key());
        m.put("tokengate.keys.keystore-password", "changeit");
        m.put("tokengate.keys.encryption-key-alias", "no-such-alias");
        assertEquals("tokengate.keys.encryption-key-alias", assertThrows(ConfigurationException.class, () -> start(m)).key());
    }

    @Test
    void aDatabaseAwayAtTheStartFailsItNamingTheKeySource() {
        RefreshTokenStore away = new io.tokengate.core.refresh.DeferredStore(() -> {
            throw new io.tokengate.core.refresh.StoreUnavailableException("connection refused", null);
        }, "jdbc/tokengate", java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(5));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> TokenGate.builder(SettingsSource.of(settings()))
                .store(away).clients(List.of()).build());
        assertEquals("tokengate.keys.source", e.key());
        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    }
}
