package io.tokengate.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.tokengate.core.refresh.StoreUnavailableException;

/** The issuer's servers sharing one key set through the store's database (an in-memory {@link KeySetStore} here). */
class SharedKeySetTest {
    private static final String ISSUER = "https://login.example";
    private static final Duration RETENTION = Duration.ofMinutes(5).plusSeconds(30);
    private static final Duration PUBLISH_AHEAD = Duration.ofMinutes(5);

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    /** A store that counts reads and can be told to fail, to let another server change it first, or to hold a given record. */
    static final class TestStore implements KeySetStore {
        final AtomicReference<Stored> record = new AtomicReference<>();
        final AtomicInteger loads = new AtomicInteger();
        volatile boolean down;
        volatile Runnable beforeNextWrite;

        @Override
        public Optional<Stored> load() {
            if (down) {
                throw new StoreUnavailableException("the database is away", null);
            }
            loads.incrementAndGet();
            return Optional.ofNullable(record.get());
        }

        @Override
        public boolean compareAndSet(long expectedVersion, String sealed) {
            if (down) {
                throw new StoreUnavailableException("the database is away", null);
            }
            Runnable hook = beforeNextWrite;
            beforeNextWrite = null;
            if (hook != null) {
                hook.run();
            }
            Stored now = record.get();
            return (now == null ? 0 : now.version()) == expectedVersion && record.compareAndSet(now, new Stored(expectedVersion + 1, sealed));
        }

        Stored stored() {
            return record.get();
        }

        /** What an attacker or a restored backup leaves in the row. */
        void overwrite(Stored s) {
            record.set(s);
        }
    }

    private final TestClock clock = new TestClock();
    private final TestStore store = new TestStore();

    static KeySealer.Kek kek(String id) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new KeySealer.Kek(id, new SecretKeySpec(key, "AES"));
    }

    private final KeySealer.Kek kek = kek("kek-1");

    private SharedKeySet server(Duration rotationInterval) {
        return SharedKeySet.open(ISSUER, store, new KeySealer(List.of(kek), ISSUER), SigningAlgorithm.ES256, clock, RETENTION,
                PUBLISH_AHEAD, rotationInterval);
    }

    private SharedKeySet server() {
        return server(null);
    }

    private static String active(SharedKeySet s) {
        return s.keyRing().current().active().kid();
    }

    private boolean verifies(SharedKeySet s, String kid) {
        return s.keyRing().current().verificationKey(kid, clock.instant()).isPresent();
    }

    @Test
    void twoServersOfOneIssuerSignWithTheSameKeyAndPublishTheSameJwks() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        assertEquals(active(a), active(b), "the second server adopts the key the first generated");
        assertEquals(a.keyRing().current().toJwksJson(clock.instant()), b.keyRing().current().toJwksJson(clock.instant()));
        assertEquals(1, store.stored().version(), "one key set stored");
    }

    @Test
    void aRotationOnOneServerReachesTheOtherAtItsNextCheckAndTheOldKeyStillVerifiesThere() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        String old = active(a);
        a.rotate();
        assertNotEquals(old, active(a));
        assertTrue(b.check(), "b sees a newer version");
        assertEquals(active(a), active(b));
        assertTrue(verifies(b, old), "tokens the old key signed still verify on b");
        assertEquals(Optional.of(clock.instant().plus(RETENTION)), b.keyRing().current().verifyUntil(old), "until the longest token has expired");
        assertFalse(b.check(), "nothing new");
    }

    @Test
    void aTokenOfANewKeyMakesTheOtherServerCheckAtOnceButAFloodOfUnknownKidsAtMostOncePerInterval() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        a.rotate();
        assertTrue(b.keyRing().refreshFor(active(a)), "the unknown kid made b read the stored set");
        assertTrue(verifies(b, active(a)));
        int before = store.loads.get();
        for (int i = 0; i < 1000; i++) {
            assertFalse(b.keyRing().refreshFor("random-kid-" + i));
        }
        assertTrue(store.loads.get() - before <= 1, "at most one read per interval: " + (store.loads.get() - before));
    }

    @Test
    void aKeyRetiredOnOneServerIsRefusedByTheOthersAndTheyTellTheirListeners() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        List<String> toldA = new ArrayList<>();
        List<String> toldB = new ArrayList<>();
        a.onRetired(toldA::add);
        b.onRetired(toldB::add);
        String compromised = active(a);
        a.retire(compromised);
        assertFalse(verifies(a, compromised), "refused at once where it was retired");
        assertNotEquals(compromised, active(a), "a generated key took its place");
        b.check();
        assertFalse(verifies(b, compromised), "and on the other server after its check");
        assertEquals(active(a), active(b));
        assertEquals(List.of(compromised), toldA);
        assertEquals(List.of(compromised), toldB, "b's revocation feed can tell resource servers too");
        assertThrows(KeySetException.class, () -> b.retire("no-such-kid"));
    }

    @Test
    void aRetirementTheDatabaseDidNotTakeIsStillEnforcedHereAndNotUndoneByALaterCheck() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        b.rotate(); // a previous key to retire
        a.check();
        String previous = a.keyRing().current().previous().get(0).key().kid();
        store.down = true;
        assertThrows(StoreUnavailableException.class, () -> a.retire(previous));
        assertFalse(verifies(a, previous), "refused here although the database did not take it");
        store.down = false;
        b.rotate(); // another server's later change, which still has the key
        assertTrue(a.check());
        assertFalse(verifies(a, previous), "what a retired stays retired here");
        a.retire(previous); // retired again once the database answers: now for every server
        b.check();
        assertFalse(verifies(b, previous));
    }

    @Test
    void twoServersRotatingAtOnceBothRotateNeitherChangeIsLost() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        String first = active(a);
        AtomicReference<String> aRotatedTo = new AtomicReference<>();
        store.beforeNextWrite = () -> aRotatedTo.set(active(wrap(a)));
        b.rotate(); // a rotates between b's read and b's write: b's write fails, b reads again and rotates after it
        assertEquals(3, store.stored().version(), "two rotations stored");
        a.check();
        assertEquals(active(a), active(b));
        assertNotEquals(first, active(b));
        assertNotEquals(aRotatedTo.get(), active(b), "b rotated after a");
        assertTrue(verifies(b, aRotatedTo.get()), "a's key is b's previous key");
        assertTrue(verifies(b, first));
    }

    private static SharedKeySet wrap(SharedKeySet s) {
        s.rotate();
        return s;
    }

    @Test
    void privateKeysAreStoredOnlyEncryptedAndOpenOnlyForThisIssuerWithItsKey() throws Exception {
        SharedKeySet a = server();
        String sealed = store.stored().sealed();
        String d = (String) a.keyRing().current().active().toPrivateJwk()
                .toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE).get("d");
        assertTrue(d != null && d.length() > 40, "the JWK's private member, as the plaintext holds it");
        assertFalse(sealed.contains("\"d\""), "no JWK member in clear");
        assertFalse(sealed.contains(d.substring(0, 20)), "no private key in clear");
        assertFalse(sealed.contains(active(a)), "not even the kid");
        assertTrue(sealed.startsWith("v1.kek-1."), sealed.substring(0, 12));
        KeySetException wrongKey = assertThrows(KeySetException.class,
                () -> SharedKeySet.open(ISSUER, store, new KeySealer(List.of(kek("kek-1")), ISSUER), SigningAlgorithm.ES256, clock, RETENTION,
                        PUBLISH_AHEAD, null));
        assertTrue(wrongKey.getMessage().contains("kek-1 does not open"), wrongKey.getMessage());
        KeySetException otherIssuer = assertThrows(KeySetException.class, () -> new KeySealer(List.of(kek), "https://other.example").open(sealed, 1));
        assertTrue(otherIssuer.getMessage().contains("another issuer's record"), otherIssuer.getMessage());
        KeySetException unknown = assertThrows(KeySetException.class, () -> new KeySealer(List.of(kek("kek-2")), ISSUER).open(sealed, 1));
        assertTrue(unknown.getMessage().contains("sealed with key-encryption key kek-1, which is not configured"), unknown.getMessage());
    }

    @Test
    void aNewKeyEncryptionKeyListedFirstSealsTheStoredSetAgainAndTheOldOneCanThenGo() {
        SharedKeySet a = server();
        KeySealer.Kek replacement = kek("kek-2");
        SharedKeySet b = SharedKeySet.open(ISSUER, store, new KeySealer(List.of(replacement, kek), ISSUER), SigningAlgorithm.ES256, clock,
                RETENTION, PUBLISH_AHEAD, null);
        assertTrue(store.stored().sealed().startsWith("v1.kek-2."), "sealed again under the new key");
        assertEquals(active(a), active(b), "the same keys");
        SharedKeySet c = SharedKeySet.open(ISSUER, store, new KeySealer(List.of(replacement), ISSUER), SigningAlgorithm.ES256, clock,
                RETENTION, PUBLISH_AHEAD, null);
        assertEquals(active(a), active(c), "opens with the new key alone");
    }

    @Test
    void theSchedulePublishesTheNextKeyAheadRotatesWhenItIsDueAndKeepsTheOldKeyForTheLongestToken() {
        Duration interval = Duration.ofDays(30);
        SharedKeySet a = server(interval);
        SharedKeySet b = server(interval);
        String first = active(a);
        clock.advance(interval.minus(PUBLISH_AHEAD).minusSeconds(1));
        a.tick();
        b.tick();
        assertTrue(a.keyRing().current().next().isEmpty(), "not yet");
        clock.advance(Duration.ofSeconds(1));
        b.tick();
        a.tick();
        String next = b.keyRing().current().next().orElseThrow().kid();
        assertEquals(Optional.of(next), a.keyRing().current().next().map(SigningKey::kid), "one next key, whichever server staged it");
        assertTrue(a.keyRing().current().toJwksJson(clock.instant()).contains(next), "published before it signs");
        assertEquals(first, active(a), "the old key still signs");
        long staged = store.stored().version();
        clock.advance(PUBLISH_AHEAD.minusSeconds(1));
        a.tick();
        assertEquals(first, active(a), "not before its time");
        clock.advance(Duration.ofSeconds(1));
        a.tick();
        b.tick();
        assertEquals(next, active(a));
        assertEquals(next, active(b));
        assertEquals(staged + 1, store.stored().version(), "rotated once, not once per server");
        assertTrue(verifies(b, first));
        clock.advance(RETENTION);
        assertFalse(verifies(b, first), "dropped once the longest token it signed has expired");
    }

    @Test
    void aRotationIntervalNoLongerThanThePublicationAheadIsRefused() {
        assertThrows(KeySetException.class, () -> server(PUBLISH_AHEAD));
    }

    @Test
    void aServerWhoseDatabaseIsAwayGoesOnWithItsKeys() {
        SharedKeySet a = server();
        String kid = active(a);
        store.down = true;
        a.tick(); // logged (TG-0208), not thrown
        assertEquals(kid, active(a));
        assertTrue(verifies(a, kid));
        store.down = false;
    }

    @Test
    void rsaKeysSurviveTheRoundTripWithEveryPrivatePart() {
        SharedKeySet a = SharedKeySet.open(ISSUER, store, new KeySealer(List.of(kek), ISSUER), SigningAlgorithm.RS256, clock, RETENTION,
                PUBLISH_AHEAD, null);
        SharedKeySet b = SharedKeySet.open(ISSUER, store, new KeySealer(List.of(kek), ISSUER), SigningAlgorithm.RS256, clock, RETENTION,
                PUBLISH_AHEAD, null);
        RSAPrivateCrtKey pa = (RSAPrivateCrtKey) a.keyRing().current().active().privateKey().orElseThrow();
        RSAPrivateCrtKey pb = (RSAPrivateCrtKey) b.keyRing().current().active().privateKey().orElseThrow();
        assertEquals(pa.getPrivateExponent(), pb.getPrivateExponent());
        assertEquals(pa.getCrtCoefficient(), pb.getCrtCoefficient());
    }

    @Test
    void anOlderRecordWrittenBackUnderANewerVersionDoesNotOpenAndIsNotAdopted() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        KeySetStore.Stored first = store.stored();
        String compromised = active(a);
        a.retire(compromised);
        b.check();
        store.overwrite(new KeySetStore.Stored(store.stored().version() + 1, first.sealed())); // the old record, replayed
        KeySetException e = assertThrows(KeySetException.class, b::check);
        assertTrue(e.getMessage().contains("written back under a newer version"), e.getMessage());
        assertFalse(verifies(b, compromised), "the retired key does not come back");
        b.tick(); // logged (TG-0210), not thrown
        assertFalse(verifies(b, compromised));
    }

    @Test
    void aDatabaseRolledBackToAnOlderVersionIsNeitherAdoptedNorWrittenOver() {
        SharedKeySet a = server();
        KeySetStore.Stored first = store.stored();
        String compromised = active(a);
        a.retire(compromised);
        store.overwrite(first); // a backup from before the retirement
        KeySetException e = assertThrows(KeySetException.class, a::check);
        assertTrue(e.getMessage().contains("older than version 2 this server has"), e.getMessage());
        assertThrows(KeySetException.class, a::rotate, "nothing written over it");
        assertEquals(first, store.stored());
        assertFalse(verifies(a, compromised));
    }

    @Test
    void theActiveKeyRetiredWhileTheDatabaseIsAwayNeverSignsAgainHereAndIsStoredAtTheNextCheck() {
        SharedKeySet a = server();
        SharedKeySet b = server();
        String first = active(b);
        b.rotate();
        a.check();
        String compromised = active(a);
        store.down = true;
        assertThrows(StoreUnavailableException.class, () -> a.retire(compromised));
        String successor = active(a);
        assertNotEquals(compromised, successor, "a generated key signs here at once");
        store.down = false;
        b.retire(first); // another server's change, which keeps the compromised key active, with no next key
        assertTrue(a.check());
        assertEquals(successor, active(a), "the same successor, never the compromised key again");
        assertFalse(verifies(a, compromised));
        a.tick(); // stores the retirement the database did not take
        b.check();
        assertEquals(successor, active(b), "now for every server");
        assertFalse(verifies(b, compromised));
        assertFalse(verifies(b, first));
    }

    @Test
    void whenTwoServersActOnTheScheduleAtOnceOneNextKeyIsStaged() {
        Duration interval = Duration.ofDays(30);
        SharedKeySet a = server(interval);
        SharedKeySet b = server(interval);
        clock.advance(interval.minus(PUBLISH_AHEAD));
        long before = store.stored().version();
        store.beforeNextWrite = b::tick; // b stages between a's read and a's write
        a.tick();
        assertEquals(before + 1, store.stored().version(), "one change stored, not two");
        a.check();
        assertEquals(b.keyRing().current().next().map(SigningKey::kid), a.keyRing().current().next().map(SigningKey::kid), "one next key");
        clock.advance(PUBLISH_AHEAD);
        store.beforeNextWrite = b::tick; // and b rotates between a's read and a's write
        a.tick();
        assertEquals(before + 2, store.stored().version(), "rotated once");
        a.check();
        assertEquals(active(a), active(b));
    }
}
