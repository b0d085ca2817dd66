package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokengate.core.config.SettingKey;

/** The README's configuration table is every module's keys, each with its default: no more, no fewer. */
class ConfigurationTableTest {
    @Test
    void readmeDocumentsEverySettingOfEveryModuleWithItsDefault() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (SettingKey s : EeSettings.ALL_KEYS) {
            String row = readme.stream().filter(l -> l.startsWith("| `" + s.key() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("README lacks a table row for " + s.key()));
            String expected = s.documentedDefault() == null ? "—" : s.documentedDefault();
            assertTrue(row.contains(expected), s.key() + " row should show its default " + expected + ": " + row);
        }
        long rows = readme.stream().filter(l -> l.startsWith("| `tokengate.")).count();
        assertEquals(EeSettings.ALL_KEYS.size(), rows, "one row per key, and no row for a key that does not exist");
    }
}
