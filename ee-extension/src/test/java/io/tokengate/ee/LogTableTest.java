package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.log.LogId;
import io.tokengate.servlet.ServletLog;

/** Every log id is declared once, in its module's catalogue; the README's log-id table is those catalogues. */
class LogTableTest {
    private static final List<Class<?>> CATALOGUES = List.of(CoreLog.class, ServletLog.class, EeLog.class);
    private static final Pattern ROW = Pattern.compile("^\\| `(TG-\\d{4})` \\| ([A-Z]+) \\| (.+) \\|$");
    private static final Pattern ID_LITERAL = Pattern.compile("\"TG-\\d{4}");

    @Test
    void everyIdIsDeclaredOnceAndTheReadmeTableListsEachWithItsLevelAndMeaning() throws Exception {
        Map<String, LogId> declared = new LinkedHashMap<>();
        for (Class<?> catalogue : CATALOGUES) {
            for (Field f : catalogue.getDeclaredFields()) {
                if (f.getType() == LogId.class && Modifier.isStatic(f.getModifiers())) {
                    LogId id = (LogId) f.get(null);
                    LogId before = declared.put(id.id(), id);
                    assertEquals(null, before, id.id() + " is declared twice: " + f);
                }
            }
        }
        assertTrue(declared.size() > 30, "the catalogues were read: " + declared.keySet());

        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                assertEquals(null, rows.put(m.group(1), m.group(2) + " | " + m.group(3)), m.group(1) + " has two README rows");
            }
        }
        for (LogId id : declared.values()) {
            assertEquals(id.level().name() + " | " + id.meaning(), rows.get(id.id()), "README row of " + id.id());
        }
        assertEquals(declared.keySet(), rows.keySet(), "one README row per declared id, no row for an id that does not exist");
    }

    @Test
    void noMainCodeWritesALogIdOutsideItsCatalogue() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("core", "servlet-filter", "ee-extension")) {
            try (Stream<Path> files = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                for (Path p : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String name = p.getFileName().toString();
                    if (name.equals("CoreLog.java") || name.equals("ServletLog.java") || name.equals("EeLog.java")) {
                        continue;
                    }
                    if (ID_LITERAL.matcher(Files.readString(p, StandardCharsets.UTF_8)).find()) {
                        offenders.add(p.toString());
                    }
                }
            }
        }
        assertEquals(List.of(), offenders, "log ids belong in CoreLog, ServletLog or EeLog");
    }
}
