package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengate.core.config.ConfigurationException;

class EeSettingsTest {
    @TokenGateDefinition(settings = {"tokengate.issuer = https://app.example.com", "tokengate.endpoints=true"})
    static class Good {
    }

    @TokenGateDefinition(settings = "tokengate.isuer=https://app.example.com")
    static class Misspelt {
    }

    @TokenGateDefinition(settings = "tokengate.issuer")
    static class NoValue {
    }

    @Test
    void theAnnotationsSettingsAreKeyValuePairsOfTheConfigurationTable() {
        assertEquals(Map.of("tokengate.issuer", "https://app.example.com", "tokengate.endpoints", "true"), EeSettings.annotationSettings(Good.class));
    }

    @Test
    void aMisspeltKeyFailsTheStartNamingIt() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> EeSettings.annotationSettings(Misspelt.class));
        assertEquals("tokengate.isuer", e.key());
        assertTrue(e.getMessage().startsWith("TG-0001 TokenGate configuration: tokengate.isuer: @TokenGateDefinition on "), e.getMessage());
    }

    @Test
    void anEntryWithoutAValueFailsTheStart() {
        assertEquals("tokengate.issuer", assertThrows(ConfigurationException.class, () -> EeSettings.annotationSettings(NoValue.class)).key());
    }

    @Test
    void withoutMicroProfileConfigTheMechanismSwitchIsASystemProperty() {
        ClassLoader bare = new ClassLoader(null) {
        };
        assertEquals(false, EeSettings.mechanismEnabled(bare));
        System.setProperty("tokengate.mechanism", "true");
        try {
            assertEquals(true, EeSettings.mechanismEnabled(bare));
        } finally {
            System.clearProperty("tokengate.mechanism");
        }
    }
}
