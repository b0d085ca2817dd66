package io.tokengate.core.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.InvalidJwtSignatureException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;

/**
 * Validates RFC 9068 access tokens (with the rules of RFC 8725) and answers with a typed
 * {@link ValidationResult}; it never throws for a bad token. Built once, immutable, thread-safe: a jose4j
 * {@link JwtConsumer} built once underneath.
 *
 * <p>Order of checks: length (before any parsing), compact-JWS shape (three canonical base64url parts; JWE and
 * anything else are refused before decoding), header and payload JSON parsing (jose4j parses both before the
 * signature; the length limit bounds that work, and its parser is not recursive), header (the key by {@code kid} from the in-memory {@link KeyRing} only,
 * the algorithm must be that key's, and no {@code jku jwk x5u x5c crit b64 zip cty}), signature, {@code typ}
 * ({@code at+jwt}, also {@code JWT} while the migration switch is on), claims ({@code iss} exact, {@code aud}
 * contains an accepted audience, {@code exp sub client_id iat jti} present, {@code exp nbf iat} against the
 * injected clock with the skew, and {@code exp - iat} within the longest accepted lifetime), then revocation ({@code jti} denylist, subject and family not-before).
 */
public final class AccessTokenValidator {
    /** Default maximum length of a token, checked before any parsing. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
    /** Default allowed clock skew for {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default longest accepted lifetime ({@code exp - iat}) of an access token. */
    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(AccessTokenValidator.class.getName());

    private static final int BASE = 9000;

    private final JwtConsumer consumer;
    private final Clock clock;
    private final int maxTokenLength;
    private final String groupsClaim;
    private final RevocationRegistry revocation;
    private final Duration maxTokenLifetime;
    /** Default number of verified tokens remembered (0 turns the cache off). */
    public static final int DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;
    private final KeyRing keyRing;
    private final long skewSeconds;
    private final int cacheSize;
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified;

    /**
     * A token whose signature and claims were checked: valid until {@code acceptBefore} (epoch seconds, exp plus
     * the skew) while the key set it was checked against is still the current one. Revocation is checked anew on
     * every use.
     */
    private record Verified(AccessTokenPrincipal principal, io.tokengate.core.keys.KeySet keys, long acceptBefore) {
    }

    private AccessTokenValidator(Builder b) {
        KeyRing keyRing = Objects.requireNonNull(b.keyRing, "keyRing is required");
        this.keyRing = keyRing;
        this.skewSeconds = b.clockSkew.getSeconds();
        this.cacheSize = b.verifiedTokenCacheSize;
        this.verified = new java.util.concurrent.ConcurrentHashMap<>(Math.min(cacheSize, 1024));
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
        this.groupsClaim = b.groupsClaim;
        this.maxTokenLifetime = b.maxTokenLifetime;

        String[] algorithms = new String[SigningAlgorithm.values().length];
        for (int i = 0; i < algorithms.length; i++) {
            algorithms[i] = SigningAlgorithm.values()[i].jwsName();
        }
        Set<String> types = b.acceptJwtType ? Set.of(AccessTokenIssuer.TYPE, "application/" + AccessTokenIssuer.TYPE, "JWT")
                : Set.of(AccessTokenIssuer.TYPE, "application/" + AccessTokenIssuer.TYPE);
        long skew = b.clockSkew.getSeconds();
        long maxLifetime = b.maxTokenLifetime.getSeconds();
        Set<String> audiences = Set.copyOf(b.audiences);
        String issuer = b.issuer;
        Clock checkClock = this.clock;

        this.consumer = new JwtConsumerBuilder()
                .setSkipAllDefaultValidators()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithms)
                .setJweAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT)
                .setJweContentEncryptionAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT)
                .setVerificationKeyResolver(new KeyRingVerificationKeyResolver(keyRing))
                .registerValidator((ErrorCodeValidator) ctx -> singleJws(ctx))
                .registerValidator((ErrorCodeValidator) ctx -> type(ctx, types))
                .registerValidator((ErrorCodeValidator) ctx -> required(ctx.getJwtClaims()))
                .registerValidator((ErrorCodeValidator) ctx -> issuer(ctx.getJwtClaims(), issuer))
                .registerValidator((ErrorCodeValidator) ctx -> audience(ctx.getJwtClaims(), audiences))
                .registerValidator((ErrorCodeValidator) ctx -> times(ctx.getJwtClaims(), checkClock, skew, maxLifetime))
                .build();
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
        if (cacheSize > 0) {
            Verified hit = verified.get(token); // the whole token is the key: only the very same string hits
            if (hit != null) {
                if (hit.keys() == keyRing.current() && clock.instant().getEpochSecond() < hit.acceptBefore()) {
                    return checkRevocation(hit.principal());
                }
                verified.remove(token, hit); // expired, or the keys changed (a retired key must stop verifying)
            }
        }
        FailureReason shape = checkShape(token);
        if (shape != null) {
            return new ValidationResult.Invalid(shape);
        }
        io.tokengate.core.keys.KeySet keysBefore = keyRing.current();
        JwtContext context;
        try {
            context = consumer.process(token);
        } catch (InvalidJwtException e) {
            return new ValidationResult.Invalid(reasonOf(e));
        } catch (RuntimeException e) {
            // jose4j may throw unchecked exceptions on hostile input; a bad token is never an error of ours
            return new ValidationResult.Invalid(FailureReason.MALFORMED);
        }
        AccessTokenPrincipal principal;
        try {
            principal = toPrincipal(context.getJwtClaims());
        } catch (MalformedClaimException | RuntimeException e) {
            return new ValidationResult.Invalid(FailureReason.MALFORMED);
        }
        if (cacheSize > 0) {
            remember(token, new Verified(principal, keysBefore, principal.expiresAt().getEpochSecond() + skewSeconds));
        }
        return checkRevocation(principal);
    }

    /** How many verified tokens are remembered now (for tests and monitoring). */
    public int cachedTokens() {
        return verified.size();
    }

    private void remember(String token, Verified entry) {
        if (verified.size() >= cacheSize) {
            long now = clock.instant().getEpochSecond();
            verified.values().removeIf(v -> now >= v.acceptBefore() || v.keys() != keyRing.current());
            if (verified.size() >= cacheSize) {
                verified.clear(); // still full of live tokens: start over rather than grow
            }
        }
        verified.put(token, entry);
    }

    private ValidationResult checkRevocation(AccessTokenPrincipal principal) {
        boolean revoked;
        try {
            revoked = revocation.isRevoked(principal.jti(), principal.subject(), principal.familyId().orElse(null), principal.issuedAt());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "TG-0101 the revocation registry failed; refusing the token: {0}", e.toString());
            return new ValidationResult.Invalid(FailureReason.REVOCATION_UNAVAILABLE);
        }
        return revoked ? new ValidationResult.Invalid(FailureReason.REVOKED) : new ValidationResult.Valid(principal);
    }

    /**
     * Three base64url parts in canonical form (no padding, no whitespace, unused trailing bits zero, so one token
     * has exactly one spelling); four dots is a JWE.
     */
    private static FailureReason checkShape(String token) {
        int dots = 0;
        int segmentStart = 0;
        for (int i = 0, n = token.length(); i <= n; i++) {
            char c = i == n ? '.' : token.charAt(i);
            if (c == '.') {
                if (i < n) {
                    dots++;
                }
                if (!canonicalEnd(token, segmentStart, i)) {
                    return FailureReason.MALFORMED;
                }
                segmentStart = i + 1;
            } else if (sextet(c) < 0) {
                return FailureReason.MALFORMED;
            }
        }
        if (dots == 4) {
            return FailureReason.NOT_A_JWS;
        }
        if (dots != 2 || token.charAt(0) == '.') {
            return FailureReason.MALFORMED;
        }
        if (token.charAt(token.length() - 1) == '.') {
            return FailureReason.BAD_SIGNATURE; // signature stripped or empty
        }
        return null;
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    /** A base64url segment of length 4k+1 is impossible; 4k+2 and 4k+3 must end in a character whose unused bits are zero. */
    private static boolean canonicalEnd(String token, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return true;
        }
        int last = sextet(token.charAt(end - 1));
        switch (length & 3) {
            case 1:
                return false;
            case 2:
                return (last & 0x0F) == 0;
            case 3:
                return (last & 0x03) == 0;
            default:
                return true;
        }
    }

    private static FailureReason reasonOf(InvalidJwtException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof KeyRingVerificationKeyResolver.Refusal) {
                return ((KeyRingVerificationKeyResolver.Refusal) t).reason;
            }
            if (t instanceof org.jose4j.lang.InvalidAlgorithmException) {
                return FailureReason.ALGORITHM_NOT_ALLOWED;
            }
        }
        if (e instanceof InvalidJwtSignatureException || e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return FailureReason.BAD_SIGNATURE;
        }
        for (ErrorCodeValidator.Error error : e.getErrorDetails()) {
            int code = error.getErrorCode() - BASE;
            if (code >= 0 && code < FailureReason.values().length) {
                return FailureReason.values()[code];
            }
        }
        return FailureReason.MALFORMED;
    }

    private static ErrorCodeValidator.Error fail(FailureReason reason) {
        return new ErrorCodeValidator.Error(BASE + reason.ordinal(), reason.description());
    }

    private static ErrorCodeValidator.Error singleJws(JwtContext ctx) {
        List<JsonWebStructure> objects = ctx.getJoseObjects();
        return objects.size() == 1 && objects.get(0) instanceof JsonWebSignature ? null : fail(FailureReason.NOT_A_JWS);
    }

    private static ErrorCodeValidator.Error type(JwtContext ctx, Set<String> accepted) {
        String typ = ctx.getJoseObjects().get(0).getHeader("typ");
        if (typ == null) {
            return fail(FailureReason.WRONG_TYPE);
        }
        // media type names compare case-insensitively (RFC 9068 §4, RFC 7515 §4.1.9)
        for (String a : accepted) {
            if (a.equalsIgnoreCase(typ)) {
                return null;
            }
        }
        return fail(FailureReason.WRONG_TYPE);
    }

    private static ErrorCodeValidator.Error required(JwtClaims claims) throws MalformedClaimException {
        if (claims.getExpirationTime() == null || claims.getIssuedAt() == null || isBlank(claims.getSubject())
                || isBlank(claims.getJwtId()) || isBlank(claims.getStringClaimValue("client_id"))) {
            return fail(FailureReason.MISSING_CLAIM);
        }
        return null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static ErrorCodeValidator.Error issuer(JwtClaims claims, String expected) throws MalformedClaimException {
        return expected.equals(claims.getIssuer()) ? null : fail(FailureReason.WRONG_ISSUER);
    }

    private static ErrorCodeValidator.Error audience(JwtClaims claims, Set<String> accepted) throws MalformedClaimException {
        if (!claims.hasAudience()) {
            return fail(FailureReason.WRONG_AUDIENCE);
        }
        for (String aud : claims.getAudience()) {
            if (accepted.contains(aud)) {
                return null;
            }
        }
        return fail(FailureReason.WRONG_AUDIENCE);
    }

    private static ErrorCodeValidator.Error times(JwtClaims claims, Clock clock, long skew, long maxLifetime)
            throws MalformedClaimException {
        long now = clock.instant().getEpochSecond();
        if (claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() > maxLifetime) {
            // revocation entries live as long as the longest accepted token: a longer one would outlive them
            return fail(FailureReason.LIFETIME_TOO_LONG);
        }
        if (now - skew >= claims.getExpirationTime().getValue()) {
            return fail(FailureReason.EXPIRED);
        }
        NumericDate nbf = claims.getNotBefore();
        if (nbf != null && now + skew < nbf.getValue()) {
            return fail(FailureReason.NOT_YET_VALID);
        }
        if (now + skew < claims.getIssuedAt().getValue()) {
            return fail(FailureReason.ISSUED_IN_FUTURE);
        }
        return null;
    }

    private AccessTokenPrincipal toPrincipal(JwtClaims claims) throws MalformedClaimException {
        String scope = claims.getStringClaimValue("scope");
        Set<String> scopes = scope == null || scope.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(scope.trim().split(" +")));
        Set<String> groups = claims.hasClaim(groupsClaim) ? new LinkedHashSet<>(claims.getStringListClaimValue(groupsClaim)) : Set.of();
        Object authTime = claims.getClaimValue("auth_time");
        return new AccessTokenPrincipal(
                claims.getSubject(),
                claims.getStringClaimValue("client_id"),
                scopes,
                groups,
                claims.getJwtId(),
                claims.getStringClaimValue(AccessTokenIssuer.FAMILY_CLAIM),
                Instant.ofEpochSecond(claims.getIssuedAt().getValue()),
                Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                authTime instanceof Number ? Instant.ofEpochSecond(((Number) authTime).longValue()) : null,
                deepUnmodifiable(claims.getClaimsMap()));
    }

    /** Claims as read-only all the way down, so no caller can change what another sees. */
    @SuppressWarnings("unchecked")
    private static <T> T deepUnmodifiable(T value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            ((Map<String, Object>) value).forEach((k, v) -> copy.put(k, deepUnmodifiable(v)));
            return (T) Collections.unmodifiableMap(copy);
        }
        if (value instanceof List) {
            List<Object> copy = new java.util.ArrayList<>(((List<Object>) value).size());
            for (Object o : (List<Object>) value) {
                copy.add(deepUnmodifiable(o));
            }
            return (T) Collections.unmodifiableList(copy);
        }
        return value;
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
