package io.tokengate.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.MutableClock;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.FailureReason;

class DevelopmentKeySetTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");

    private DevelopmentKeySet open(Path dir, SigningAlgorithm alg) {
        return DevelopmentKeySet.openOrCreate(dir, alg, clock, Duration.ofMinutes(6));
    }

    private String mint(KeyRing ring) {
        return AccessTokenIssuer.builder().keyRing(ring).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).build()
                .issue(AccessTokenRequest.builder("alice", "demo-client").build()).value();
    }

    private AccessTokenValidator validator(KeyRing ring) {
        return AccessTokenValidator.builder().keyRing(ring).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .revocationRegistry(new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30))).build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SigningAlgorithm.class)
    void generatedOnFirstStartAndReloadedAfterARestartSoIssuedTokensStayValid(SigningAlgorithm alg) {
        Path dir = tmp.resolve("keys");
        DevelopmentKeySet first = open(dir, alg);
        assertEquals(alg, first.keyRing().current().active().algorithm());
        String token = mint(first.keyRing());

        DevelopmentKeySet afterRestart = open(dir, alg);
        assertEquals(first.keyRing().current().active().kid(), afterRestart.keyRing().current().active().kid());
        assertTrue(validator(afterRestart.keyRing()).validate(token).isValid());
    }

    @Test
    void directoryAndKeyFileAreOwnerOnly() throws Exception {
        Path dir = tmp.resolve("deep/keys");
        DevelopmentKeySet set = open(dir, SigningAlgorithm.RS256);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(set.file())));
        set.rotate();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(set.file())), "rewrites keep it");
    }

    @Test
    void existingDirectoryIsTightenedToOwnerOnly() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        open(dir, SigningAlgorithm.ES256);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void loosenedKeyFileIsMadeOwnerOnlyAgainOnLoad() throws Exception {
        Path dir = tmp.resolve("k");
        DevelopmentKeySet set = open(dir, SigningAlgorithm.ES256);
        Files.setPosixFilePermissions(set.file(), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        open(dir, SigningAlgorithm.ES256);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(set.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws Exception {
        Path dir = tmp.resolve("k");
        DevelopmentKeySet set = open(dir, SigningAlgorithm.ES256);
        set.rotate();
        set.rotate();
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(DevelopmentKeySet.FILE_NAME), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void fileHoldsPrivatePartsButTheJwksDoesNot() throws Exception {
        DevelopmentKeySet set = open(tmp.resolve("k"), SigningAlgorithm.RS256);
        assertTrue(Files.readString(set.file()).contains("\"d\":"));
        assertFalse(set.keyRing().current().toJwksJson(clock.instant()).contains("\"d\":"));
    }

    @Test
    void rotationIsPersistedAndThePreviousKeyKeepsVerifyingAfterARestart() {
        Path dir = tmp.resolve("k");
        DevelopmentKeySet set = open(dir, SigningAlgorithm.ES256);
        String old = set.keyRing().current().active().kid();
        String beforeRotation = mint(set.keyRing());
        set.stageNextIfAbsent();
        String next = set.keyRing().current().next().orElseThrow().kid();
        assertEquals(next, open(dir, SigningAlgorithm.ES256).keyRing().current().next().orElseThrow().kid(), "staged key persisted");

        set.rotate();
        DevelopmentKeySet reloaded = open(dir, SigningAlgorithm.ES256);
        assertEquals(next, reloaded.keyRing().current().active().kid());
        assertEquals(old, reloaded.keyRing().current().previous().get(0).key().kid());
        assertEquals(clock.instant().plus(Duration.ofMinutes(6)), reloaded.keyRing().current().previous().get(0).verifyUntil().orElseThrow());
        assertTrue(validator(reloaded.keyRing()).validate(beforeRotation).isValid());
    }

    @Test
    void retiringTheActiveKeyGeneratesItsReplacementAndIsPersisted() {
        Path dir = tmp.resolve("k");
        DevelopmentKeySet set = open(dir, SigningAlgorithm.EdDSA);
        String token = mint(set.keyRing());
        String retired = set.keyRing().current().active().kid();
        set.retire(retired);
        DevelopmentKeySet reloaded = open(dir, SigningAlgorithm.EdDSA);
        assertFalse(reloaded.keyRing().current().describe().containsKey(retired));
        assertEquals(FailureReason.UNKNOWN_KEY, validator(reloaded.keyRing()).validate(token).failure().orElseThrow());
        assertTrue(validator(reloaded.keyRing()).validate(mint(reloaded.keyRing())).isValid());
    }
}
