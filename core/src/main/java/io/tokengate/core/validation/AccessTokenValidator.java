package io.tokengate.core.validation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.tokengate.core.json.StrictJson;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.Scopes;

/**
 * Validates RFC 9068 access tokens (with the rules of RFC 8725) and answers with a typed
 * {@link ValidationResult}; it never throws for a bad token. Built once, immutable, thread-safe.
 *
 * <p>Order of checks, cheapest and least trusting first: length (before any parsing), compact-JWS shape (three
 * canonical base64url parts; JWE and anything else are refused before decoding), the header (strict JSON, see
 * {@link StrictJson}; the algorithm must be the one of the key found by {@code kid} in the in-memory {@link KeyRing}
 * only, never the token's choice; no {@code jku jwk x5u x5c x5t crit b64 zip cty}; {@code typ} {@code at+jwt}, also
 * {@code JWT} while the migration switch is on), the signature (JCA, in the key's own algorithm), and only then the
 * payload, parsed once it is known to be ours: claims ({@code iss} exact, {@code aud} contains an accepted audience,
 * {@code exp sub client_id iat jti} present, {@code exp nbf iat} against the injected clock with the skew, and
 * {@code exp - iat} within the longest accepted lifetime), then revocation ({@code jti} denylist, subject and family
 * not-before). The same rules as a jose4j {@code JwtConsumer} configured this way, which a test holds it to, without
 * its per-token parser and engine allocations.
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

    /** Header parameters that refuse a token whatever their value: key-carrying or key-locating, {@code crit}, and nesting. */
    static final Set<String> REFUSED_HEADERS = Set.of("jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "cty");
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    /** The order n of P-256: an ECDSA r or s outside [1, n - 1] is refused before the JCA sees it (CVE-2022-21449). */
    private static final BigInteger P256_ORDER = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    /** One JCA engine per algorithm and thread, initialised anew for each token: no provider lookup per request. */
    private static final ThreadLocal<Signature[]> ENGINES = ThreadLocal.withInitial(() -> new Signature[SigningAlgorithm.values().length]);

    private final Clock clock;
    private final Set<String> types;
    private final Set<String> audiences;
    private final String issuer;
    private final long maxLifetimeSeconds;
    private final int maxTokenLength;
    private final String groupsClaim;
    private final RevocationRegistry revocation;
    private final Duration maxTokenLifetime;
    private final KeyRing keyRing;
    private final long skewSeconds;
    private final int cacheSize;
    private final ConcurrentHashMap<TokenKey, Verified> verified;

    /**
     * The verified-token cache's key: the whole token (equality compares every character, so only the very same
     * string hits), hashed on the last characters of its signature only. A String would hash all its 700 or so
     * characters again for every request (each request brings a new String); signature bytes are as good as random,
     * and a forged token that collides is never in the cache (only verified tokens are).
     */
    private static final class TokenKey {
        private final String token;
        private final int hash;

        TokenKey(String token) {
            this.token = token;
            int h = 0;
            for (int i = Math.max(0, token.length() - 16); i < token.length(); i++) {
                h = 31 * h + token.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TokenKey && ((TokenKey) o).token.equals(token);
        }
    }
    /**
     * The parsed headers of the last few accepted tokens, by their base64url text: every token a key signs has the same
     * header, so it is decoded and parsed once. Its checks (key, algorithm, type) still run for every token.
     */
    private static final int KNOWN_HEADERS = 4;
    private final AtomicReferenceArray<KnownHeader> knownHeaders = new AtomicReferenceArray<>(KNOWN_HEADERS);
    /** The slot the next new header goes to; racy on purpose, any slot will do. */
    private int nextKnownHeader;

    private record KnownHeader(String segment, Map<String, Object> json) {
    }

    /**
     * A token whose signature and claims were checked: valid until {@code acceptBefore} (epoch seconds: exp plus
     * the skew, or sooner when the key that verified it stops verifying — a previous key's window) while the key set
     * it was checked against is still the current one. Revocation is checked anew on every use.
     */
    private record Verified(AccessTokenPrincipal principal, KeySet keys, long acceptBefore) {
    }

    /** Why a token is refused, carried out of the checks; no stack trace, hostile input must stay cheap. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final FailureReason reason;

        Refusal(FailureReason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    private AccessTokenValidator(Builder b) {
        KeyRing keyRing = Objects.requireNonNull(b.keyRing, "keyRing is required");
        this.keyRing = keyRing;
        this.skewSeconds = b.clockSkew.getSeconds();
        this.cacheSize = b.verifiedTokenCacheSize;
        this.verified = new ConcurrentHashMap<>(Math.min(cacheSize, 1024));
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

        this.types = b.acceptJwtType ? Set.of(AccessTokenIssuer.TYPE, "application/" + AccessTokenIssuer.TYPE, "JWT")
                : Set.of(AccessTokenIssuer.TYPE, "application/" + AccessTokenIssuer.TYPE);
        this.audiences = Set.copyOf(b.audiences);
        this.issuer = b.issuer;
        this.maxLifetimeSeconds = b.maxTokenLifetime.getSeconds();
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
            TokenKey key = new TokenKey(token);
            Verified hit = verified.get(key); // the whole token is the key: only the very same string hits
            if (hit != null) {
                if (hit.keys() == keyRing.current() && clock.instant().getEpochSecond() < hit.acceptBefore()) {
                    return checkRevocation(hit.principal());
                }
                verified.remove(key, hit); // expired, or the keys changed (a retired key must stop verifying)
            }
        }
        // every character of a token is base64url or a dot, so its Latin-1 bytes are the token (anything else fails the shape)
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
        FailureReason shape = checkShape(ascii);
        if (shape != null) {
            return new ValidationResult.Invalid(shape);
        }
        Verified checked;
        try {
            checked = verify(token, ascii, keyRing.current(), clock.instant());
        } catch (Refusal r) {
            return new ValidationResult.Invalid(r.reason);
        } catch (RuntimeException e) {
            // never expected; a bad token is never an error of ours
            return new ValidationResult.Invalid(FailureReason.MALFORMED);
        }
        if (cacheSize > 0) {
            remember(token, checked);
        }
        return checkRevocation(checked.principal());
    }

    /** Header, signature, then claims, of a token of canonical shape (see {@link #checkShape}). */
    private Verified verify(String token, byte[] ascii, KeySet keys, Instant now) throws Refusal {
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        Map<String, Object> header = knownHeader(token, firstDot);
        boolean known = header != null;
        if (!known) {
            header = json(ascii, 0, firstDot);
        }
        SigningKey key = key(header, keys, now);
        Object typ = header.get("typ");
        if (!(typ instanceof String) || !acceptedType((String) typ)) {
            throw new Refusal(FailureReason.WRONG_TYPE);
        }
        checkSignature(key, ascii, secondDot);
        AccessTokenPrincipal principal = claims(json(ascii, firstDot + 1, secondDot), now);
        if (!known) {
            // only the header of a token accepted whole is kept: forged headers never displace ours
            knownHeaders.set(nextKnownHeader++ & (KNOWN_HEADERS - 1), new KnownHeader(token.substring(0, firstDot), header));
        }
        long acceptBefore = principal.expiresAt().getEpochSecond() + skewSeconds;
        Instant keyUntil = keys.verifyUntil(key.kid()).orElse(null);
        if (keyUntil != null) {
            acceptBefore = Math.min(acceptBefore, keyUntil.getEpochSecond());
        }
        return new Verified(principal, keys, acceptBefore);
    }

    private Map<String, Object> knownHeader(String token, int firstDot) {
        for (int i = 0; i < KNOWN_HEADERS; i++) {
            KnownHeader known = knownHeaders.get(i);
            if (known != null && known.segment().length() == firstDot && token.startsWith(known.segment())) {
                return known.json();
            }
        }
        return null;
    }

    /**
     * The verification key: the algorithm must be one TokenGate signs with and the very one of the key found by
     * {@code kid} in the current key set; no header that carries, locates or constrains keys, and none of nesting.
     */
    private static SigningKey key(Map<String, Object> header, KeySet keys, Instant now) throws Refusal {
        Object alg = header.get("alg");
        SigningAlgorithm algorithm = alg instanceof String ? SigningAlgorithm.fromJwsName((String) alg).orElse(null) : null;
        if (algorithm == null) {
            throw new Refusal(FailureReason.ALGORITHM_NOT_ALLOWED);
        }
        for (String name : REFUSED_HEADERS) {
            if (header.containsKey(name)) {
                throw new Refusal(FailureReason.UNSUPPORTED_HEADER);
            }
        }
        Object kid = header.get("kid");
        SigningKey key = kid instanceof String ? keys.verificationKey((String) kid, now).orElse(null) : null;
        if (key == null) {
            throw new Refusal(FailureReason.UNKNOWN_KEY);
        }
        if (key.algorithm() != algorithm) {
            throw new Refusal(FailureReason.ALGORITHM_NOT_ALLOWED);
        }
        return key;
    }

    /** Media type names compare case-insensitively (RFC 9068 §4, RFC 7515 §4.1.9). */
    private boolean acceptedType(String typ) {
        for (String accepted : types) {
            if (accepted.equalsIgnoreCase(typ)) {
                return true;
            }
        }
        return false;
    }

    private static void checkSignature(SigningKey key, byte[] ascii, int secondDot) throws Refusal {
        ByteBuffer signature = BASE64URL.decode(ByteBuffer.wrap(ascii, secondDot + 1, ascii.length - secondDot - 1));
        byte[] sig = signature.array();
        int sigLength = signature.remaining();
        if (key.algorithm() == SigningAlgorithm.ES256 && !ecdsaInRange(sig, sigLength)) {
            throw new Refusal(FailureReason.BAD_SIGNATURE);
        }
        boolean valid;
        try {
            Signature engine = engine(key.algorithm());
            engine.initVerify(key.publicKey());
            engine.update(ascii, 0, secondDot);
            valid = engine.verify(sig, signature.arrayOffset() + signature.position(), sigLength);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false; // e.g. a signature of the wrong length
        }
        if (!valid) {
            throw new Refusal(FailureReason.BAD_SIGNATURE);
        }
    }

    private static Signature engine(SigningAlgorithm algorithm) throws GeneralSecurityException {
        Signature[] engines = ENGINES.get();
        Signature engine = engines[algorithm.ordinal()];
        if (engine == null) {
            engine = algorithm.newSignature();
            engines[algorithm.ordinal()] = engine;
        }
        return engine;
    }

    /** r and s of a 64-byte ES256 signature each in [1, n - 1]. */
    static boolean ecdsaInRange(byte[] sig, int length) {
        if (length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, sig, 0, 32);
        BigInteger s = new BigInteger(1, sig, 32, 32);
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(P256_ORDER) < 0 && s.compareTo(P256_ORDER) < 0;
    }

    /** A base64url segment of the token, as the JSON object it must hold (UTF-8, strictly: no replacement characters). */
    private static Map<String, Object> json(byte[] ascii, int from, int to) throws Refusal {
        ByteBuffer decoded = BASE64URL.decode(ByteBuffer.wrap(ascii, from, to - from));
        byte[] bytes = decoded.array();
        int offset = decoded.arrayOffset() + decoded.position();
        int length = decoded.remaining();
        String text;
        boolean asciiOnly = true;
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                asciiOnly = false;
                break;
            }
        }
        try {
            if (asciiOnly) {
                text = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
            } else {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length));
                text = chars.toString();
            }
            return StrictJson.parseObject(text);
        } catch (CharacterCodingException | StrictJson.MalformedJson e) {
            throw new Refusal(FailureReason.MALFORMED);
        }
    }

    /** The claims checks, in the order a resource server reports them, and the principal. */
    private AccessTokenPrincipal claims(Map<String, Object> claims, Instant now) throws Refusal {
        Long exp = numericDate(claims, "exp");
        Long iat = numericDate(claims, "iat");
        String subject = string(claims, "sub");
        String jti = string(claims, "jti");
        String clientId = string(claims, "client_id");
        if (exp == null || iat == null || isBlank(subject) || isBlank(jti) || isBlank(clientId)) {
            throw new Refusal(FailureReason.MISSING_CLAIM);
        }
        if (!issuer.equals(string(claims, "iss"))) {
            throw new Refusal(FailureReason.WRONG_ISSUER);
        }
        if (!audienceAccepted(claims.get("aud"))) {
            throw new Refusal(FailureReason.WRONG_AUDIENCE);
        }
        long seconds = now.getEpochSecond();
        if (exp - iat > maxLifetimeSeconds) {
            // revocation entries live as long as the longest accepted token: a longer one would outlive them
            throw new Refusal(FailureReason.LIFETIME_TOO_LONG);
        }
        if (seconds - skewSeconds >= exp) {
            throw new Refusal(FailureReason.EXPIRED);
        }
        Long nbf = numericDate(claims, "nbf");
        if (nbf != null && seconds + skewSeconds < nbf) {
            throw new Refusal(FailureReason.NOT_YET_VALID);
        }
        if (seconds + skewSeconds < iat) {
            throw new Refusal(FailureReason.ISSUED_IN_FUTURE);
        }
        Set<String> scopes = Scopes.split(string(claims, "scope"));
        Long authTime = claims.get("auth_time") instanceof Number ? numericDate(claims, "auth_time") : null;
        return new AccessTokenPrincipal(subject, clientId, scopes, stringList(claims, groupsClaim), jti,
                string(claims, AccessTokenIssuer.FAMILY_CLAIM), Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp),
                authTime == null ? null : Instant.ofEpochSecond(authTime), claims);
    }

    private boolean audienceAccepted(Object aud) throws Refusal {
        if (aud instanceof String) {
            return audiences.contains(aud);
        }
        if (!(aud instanceof List)) {
            if (aud != null) {
                throw new Refusal(FailureReason.MALFORMED);
            }
            return false;
        }
        boolean accepted = false;
        for (Object a : (List<?>) aud) {
            if (!(a instanceof String)) {
                throw new Refusal(FailureReason.MALFORMED);
            }
            accepted |= audiences.contains(a);
        }
        return accepted;
    }

    /** A string claim, null when absent; another type is malformed. */
    private static String string(Map<String, Object> claims, String name) throws Refusal {
        Object v = claims.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new Refusal(FailureReason.MALFORMED);
    }

    /** Largest NumericDate magnitude read, in seconds (about the year 5138): larger values are malformed, never overflow. */
    private static final long MAX_NUMERIC_DATE = 100_000_000_000L;

    /** A NumericDate (RFC 7519 §2) in whole seconds, null when absent; a non-number or an absurd one is malformed. */
    private static Long numericDate(Map<String, Object> claims, String name) throws Refusal {
        Object v = claims.get(name);
        if (v == null) {
            return null;
        }
        long seconds;
        if (v instanceof Long) {
            seconds = (Long) v;
        } else if (v instanceof Double && Math.abs((Double) v) < MAX_NUMERIC_DATE) {
            seconds = ((Double) v).longValue();
        } else {
            throw new Refusal(FailureReason.MALFORMED);
        }
        if (Math.abs(seconds) >= MAX_NUMERIC_DATE) {
            throw new Refusal(FailureReason.MALFORMED);
        }
        return seconds;
    }

    /** A claim that is a list of strings, empty when absent; anything else is malformed. */
    private static Set<String> stringList(Map<String, Object> claims, String name) throws Refusal {
        Object v = claims.get(name);
        if (v == null) {
            return Set.of();
        }
        if (!(v instanceof List)) {
            throw new Refusal(FailureReason.MALFORMED);
        }
        Set<String> values = new LinkedHashSet<>();
        for (Object o : (List<?>) v) {
            if (!(o instanceof String)) {
                throw new Refusal(FailureReason.MALFORMED);
            }
            values.add((String) o);
        }
        return values;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
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
        verified.put(new TokenKey(token), entry);
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
    private static FailureReason checkShape(byte[] token) {
        int dots = 0;
        int segmentStart = 0;
        int n = token.length;
        for (int i = 0; i < n; i++) {
            byte c = token[i];
            if (c == '.') {
                dots++;
                if (!canonicalEnd(token, segmentStart, i)) {
                    return FailureReason.MALFORMED;
                }
                segmentStart = i + 1;
            } else if (SEXTET[c & 0xFF] < 0) {
                return FailureReason.MALFORMED;
            }
        }
        if (!canonicalEnd(token, segmentStart, n)) {
            return FailureReason.MALFORMED;
        }
        if (dots == 4) {
            return FailureReason.NOT_A_JWS;
        }
        if (dots != 2 || token[0] == '.') {
            return FailureReason.MALFORMED;
        }
        if (token[n - 1] == '.') {
            return FailureReason.BAD_SIGNATURE; // signature stripped or empty
        }
        return null;
    }

    /** The value of each base64url character (RFC 4648 §5), -1 for every other byte. */
    private static final byte[] SEXTET = new byte[256];

    static {
        java.util.Arrays.fill(SEXTET, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            SEXTET[alphabet.charAt(i)] = (byte) i;
        }
    }

    /** A base64url segment of length 4k+1 is impossible; 4k+2 and 4k+3 must end in a character whose unused bits are zero. */
    private static boolean canonicalEnd(byte[] token, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return true;
        }
        int last = SEXTET[token[end - 1] & 0xFF];
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
