package io.tokengate.core.refresh.jpa;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a JDBC URL names a database that does not outlive the server: an in-memory one (H2, HSQLDB, Derby), or an
 * embedded one in a folder under the temporary directory — what the servers' default datasources are (Payara Micro:
 * H2 in a new temporary folder each start unless {@code --rootdir}; WildFly: H2 in memory). A refresh-token store
 * there loses every session at the next restart.
 */
public final class TemporaryDatabase {
    private TemporaryDatabase() {
    }

    /** What makes {@code jdbcUrl} temporary ("in memory", "in the temporary folder /tmp/..."), or empty for a lasting one. */
    public static Optional<String> of(String jdbcUrl, Path temporaryDirectory) {
        if (jdbcUrl == null) {
            return Optional.empty();
        }
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:mem:") || url.startsWith("jdbc:hsqldb:mem:") || url.startsWith("jdbc:derby:memory:")) {
            return Optional.of("in memory");
        }
        String path = embeddedPath(jdbcUrl, url);
        if (path == null || temporaryDirectory == null) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(path).toAbsolutePath().normalize();
            Path tmp = temporaryDirectory.toAbsolutePath().normalize();
            return file.startsWith(tmp) ? Optional.of("in the temporary folder " + tmp) : Optional.empty();
        } catch (RuntimeException e) { // not a path of this file system
            return Optional.empty();
        }
    }

    /** The file path of an embedded H2, HSQLDB or Derby URL, or null for a server database. */
    private static String embeddedPath(String original, String lower) {
        String rest;
        if (lower.startsWith("jdbc:h2:")) {
            rest = original.substring("jdbc:h2:".length());
            if (lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")) {
                return null;
            }
        } else if (lower.startsWith("jdbc:hsqldb:file:")) {
            rest = original.substring("jdbc:hsqldb:".length());
        } else if (lower.startsWith("jdbc:derby:") && !lower.startsWith("jdbc:derby://")) {
            rest = original.substring("jdbc:derby:".length());
            if (rest.toLowerCase(Locale.ROOT).startsWith("directory:")) {
                rest = rest.substring("directory:".length());
            }
        } else {
            return null;
        }
        if (rest.toLowerCase(Locale.ROOT).startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        int end = rest.indexOf(';');
        return end < 0 ? rest : rest.substring(0, end);
    }
}
