package io.tokengate.core.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tokengate.core.keys.KeyGenerator;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.support.Fixture;

/**
 * The validator remembers verified tokens: a token seen again is answered without parsing or signature checking,
 * but never past its expiry, never after the keys changed, and never without the revocation check.
 */
class VerifiedTokenCacheTest {

    @Test
    void theSameTokenAgainIsAnsweredFromTheCache() {
        Fixture f = Fixture.rs256();
        String token = f.mint();
        AccessTokenPrincipal first = f.validator.validate(token).principal().orElseThrow();
        assertSame(first, f.validator.validate(token).principal().orElseThrow(), "the remembered principal, no second parse");
    }

    @Test
    void aTokenThatDiffersOnlyBeforeItsSignaturesEndIsNotAnsweredByTheCache() {
        // the cache hashes the signature's last characters only; equality still takes the whole token
        Fixture f = Fixture.rs256();
        String token = f.mint();
        assertTrue(f.validator.validate(token).isValid());
        int at = token.indexOf('.') + 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertEquals(token.substring(token.length() - 16), tampered.substring(tampered.length() - 16));
        assertEquals(FailureReason.BAD_SIGNATURE, f.validator.validate(tampered).failure().orElseThrow());
        String sameTail = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(326) + token.substring(token.length() - 16);
        assertEquals(FailureReason.BAD_SIGNATURE, f.validator.validate(sameTail).failure().orElseThrow());
        assertEquals(1, f.validator.cachedTokens());
    }

    @Test
    void aCachedTokenIsStillRefusedOnceItExpires() {
        Fixture f = Fixture.rs256();
        String token = f.mint(); // 5 minutes, 30 s skew
        assertTrue(f.validator.validate(token).isValid());
        f.clock.advance(Duration.ofMinutes(5).plusSeconds(29));
        assertTrue(f.validator.validate(token).isValid(), "inside the skew");
        f.clock.advance(Duration.ofSeconds(1));
        assertEquals(FailureReason.EXPIRED, f.validator.validate(token).failure().orElseThrow(), "the same instant as without a cache");
    }

    @Test
    void aCachedTokenIsRefusedAsSoonAsItIsRevoked() {
        Fixture f = Fixture.rs256();
        String token = f.mint();
        AccessTokenPrincipal p = f.validator.validate(token).principal().orElseThrow();
        f.revocation.revokeAccessToken(p.jti(), p.expiresAt());
        assertEquals(FailureReason.REVOKED, f.validator.validate(token).failure().orElseThrow());
        Fixture g = Fixture.rs256();
        String other = g.mint();
        AccessTokenPrincipal q = g.validator.validate(other).principal().orElseThrow();
        g.revocation.revokeSubject(q.subject(), g.clock.instant());
        assertEquals(FailureReason.REVOKED, g.validator.validate(other).failure().orElseThrow());
    }

    @Test
    void aCachedTokenOfAPreviousKeyIsRefusedWhenThatKeysWindowCloses() {
        // the key set object stays the same while time closes a previous key's window: the cache must know the window
        Fixture f = new Fixture(io.tokengate.core.support.TestKeys.shared(SigningAlgorithm.RS256), false);
        String token = f.issuer.issue(f.request().lifetime(Duration.ofMinutes(30)).build()).value();
        f.keyRing.stageNext(io.tokengate.core.support.TestKeys.shared(SigningAlgorithm.ES256));
        f.keyRing.rotate(); // the old key verifies for 6 more minutes
        f.clock.advance(Duration.ofMinutes(1));
        assertTrue(f.validator.validate(token).isValid());
        assertEquals(1, f.validator.cachedTokens());
        f.clock.advance(Duration.ofMinutes(6));
        assertEquals(FailureReason.UNKNOWN_KEY, f.validator.validate(token).failure().orElseThrow(),
                "the same answer as without the cache");
    }

    @Test
    void retiringTheKeyRefusesItsCachedTokensAtOnce() {
        Fixture f = Fixture.rs256();
        String token = f.mint();
        assertTrue(f.validator.validate(token).isValid());
        f.keyRing.stageNext(KeyGenerator.generate(SigningAlgorithm.RS256));
        f.keyRing.rotate();
        assertTrue(f.validator.validate(token).isValid(), "rotated out: the previous key still verifies (re-checked)");
        f.keyRing.retire(f.key.kid());
        assertEquals(FailureReason.UNKNOWN_KEY, f.validator.validate(token).failure().orElseThrow(), "retired: refused, cache or not");
    }

    @Test
    void onlyTheVerySameStringHitsTheCache() {
        Fixture f = Fixture.rs256();
        String token = f.mint();
        assertTrue(f.validator.validate(token).isValid());
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "B" : "A") + token.charAt(token.length() - 1);
        assertTrue(f.validator.validate(tampered).failure().isPresent(), "a different signature is checked, not looked up");
    }

    @Test
    void theCacheStaysWithinItsSizeAndCanBeTurnedOff() {
        Fixture f = Fixture.rs256();
        AccessTokenValidator small = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .revocationRegistry(f.revocation).clock(f.clock).verifiedTokenCacheSize(8).build();
        for (int i = 0; i < 50; i++) {
            assertTrue(small.validate(f.mint()).isValid());
            assertTrue(small.cachedTokens() <= 8, "bounded: " + small.cachedTokens());
        }
        AccessTokenValidator off = AccessTokenValidator.builder().keyRing(f.keyRing).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
                .revocationRegistry(f.revocation).clock(f.clock).verifiedTokenCacheSize(0).build();
        String token = f.mint();
        assertTrue(off.validate(token).isValid());
        assertTrue(off.validate(token).principal().orElseThrow() != off.validate(token).principal().orElseThrow(), "parsed every time");
        assertEquals(0, off.cachedTokens());
        assertThrows(IllegalArgumentException.class, () -> AccessTokenValidator.builder().verifiedTokenCacheSize(-1));
    }

    @Test
    void anExpiredEntryIsDroppedWhenItIsMet() {
        Fixture f = Fixture.rs256();
        String token = f.mint();
        assertTrue(f.validator.validate(token).isValid());
        assertEquals(1, f.validator.cachedTokens());
        f.clock.set(Instant.parse("2026-11-28T10:00:00Z"));
        f.validator.validate(token);
        assertEquals(0, f.validator.cachedTokens());
    }
}
