package io.tokengate.bench.refresh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.tokengate.core.refresh.RefreshTokenHasher;

/**
 * Fills a PostgreSQL schema with refresh-token families for the refresh benchmark, fast: the tables of TokenGate's
 * shipped DDL ({@code tokengate/ddl/tokengate-schema.sql}), rows streamed in with COPY, then the DDL's indexes and
 * ANALYZE. Every row belongs to the server's issuer; active families to {@code demo-client}, each with its first refresh
 * token (generation 0) in its row, hashed and tagged under the given secret (the server must run with the same
 * {@code tokengate.refresh-token-secrets}); a sample of their tokens, spread over the table, is written to a file for the
 * load generator. Expired families (idle and absolute expiry a day ago) are
 * what a cleanup run must delete.
 *
 * <pre>java -cp benchmarks.jar io.tokengate.bench.refresh.RefreshData jdbcUrl schema secret activeFamilies expiredFamilies \
 *     tokensFile sampleSize issuer [subjects]</pre>
 * The families belong to {@code subjects} users in turn (default 250 000; 1: every family one user's).
 */
public final class RefreshData {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int CHUNK = 20_000;

    private RefreshData() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8 && args.length != 9) {
            System.err.println("usage: RefreshData jdbcUrl schema secret(id:base64url) activeFamilies expiredFamilies tokensFile sampleSize issuer"
                    + " [subjects, default 250000]");
            System.exit(2);
        }
        String url = args[0];
        String schema = args[1];
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("schema must be a plain lower-case identifier: " + schema);
        }
        String[] secret = args[2].split(":", 2);
        RefreshTokenHasher hasher = new RefreshTokenHasher(new RefreshTokenHasher.Secret(secret[0], Base64.getUrlDecoder().decode(secret[1])),
                List.of());
        int active = Integer.parseInt(args[3]);
        int expired = Integer.parseInt(args[4]);
        Path tokensFile = Path.of(args[5]);
        int sample = Math.min(Integer.parseInt(args[6]), active);
        String issuer = args[7];
        int subjects = args.length > 8 ? Integer.parseInt(args[8]) : 250_000;
        if (!issuer.matches("[A-Za-z0-9:/._-]+")) {
            throw new IllegalArgumentException("the issuer goes into CSV unquoted: letters, digits and :/._- only: " + issuer);
        }

        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            List<String> tables = new ArrayList<>();
            List<String> indexes = new ArrayList<>();
            for (String statement : ddl()) {
                (statement.startsWith("CREATE TABLE") ? tables : indexes).add(statement);
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                s.execute("CREATE SCHEMA " + schema);
                s.execute("SET search_path TO " + schema);
                for (String t : tables) {
                    s.execute(t);
                }
            }
            List<String> sampled = copy(c, hasher, active, expired, sample, issuer, subjects);
            try (Statement s = c.createStatement()) {
                for (String i : indexes) {
                    s.execute(i);
                }
                s.execute("ANALYZE tg_family");
                s.execute("ANALYZE tg_refresh_token");
            }
            Files.write(tokensFile, sampled, StandardCharsets.US_ASCII);
        }
        System.out.printf("loaded %d active and %d expired families into %s in %.1f s; %d tokens in %s%n", active, expired, schema,
                (System.nanoTime() - started) / 1e9, sample, tokensFile);
    }

    /** The shipped DDL as statements, comments removed. */
    private static List<String> ddl() throws IOException {
        String text;
        try (InputStream in = RefreshData.class.getResourceAsStream("/tokengate/ddl/tokengate-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("tokengate/ddl/tokengate-schema.sql is not on the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        for (String statement : sb.toString().split(";")) {
            if (!statement.isBlank()) {
                out.add(statement.trim());
            }
        }
        return out;
    }

    /** Streams the families and their tokens in; returns the sampled tokens of active families. */
    private static List<String> copy(Connection c, RefreshTokenHasher hasher, int active, int expired, int sample, String issuer, int subjects)
            throws SQLException {
        SecureRandom random = new SecureRandom();
        long now = System.currentTimeMillis();
        long day = 86_400_000L;
        // every active/sample-th family goes to the load generator: spread over the whole table
        double every = sample == 0 ? Double.MAX_VALUE : (double) active / sample;
        double nextSampled = 0;
        List<String> sampled = new ArrayList<>(sample);
        PGConnection pg = c.unwrap(PGConnection.class);
        try (CsvCopy families = new CsvCopy(pg, "COPY tg_family (family_id, issuer, subject, client_id, scopes, groups_json, auth_time, created_at,"
                + " last_used_at, idle_expires_at, absolute_expires_at, state, revoked_at, revoked_reason, user_agent, remote_address,"
                + " generation, token_hash, token_secret_id, token_issued_at) FROM STDIN (FORMAT csv)")) {
            for (int i = 0; i < active + expired; i++) {
                boolean live = i < active;
                String familyId = id(random, 16);
                long created = live ? now - 3_600_000L : now - 40 * day;
                long idle = live ? now + 14 * day : now - day;
                long absolute = live ? now + 30 * day : now - day;
                String token = hasher.firstToken(familyId);
                families.row().append(familyId).append(',').append(issuer).append(",user-").append(i % subjects).append(",demo-client,\"\",\"{\"\"g\"\":[\"\"user\"\"]}\",,")
                        .append(created).append(',').append(created).append(',').append(idle).append(',').append(absolute)
                        .append(",ACTIVE,,,bench,127.0.0.1,0,").append(hasher.hash(token)).append(',').append(hasher.currentSecretId()).append(',')
                        .append(created).append('\n');
                if (live && i >= nextSampled && sampled.size() < sample) {
                    sampled.add(token);
                    nextSampled += every;
                }
            }
            families.finish();
        }
        return sampled;
    }

    /** One COPY ... FROM STDIN, its CSV rows sent in chunks; cancelled when closed before it finished. */
    private static final class CsvCopy implements AutoCloseable {
        private final CopyIn copy;
        private final StringBuilder rows = new StringBuilder(CHUNK * 160);

        CsvCopy(PGConnection pg, String sql) throws SQLException {
            this.copy = pg.getCopyAPI().copyIn(sql);
        }

        /** Where the next row goes (the rows so far are sent first when a chunk is full). */
        StringBuilder row() throws SQLException {
            if (rows.length() > CHUNK * 150) {
                send();
            }
            return rows;
        }

        void finish() throws SQLException {
            send();
            copy.endCopy();
        }

        private void send() throws SQLException {
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            rows.setLength(0);
        }

        @Override
        public void close() throws SQLException {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static String id(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }
}
