package io.tokengate.core.refresh.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The default datasources of Payara Micro and WildFly are recognised as temporary; real databases are not. */
class TemporaryDatabaseTest {
    private static final Path TMP = Path.of("/tmp");

    @Test
    void inMemoryDatabasesAreTemporary() {
        assertEquals(Optional.of("in memory"), TemporaryDatabase.of("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE", TMP),
                "WildFly's ExampleDS, its default datasource");
        assertEquals(Optional.of("in memory"), TemporaryDatabase.of("jdbc:hsqldb:mem:x", TMP));
        assertEquals(Optional.of("in memory"), TemporaryDatabase.of("jdbc:derby:memory:x;create=true", TMP));
    }

    @Test
    void embeddedDatabasesUnderTheTemporaryFolderAreTemporary() {
        assertEquals(Optional.of("in the temporary folder /tmp"), TemporaryDatabase.of(
                "jdbc:h2:/tmp/payaramicro-rt123tmp/lib/databases/embedded_default;AUTO_SERVER=TRUE", TMP), "Payara Micro's default");
        assertEquals(Optional.of("in the temporary folder /tmp"), TemporaryDatabase.of("jdbc:h2:file:/tmp/x/../y/db", TMP));
        assertEquals(Optional.of("in the temporary folder /tmp"), TemporaryDatabase.of("jdbc:derby:directory:/tmp/db;create=true", TMP));
    }

    @Test
    void lastingDatabasesAreNot() {
        assertEquals(Optional.empty(), TemporaryDatabase.of("jdbc:h2:/home/app/.tokengate/sample/tokengate-sample;AUTO_SERVER=TRUE", TMP));
        assertEquals(Optional.empty(), TemporaryDatabase.of("jdbc:h2:/tmpfiles/db", TMP), "a sibling of /tmp is not under it");
        assertEquals(Optional.empty(), TemporaryDatabase.of("jdbc:h2:tcp://127.0.0.1/tmp/db", TMP), "a database server");
        assertEquals(Optional.empty(), TemporaryDatabase.of("jdbc:postgresql://127.0.0.1:5432/test", TMP));
        assertEquals(Optional.empty(), TemporaryDatabase.of("jdbc:mariadb://127.0.0.1:3306/test", TMP));
        assertEquals(Optional.empty(), TemporaryDatabase.of(null, TMP));
    }
}
