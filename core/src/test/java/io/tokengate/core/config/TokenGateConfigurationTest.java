package io.tokengate.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengate.core.TokenGate;
import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.endpoint.Handoff;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.refresh.InMemoryRefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.support.EndpointFixture;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.token.AccessTokenRequest;

class TokenGateConfigurationTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
    private final RefreshTokenStore store = new InMemoryRefreshTokenStore();

    private Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("tokengate.issuer", "http://localhost:8080");
        m.put("tokengate.keys.directory", dir.resolve("keys").toString());
        return m;
    }

    private TokenGate start(Map<String, String> settings) {
        return TokenGate.builder(SettingsSource.of(settings)).store(store).clock(clock)
                .clients(List.of(ClientRegistration.builder("spa").type(ClientType.PUBLIC).grants(GrantType.REFRESH_TOKEN).build()))
                .build();
    }

    private static ConfigurationException failure(Map<String, String> settings, TokenGateConfigurationTest t) {
        return assertThrows(ConfigurationException.class, () -> t.start(settings));
    }

    @Test
    void minimalConfigurationMintsValidatesAndRefreshes() {
        TokenGate tg = start(minimal());
        String token = tg.issuer().issue(AccessTokenRequest.builder("alice", "spa").build()).value();
        assertTrue(tg.validator().validate(token).isValid());
        EndpointResponse first = tg.handoff().issue(new Handoff.Request("spa", "alice", Set.of(), null, null, null, null));
        String rt = (String) EndpointFixture.json(first).get("refresh_token");
        EndpointResponse refreshed = tg.tokenEndpoint().token(EndpointFixture.post("spa", null, "grant_type", "refresh_token", "refresh_token", rt));
        assertEquals(200, refreshed.status(), refreshed.body());
        assertEquals("http://localhost:8080", tg.validator().validate(token).principal().orElseThrow().claims().get("aud"),
                "the audience defaults to the issuer");
    }

    @Test
    void theServersAccessTokenLifetimeAppliesToClientsThatSetNoneOfTheirOwn() {
        Map<String, String> settings = minimal();
        settings.put("tokengate.access-token-lifetime", "PT1M");
        TokenGate tg = start(settings);
        EndpointResponse r = tg.handoff().issue(new Handoff.Request("spa", "alice", Set.of(), null, null, null, null));
        assertEquals(60L, ((Number) EndpointFixture.json(r).get("expires_in")).longValue(), r.body());
        var token = tg.validator().validate((String) EndpointFixture.json(r).get("access_token")).principal().orElseThrow();
        assertEquals(60, token.expiresAt().getEpochSecond() - token.issuedAt().getEpochSecond());
    }

    @Test
    void aRestartKeepsTheAccessTokensOfRevokedFamiliesCut() {
        TokenGate first = start(minimal());
        Map<String, Object> tokens = EndpointFixture.json(first.handoff().issue(new Handoff.Request("spa", "alice", Set.of(), null, null, null, null)));
        String access = (String) tokens.get("access_token");
        String family = first.validator().validate(access).principal().orElseThrow().familyId().orElseThrow();
        assertTrue(first.refreshTokens().revokeFamily(family, "alice"));
        TokenGate second = start(minimal()); // same store and keys, fresh in-memory revocation registry
        assertEquals(io.tokengate.core.validation.FailureReason.REVOKED, second.validator().validate(access).failure().orElseThrow(),
                "the family's live access token stays refused after the restart");
    }

    @Test
    void restartWithTheSameDirectoryKeepsAccessAndRefreshTokensValid() {
        TokenGate first = start(minimal());
        String token = first.issuer().issue(AccessTokenRequest.builder("alice", "spa").build()).value();
        String rt = (String) EndpointFixture.json(first.handoff().issue(new Handoff.Request("spa", "alice", Set.of(), null, null, null, null)))
                .get("refresh_token");
        TokenGate second = start(minimal());
        assertTrue(second.validator().validate(token).isValid(), "same generated keys");
        assertEquals(200, second.tokenEndpoint().token(EndpointFixture.post("spa", null, "grant_type", "refresh_token", "refresh_token", rt)).status(),
                "same generated refresh-token secret");
        assertTrue(Files.exists(dir.resolve("keys/tokengate-refresh-secret.txt")));
    }

    @Test
    void missingIssuerNamesTheKey() {
        Map<String, String> m = minimal();
        m.remove("tokengate.issuer");
        ConfigurationException e = failure(m, this);
        assertEquals("tokengate.issuer", e.key());
        assertTrue(e.getMessage().startsWith("TG-0001"), e.getMessage());
    }

    @Test
    void unknownAlgorithmNamesTheKey() {
        Map<String, String> m = minimal();
        m.put("tokengate.keys.algorithm", "HS256");
        assertEquals("tokengate.keys.algorithm", failure(m, this).key());
    }

    @Test
    void unreadableKeystoreAndWrongPasswordNameTheirKeys() throws Exception {
        Map<String, String> m = minimal();
        m.put("tokengate.keys.source", "pkcs12");
        m.put("tokengate.keys.keystore", dir.resolve("missing.p12").toString());
        m.put("tokengate.keys.keystore-password", "secret-pw");
        m.put("tokengate.keys.active", "signing");
        m.put("tokengate.refresh-token-secrets", "s1:" + "A".repeat(43));
        ConfigurationException missing = failure(m, this);
        assertEquals("tokengate.keys.keystore", missing.key());

        Path p12 = dir.resolve("ks.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "signing",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=t", "-keystore", p12.toString(), "-storetype", "PKCS12",
                "-storepass", "right-pw").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        m.put("tokengate.keys.keystore", p12.toString());
        ConfigurationException wrong = failure(m, this);
        assertEquals("tokengate.keys.keystore-password", wrong.key());
        assertFalse(wrong.getMessage().contains("secret-pw"));

        Path pw = Files.writeString(dir.resolve("pw.txt"), "right-pw\n");
        m.put("tokengate.keys.keystore-password", "${file:" + pw + "}");
        TokenGate tg = start(m);
        assertEquals(SigningAlgorithm.ES256, tg.keyRing().current().active().algorithm());

        // an alias that is not in the keystore is blamed on the setting that named it
        m.put("tokengate.keys.next", "not-there");
        assertEquals("tokengate.keys.next", failure(m, this).key());
        m.remove("tokengate.keys.next");
        m.put("tokengate.keys.previous", "also-not-there");
        assertEquals("tokengate.keys.previous", failure(m, this).key());
        m.remove("tokengate.keys.previous");
        m.put("tokengate.keys.active", "missing-alias");
        ConfigurationException active = failure(m, this);
        assertEquals("tokengate.keys.active", active.key());
        assertTrue(active.getCause() != null, "the cause goes with it, for the log");
    }

    @Test
    void aKeyProblemIsNamedBeforeMissingRefreshTokenSecrets() throws Exception {
        Map<String, String> m = minimal();
        m.put("tokengate.keys.source", "jwks");
        m.put("tokengate.keys.jwks-file", dir.resolve("none.json").toString());
        assertEquals("tokengate.keys.jwks-file", failure(m, this).key(), "the missing key file first, as before");
        Path jwks = dir.resolve("keys.json");
        org.jose4j.jwk.RsaJsonWebKey key = org.jose4j.jwk.RsaJwkGenerator.generateJwk(2048);
        key.setAlgorithm("RS256");
        key.setUse("sig");
        Files.writeString(jwks, "{\"keys\":[" + key.toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE) + "]}");
        m.put("tokengate.keys.jwks-file", jwks.toString());
        assertEquals("tokengate.refresh-token-secrets", failure(m, this).key(), "then the secrets that keys of a file need");
    }

    @Test
    void malformedValuesNameTheirKeys() {
        for (Map.Entry<String, String> bad : Map.of("tokengate.clock-skew", "soon", "tokengate.max-token-length", "big",
                "tokengate.accept-jwt-type", "yes", "tokengate.keys.source", "vault", "tokengate.access-token-lifetime", "PT2H",
                "tokengate.refresh-token-secrets", "nocolon", "tokengate.clients", dir.resolve("none.properties").toString(),
                "tokengate.keys.keystore-password", "${env:TOKENGATE_SURELY_UNSET_VARIABLE}").entrySet()) {
            Map<String, String> m = minimal();
            m.put(bad.getKey(), bad.getValue());
            if (bad.getKey().equals("tokengate.keys.keystore-password")) {
                m.put("tokengate.keys.source", "pkcs12");
                m.put("tokengate.keys.keystore", "x.p12");
                m.put("tokengate.refresh-token-secrets", "s1:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
            }
            assertEquals(bad.getKey(), failure(m, this).key(), bad.toString());
        }
    }

    @Test
    void refreshTokenSecretsAreReadCurrentFirst() {
        Map<String, String> m = minimal();
        String k1 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        String k2 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        m.put("tokengate.refresh-token-secrets", "new:" + k2 + ", old:" + k1);
        TokenGate tg = start(m);
        String rt = (String) EndpointFixture.json(tg.handoff().issue(new Handoff.Request("spa", "alice", Set.of(), null, null, null, null)))
                .get("refresh_token");
        assertTrue(tg.refreshTokens().find(rt).orElseThrow().live());
        java.util.Base64.Decoder d = java.util.Base64.getUrlDecoder();
        assertEquals("new", new io.tokengate.core.refresh.RefreshTokenHasher(new io.tokengate.core.refresh.RefreshTokenHasher.Secret("new",
                d.decode(k2)), List.of()).decode(rt).orElseThrow().secretId(), "made under the first secret");
        assertTrue(new io.tokengate.core.refresh.RefreshTokenHasher(new io.tokengate.core.refresh.RefreshTokenHasher.Secret("old",
                d.decode(k1)), List.of()).decode(rt).isEmpty());
    }

    @Test
    void metadataAndJwksComeFromTheRuntime() throws Exception {
        TokenGate tg = start(minimal());
        Map<String, Object> meta = JsonUtil.parseJson(tg.metadataJson(new AuthorizationServerMetadata.Paths("/oauth/token", "/oauth/revoke",
                "/oauth/introspect", "/oauth/jwks", "/oauth/revocation-feed")));
        assertEquals("http://localhost:8080/oauth/token", meta.get("token_endpoint"));
        assertTrue(tg.jwksJson().contains(tg.keyRing().current().active().kid()));
    }
}
