package io.tokengate.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengate.core.config.Settings;

/** Generated keys and secrets are one application's own by default: one folder per issuer. */
class KeysDirectoryTest {
    private static Path defaultFor(String issuer) {
        return KeySourceFactory.keysDirectory(new Settings(Map.of("tokengate.issuer", issuer)::get));
    }

    @Test
    void twoApplicationsGetTwoFoldersAndTheServersOfOneIssuerTheSame() {
        Path home = Path.of(System.getProperty("user.home"), ".tokengate", "keys");
        Path first = defaultFor("http://localhost:8080/orders");
        Path second = defaultFor("http://localhost:8080/billing");
        assertEquals(home, first.getParent());
        assertNotEquals(first, second);
        assertEquals(first, defaultFor("http://localhost:8080/orders"), "the same issuer, the same folder");
        assertNotEquals(defaultFor("http://localhost:8080/a-b"), defaultFor("http://localhost:8080/a/b"), "alike names still differ");
        assertNotEquals(defaultFor("https://login.example/app"), defaultFor("http://login.example/app"));
        assertTrue(first.getFileName().toString().matches("localhost-8080-orders-[0-9a-f]{12}"), first.toString());
    }

    @Test
    void theSettingWins() {
        Map<String, String> m = new HashMap<>(Map.of("tokengate.issuer", "http://localhost:8080/orders", "tokengate.keys.directory", "/srv/keys"));
        assertEquals(Path.of("/srv/keys"), KeySourceFactory.keysDirectory(new Settings(m::get)));
    }
}
