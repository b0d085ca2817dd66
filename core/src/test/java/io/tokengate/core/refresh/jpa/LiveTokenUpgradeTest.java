package io.tokengate.core.refresh.jpa;

import static io.tokengate.core.support.EndpointFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.random.SecureRandoms;
import io.tokengate.core.refresh.FamilyState;
import io.tokengate.core.refresh.RefreshTokenHasher;
import io.tokengate.core.refresh.RefreshTokenService;
import io.tokengate.core.support.EndpointFixture;

/**
 * Tables of the version that kept a row per refresh token, with live sessions in them: the store adds the live-token
 * columns itself (schema-generation create) or names the shipped script (none), which then works. The sessions survive:
 * a family's live token row refreshes once more, into the family's row (a retry inside the window gets the same
 * successor), and from then on no row is added; an old rotated row, and the upgraded row itself later, are still
 * recognised as reuse; the cleanup deletes the rotated rows. On H2, PostgreSQL and MariaDB.
 */
class LiveTokenUpgradeTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** The hashing secret the earlier version ran with (kept as an older secret after the upgrade). */
    private static final RefreshTokenHasher.Secret OLD_SECRET = RefreshTokenHasher.generateSecret("before-upgrade");

    @ParameterizedTest(name = "{0}, schema-generation {1}")
    @CsvSource({"h2, create", "h2, none", "postgres, create", "postgres, none", "mariadb, create", "mariadb, none"})
    void sessionsOfTheVersionWithARowPerTokenLiveOnAndStopAddingRows(String db, String schemaGeneration) throws Exception {
        DataSource ds = switch (db) {
            case "postgres" -> IssuerUpgradeTest.postgres("tg_live_token_" + schemaGeneration);
            case "mariadb" -> IssuerUpgradeTest.mariadb("tg_live_token_" + schemaGeneration);
            default -> IssuerUpgradeTest.h2();
        };
        EndpointFixture timeline = new EndpointFixture(); // only for its clock's start, which the rows below use
        Instant now = timeline.clock.instant();
        String live = legacyToken();
        String rotatedBefore = legacyToken();
        String otherLive = legacyToken();
        String otherRotated = legacyToken();
        RefreshTokenHasher old = new RefreshTokenHasher(OLD_SECRET, List.of());
        List<String> statements = new ArrayList<>(IssuerUpgradeTest.script("tokengate-schema-before-live-token.sql"));
        statements.addAll(family("fam-a", now, old.hash(live), old.hash(rotatedBefore)));
        statements.addAll(family("fam-b", now, old.hash(otherLive), old.hash(otherRotated)));
        IssuerUpgradeTest.run(ds, statements);

        Map<String, Object> none = Map.of(JpaStores.SCHEMA_ACTION, "none");
        if (schemaGeneration.equals("none")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JpaStores.open(ds, JpaStoreContractTests.ISSUER, none));
            assertTrue(refused.getMessage().contains("tokengate-upgrade-live-token.sql"), refused.getMessage());
            IssuerUpgradeTest.run(ds, SchemaUpgrades.LIVE_TOKEN.statements());
            IssuerUpgradeTest.run(ds, SchemaUpgrades.LIVE_TOKEN.statements()); // it may run again
            IssuerUpgradeTest.run(ds, SchemaUpgrades.DPOP.statements());
        }
        try (JpaRefreshTokenStore store = JpaStores.open(ds, JpaStoreContractTests.ISSUER, schemaGeneration.equals("none") ? none : Map.of())) {
            EndpointFixture f = new EndpointFixture(store, List.of(OLD_SECRET));
            assertTrue(f.service.find(live).orElseThrow().live());
            assertFalse(f.service.find(rotatedBefore).orElseThrow().live());

            f.clock.advance(Duration.ofSeconds(1));
            String successor = refreshed(f, live);
            assertEquals(new RefreshTokenHasher.Decoded("fam-a", 1, "s1"), f.hasher.decode(successor).orElseThrow(),
                    "the successor is a token of this version, generation 1 of the same family");
            assertEquals(successor, refreshed(f, live), "a retry inside the window gets the same successor");
            String second = refreshed(f, successor);
            f.clock.advance(Duration.ofMinutes(1));
            String third = refreshed(f, second);
            assertEquals(Map.of("TG_FAMILY", 2L, "TG_REFRESH_TOKEN", 4L), rows(ds), "no row added by any of those refreshes");

            assertEquals("invalid_grant", json(f.refresh(live)).get("error"), "the upgraded row, replayed later, is reuse");
            assertEquals(FamilyState.REVOKED, f.service.family("fam-a").orElseThrow().state());
            assertEquals("invalid_grant", json(f.refresh(third)).get("error"));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                assertEquals(1, f.refreshConcurrently(otherLive, 8, pool).size(),
                        "eight refreshes of one row at once: one rotation into generation 1, seven retries answered with it");
            } finally {
                pool.shutdownNow();
            }
            assertEquals("invalid_grant", json(f.refresh(otherRotated)).get("error"), "an old rotated row is still reuse");
            assertEquals(FamilyState.REVOKED, f.service.family("fam-b").orElseThrow().state());
            assertEquals("invalid_grant", json(f.refresh(otherLive)).get("error"), "its family was revoked");
            assertEquals(1, f.events(TokenEvent.Refreshed.class).stream().filter(e -> e.familyId().equals("fam-b") && !e.retry()).count(),
                    "fam-b rotated exactly once");
            assertEquals(2, f.events(TokenEvent.ReuseDetected.class).size());

            f.clock.advance(Duration.ofHours(2));
            RefreshTokenService.CleanUpResult cleaned = f.service.cleanUp(Duration.ofDays(7), Duration.ofHours(1), 100);
            assertEquals(4, cleaned.rotatedTokens(), "every row was rotated: all go after keep-rotated");
            assertEquals(Map.of("TG_FAMILY", 2L, "TG_REFRESH_TOKEN", 0L), rows(ds));
            assertEquals(0, cleaned.families(), "revoked families are kept a while, so reuse is still recognised");
        }
    }

    private static String refreshed(EndpointFixture f, String token) {
        EndpointResponse r = f.refresh(token);
        assertEquals(200, r.status(), r.body());
        return (String) json(r).get("refresh_token");
    }

    /** A token as the earlier version made them: 256 random bits, base64url. */
    private static String legacyToken() {
        return B64.encodeToString(SecureRandoms.bytes(32));
    }

    /** A family of the earlier version with its live token row and a row rotated an hour ago into it. */
    private static List<String> family(String familyId, Instant now, String liveHash, String rotatedHash) {
        long t = now.toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        String issuer = JpaStoreContractTests.ISSUER;
        return List.of("INSERT INTO TG_FAMILY (FAMILY_ID, ISSUER, SUBJECT, CLIENT_ID, SCOPES, GROUPS_JSON, CREATED_AT, LAST_USED_AT,"
                        + " IDLE_EXPIRES_AT, ABSOLUTE_EXPIRES_AT, STATE) VALUES ('" + familyId + "', '" + issuer + "', 'alice', 'demo-client',"
                        + " 'read write', '{\"g\":[\"user\"]}', " + (t - day) + ", " + (t - 3_600_000) + ", " + (t + 13 * day) + ", "
                        + (t + 29 * day) + ", 'ACTIVE')",
                "INSERT INTO TG_REFRESH_TOKEN (TOKEN_HASH, ISSUER, SECRET_ID, FAMILY_ID, STATE, ISSUED_AT, ROTATED_AT, SUCCESSOR_HASH) VALUES ('"
                        + rotatedHash + "', '" + issuer + "', '" + OLD_SECRET.id() + "', '" + familyId + "', 'ROTATED', " + (t - day) + ", "
                        + (t - 3_600_000) + ", '" + liveHash + "')",
                "INSERT INTO TG_REFRESH_TOKEN (TOKEN_HASH, ISSUER, SECRET_ID, FAMILY_ID, STATE, ISSUED_AT) VALUES ('" + liveHash + "', '"
                        + issuer + "', '" + OLD_SECRET.id() + "', '" + familyId + "', 'ACTIVE', " + (t - 3_600_000) + ")");
    }

    private static Map<String, Long> rows(DataSource ds) throws SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("TG_FAMILY", "TG_REFRESH_TOKEN")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
