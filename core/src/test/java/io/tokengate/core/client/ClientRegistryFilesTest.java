package io.tokengate.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientRegistryFilesTest {
    @TempDir
    Path dir;

    private static final String DIGEST = ClientSecrets.digest("demo-secret");

    @Test
    void propertiesFileDefinesEverySetting() throws Exception {
        Path file = Files.writeString(dir.resolve("clients.properties"), String.join("\n",
                "client.demo-client.type=confidential",
                "client.demo-client.secret-sha256=" + DIGEST,
                "client.demo-client.grants=password refresh_token",
                "client.demo-client.scopes=read write",
                "client.demo-client.access-token-lifetime=PT10M",
                "client.demo-client.refresh-idle-timeout=P7D",
                "client.demo-client.refresh-absolute-lifetime=2592000",
                "client.demo-client.retry-window=PT5S",
                "client.demo-spa.type=public",
                "client.demo-spa.cookie-mode=true",
                ""));
        ClientRegistry registry = ClientRegistryFiles.load(file);
        ClientRegistration c = registry.find("demo-client").orElseThrow();
        assertTrue(c.isConfidential());
        assertTrue(ClientSecrets.matches("demo-secret", c.secretSha256()));
        assertEquals(Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN), c.grants());
        assertEquals(Set.of("read", "write"), c.scopes());
        assertEquals(Duration.ofMinutes(10), c.accessTokenLifetime().orElseThrow());
        assertEquals(Duration.ofDays(7), c.refreshIdleTimeout());
        assertEquals(Duration.ofDays(30), c.refreshAbsoluteLifetime());
        assertEquals(Duration.ofSeconds(5), c.retryWindow());
        ClientRegistration spa = registry.find("demo-spa").orElseThrow();
        assertEquals(ClientType.PUBLIC, spa.type());
        assertTrue(spa.cookieMode());
        assertEquals(Set.of(GrantType.REFRESH_TOKEN), spa.grants(), "default grants");
        assertEquals(ClientRegistration.DEFAULT_RETRY_WINDOW, spa.retryWindow());
        assertTrue(registry.find("nobody").isEmpty());
        assertTrue(registry.find(null).isEmpty());
    }

    @Test
    void theCodeFlowSettingsAndTheirMistakes() throws Exception {
        Path file = Files.writeString(dir.resolve("code.properties"), String.join("\n",
                "client.app.type=public",
                "client.app.grants=authorization_code refresh_token",
                "client.app.redirect-uris=http://127.0.0.1:8765/callback com.example.app:/cb https://app.example/cb",
                "client.app.first-party=true",
                "client.app.dpop-bound-access-tokens=true",
                ""));
        ClientRegistration app = ClientRegistryFiles.load(file).find("app").orElseThrow();
        assertEquals(java.util.List.of("http://127.0.0.1:8765/callback", "com.example.app:/cb", "https://app.example/cb"), app.redirectUris());
        assertTrue(app.firstParty());
        assertTrue(app.dpopBoundAccessTokens());
        assertTrue(app.allows(GrantType.AUTHORIZATION_CODE));
        Path page = Files.writeString(dir.resolve("page.properties"), "client.page.type=public\nclient.page.redirect-uris=${issuer}/callback\n");
        assertEquals(java.util.List.of("http://localhost:9090/app/callback"),
                ClientRegistryFiles.load(page, "http://localhost:9090/app/").find("page").orElseThrow().redirectUris(), "the issuer's own page");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(page)).getMessage().contains("names the issuer"));
        for (String[] bad : new String[][] {
                {"client.x.type=public\nclient.x.grants=authorization_code\n", "authorization_code needs redirect-uris"},
                {"client.x.type=public\nclient.x.redirect-uris=http://app.example/cb\n", "must be https, http to the loopback interface"},
                {"client.x.type=public\nclient.x.redirect-uris=https://app.example/cb#frag\n", "without a fragment"},
                {"client.x.type=public\nclient.x.redirect-uris=/relative\n", "must be absolute"},
                {"client.x.type=public\nclient.x.redirect-uris=javascript:alert(1)\n", "private-use scheme"},
                {"client.x.type=public\nclient.x.first-party=yes\n", "first-party must be true or false"}}) {
            Path f = Files.writeString(dir.resolve("bad.properties"), bad[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(f), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains("client x"), e.getMessage());
        }
    }

    @Test
    void jsonFileUsesTheSameSettingNames() throws Exception {
        Path file = Files.writeString(dir.resolve("clients.json"), "{\"clients\":[{\"client-id\":\"demo-client\",\"secret-sha256\":\""
                + DIGEST + "\",\"grants\":[\"password\",\"refresh_token\"],\"scopes\":\"read write\",\"retry-window\":0,"
                + "\"cookie-mode\":false}]}");
        ClientRegistration c = ClientRegistryFiles.load(file).find("demo-client").orElseThrow();
        assertEquals(Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN), c.grants());
        assertEquals(Set.of("read", "write"), c.scopes());
        assertEquals(Duration.ZERO, c.retryWindow());
        assertFalse(c.cookieMode());
    }

    @Test
    void mistakesNameTheFileTheClientAndTheSetting() throws Exception {
        Path typo = Files.writeString(dir.resolve("a.properties"), "client.x.secret-sha256=" + DIGEST + "\nclient.x.grant=password\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(typo));
        assertTrue(e.getMessage().contains("a.properties") && e.getMessage().contains("client x") && e.getMessage().contains("grant"),
                e.getMessage());
        Path badDuration = Files.writeString(dir.resolve("b.properties"), "client.x.secret-sha256=" + DIGEST + "\nclient.x.retry-window=soon\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(badDuration)).getMessage().contains("retry-window"));
        Path noSecret = Files.writeString(dir.resolve("c.properties"), "client.x.type=confidential\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(noSecret)).getMessage().contains("secret-sha256"));
        Path publicCc = Files.writeString(dir.resolve("d.properties"), "client.x.type=public\nclient.x.grants=client_credentials\n");
        assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(publicCc));
        Path unknownGrant = Files.writeString(dir.resolve("e.properties"), "client.x.secret-sha256=" + DIGEST + "\nclient.x.grants=implicit\n");
        assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(unknownGrant));
        assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(dir.resolve("missing.properties")));
        Path plainSecret = Files.writeString(dir.resolve("f.properties"), "client.x.secret-sha256=hunter2\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(plainSecret)).getMessage()
                .contains("not the secret"));
        Path twice = Files.writeString(dir.resolve("g.json"), "{\"clients\":[{\"client-id\":\"x\",\"secret-sha256\":\"" + DIGEST
                + "\"},{\"client-id\":\"x\",\"secret-sha256\":\"" + DIGEST + "\"}]}");
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> ClientRegistryFiles.load(twice));
        assertTrue(dup.getMessage().contains("g.json") && dup.getMessage().contains("registered twice"), dup.getMessage());
    }

    @Test
    void secretsAreMachineGeneratedAndComparedByDigest() {
        String secret = ClientSecrets.generate();
        assertEquals(43, secret.length());
        assertTrue(ClientSecrets.matches(secret, ClientSecrets.digest(secret)));
        assertFalse(ClientSecrets.matches(secret + "x", ClientSecrets.digest(secret)));
        assertFalse(ClientSecrets.matches(secret, "not base64 !!"));
        assertFalse(ClientSecrets.matches(null, ClientSecrets.digest(secret)));
    }
}
