package io.tokengate.core.validation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;

/**
 * Validates RFC 9068 access tokens (with the rules of RFC 8725) and answers with a typed
 * {@link ValidationResult}; it never throws for a bad token. Built once, immutable, thread-safe.
 *
 * <p>Order of checks, cheapest and least trusting first: length (before any parsing), the compact-JWS shape
 * ({@link CompactJws}: three canonical base64url parts; JWE and anything else are refused before decoding), the
 * header ({@link HeaderRules}, strict JSON; the key is found by {@code kid} in the in-memory
 * {@link KeyRing} only), the signature ({@link SignatureVerifier}, JCA, in the key's own algorithm), and only then the
 * payload, parsed once it is known to be ours ({@link ClaimRules}), then revocation ({@code jti} denylist, subject and
 * family not-before). A token seen again is answered from the {@link VerifiedTokenCache} up to the revocation check.
 * The same rules as a jose4j {@code JwtConsumer} configured this way, which a test holds it to, without its
 * per-token parser and engine allocations.
 */
public final class AccessTokenValidator {
    /** Default maximum length of a token, checked before any parsing. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
    /** Default allowed clock skew for {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default longest accepted lifetime ({@code exp - iat}) of an access token. */
    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(1);
    /** Default number of verified tokens remembered (0 turns the cache off). */
    public static final int DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;
    private static final System.Logger LOG = System.getLogger(AccessTokenValidator.class.getName());

    private final Clock clock;
    private final KeyRing keyRing;
    private final int maxTokenLength;
    private final long skewSeconds;
    private final Duration maxTokenLifetime;
    private final HeaderRules headerRules;
    private final KnownHeaders knownHeaders = new KnownHeaders();
    private final ClaimRules claimRules;
    private final RevocationRegistry revocation;
    private final VerifiedTokenCache verified;

    private AccessTokenValidator(Builder b) {
        this.keyRing = Objects.requireNonNull(b.keyRing, "keyRing is required");
        if (b.issuer == null || b.issuer.isEmpty()) {
            throw new IllegalArgumentException("issuer is required");
        }
        if (b.audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one accepted audience is required");
        }
        this.revocation = Objects.requireNonNull(b.revocation,
                "revocationRegistry is required (RevocationRegistry.none() validates without revocation checks)");
        revocation.checkRetention(b.maxTokenLifetime, b.clockSkew);
        this.clock = b.clock != null ? b.clock : keyRing.clock();
        this.maxTokenLength = b.maxTokenLength;
        this.skewSeconds = b.clockSkew.getSeconds();
        this.maxTokenLifetime = b.maxTokenLifetime;
        this.headerRules = new HeaderRules(b.acceptJwtType);
        this.claimRules = new ClaimRules(b.issuer, b.audiences, b.maxTokenLifetime.getSeconds(), skewSeconds, b.groupsClaim);
        this.verified = new VerifiedTokenCache(b.verifiedTokenCacheSize, clock, keyRing);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The longest token lifetime this validator accepts. */
    public Duration maxTokenLifetime() {
        return maxTokenLifetime;
    }

    /** Validates the compact serialization of an access token. Never throws for a bad token. */
    public ValidationResult validate(String token) {
        if (token == null || token.isEmpty()) {
            return new ValidationResult.Invalid(FailureReason.MALFORMED);
        }
        if (token.length() > maxTokenLength) {
            return new ValidationResult.Invalid(FailureReason.TOO_LONG);
        }
        if (verified.enabled()) {
            AccessTokenPrincipal hit = verified.get(token);
            if (hit != null) {
                return checkRevocation(hit);
            }
        }
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
        FailureReason shape = CompactJws.checkShape(ascii);
        if (shape != null) {
            return new ValidationResult.Invalid(shape);
        }
        VerifiedTokenCache.Verified checked;
        try {
            checked = verify(token, ascii, keyRing.current(), clock.instant());
        } catch (Refusal r) {
            return new ValidationResult.Invalid(r.reason);
        } catch (RuntimeException e) {
            // never expected; a bad token is never an error of ours
            return new ValidationResult.Invalid(FailureReason.MALFORMED);
        }
        if (verified.enabled()) {
            verified.remember(token, checked);
        }
        return checkRevocation(checked.principal());
    }

    /** Header, signature, then claims, of a token of canonical shape. */
    private VerifiedTokenCache.Verified verify(String token, byte[] ascii, KeySet keys, Instant now) throws Refusal {
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        Map<String, Object> header = knownHeaders.find(token, firstDot);
        boolean known = header != null;
        if (!known) {
            header = CompactJws.json(ascii, 0, firstDot);
        }
        SigningKey key;
        try {
            key = headerRules.verificationKey(header, keys, now);
        } catch (Refusal r) {
            // a kid the current set lacks: a ring that follows another issuer may fetch a newer set (it limits how often)
            if (r.reason != FailureReason.UNKNOWN_KEY || !(header.get("kid") instanceof String kid) || !keyRing.refreshFor(kid)) {
                throw r;
            }
            keys = keyRing.current();
            now = clock.instant(); // the wait for the fetch took time
            key = headerRules.verificationKey(header, keys, now);
        }
        SignatureVerifier.verify(key, ascii, secondDot);
        AccessTokenPrincipal principal = claimRules.check(CompactJws.json(ascii, firstDot + 1, secondDot), now);
        if (!known) {
            knownHeaders.remember(token, firstDot, header);
        }
        long acceptBefore = principal.expiresAt().getEpochSecond() + skewSeconds;
        Instant keyUntil = keys.verifyUntil(key.kid()).orElse(null);
        if (keyUntil != null) {
            acceptBefore = Math.min(acceptBefore, keyUntil.getEpochSecond());
        }
        return new VerifiedTokenCache.Verified(principal, keys, acceptBefore);
    }

    /** How many verified tokens are remembered now (for tests and monitoring). */
    public int cachedTokens() {
        return verified.size();
    }

    private ValidationResult checkRevocation(AccessTokenPrincipal principal) {
        boolean revoked;
        if (!revocation.isCurrent()) { // a resource server whose issuer's revocation feed is too stale (logged by the feed)
            return new ValidationResult.Invalid(FailureReason.REVOCATION_UNAVAILABLE);
        }
        try {
            revoked = revocation.isRevoked(principal.jti(), principal.subject(), principal.familyId().orElse(null), principal.issuedAt());
        } catch (RuntimeException e) {
            CoreLog.REVOCATION_CHECK_FAILED.log(LOG, e.toString());
            return new ValidationResult.Invalid(FailureReason.REVOCATION_UNAVAILABLE);
        }
        return revoked ? new ValidationResult.Invalid(FailureReason.REVOKED) : new ValidationResult.Valid(principal);
    }

    public static final class Builder {
        private KeyRing keyRing;
        private String issuer;
        private Set<String> audiences = Set.of();
        private RevocationRegistry revocation;
        private Clock clock;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxTokenLifetime = DEFAULT_MAX_TOKEN_LIFETIME;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private boolean acceptJwtType;
        private String groupsClaim = AccessTokenIssuer.DEFAULT_GROUPS_CLAIM;
        private int verifiedTokenCacheSize = DEFAULT_VERIFIED_TOKEN_CACHE_SIZE;

        private Builder() {
        }

        /**
         * How many verified tokens to remember (default {@value #DEFAULT_VERIFIED_TOKEN_CACHE_SIZE}; 0 turns it
         * off): a token seen again skips parsing and the signature until its {@code exp} (plus skew), while the key
         * set is unchanged; revocation is still checked on every request.
         */
        public Builder verifiedTokenCacheSize(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("the verified-token cache size must not be negative");
            }
            this.verifiedTokenCacheSize = value;
            return this;
        }

        /** The keys that verify; the {@code kid} of a token is looked up here only. */
        public Builder keyRing(KeyRing value) {
            this.keyRing = value;
            return this;
        }

        /** The exact {@code iss} required (no normalisation: a trailing slash is another issuer). */
        public Builder issuer(String value) {
            this.issuer = value;
            return this;
        }

        /** Accepted audiences: a token's {@code aud} must contain at least one. */
        public Builder audience(String... values) {
            this.audiences = Set.of(values);
            return this;
        }

        public Builder revocationRegistry(RevocationRegistry value) {
            this.revocation = value;
            return this;
        }

        /** Time source; defaults to the key ring's. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Allowed skew for {@code exp}, {@code nbf} and {@code iat} (default 30 s). */
        public Builder clockSkew(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative");
            }
            this.clockSkew = value;
            return this;
        }

        /**
         * Longest accepted lifetime ({@code exp - iat}) of a token (default 1 hour); longer tokens are refused.
         * The revocation registry must keep its entries at least this long.
         */
        public Builder maxTokenLifetime(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("maxTokenLifetime must be positive");
            }
            this.maxTokenLifetime = value;
            return this;
        }

        /** Longest accepted token in characters (default 8 KiB), checked before any parsing. */
        public Builder maxTokenLength(int value) {
            if (value < 64) {
                throw new IllegalArgumentException("maxTokenLength is too small to hold any access token");
            }
            this.maxTokenLength = value;
            return this;
        }

        /** Migration switch: also accept {@code typ: JWT} (off by default; ID tokens carry it). */
        public Builder acceptJwtType(boolean value) {
            this.acceptJwtType = value;
            return this;
        }

        /** Name of the groups claim (default {@code groups}). */
        public Builder groupsClaim(String value) {
            this.groupsClaim = Objects.requireNonNull(value);
            return this;
        }

        public AccessTokenValidator build() {
            return new AccessTokenValidator(this);
        }
    }
}
