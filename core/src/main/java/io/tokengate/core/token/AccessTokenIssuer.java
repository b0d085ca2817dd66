package io.tokengate.core.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.random.SecureRandoms;

/**
 * Mints RFC 9068 access tokens: a JWS with header {@code typ: at+jwt} and {@code kid}, signed by the active key
 * of the {@link KeyRing}, with the claims {@code iss sub aud exp iat jti client_id}, {@code scope} (space
 * separated, RFC 9068 §2.2.3), optional {@code auth_time} and {@code sid} (the refresh-token family), the groups
 * claim (RFC 9068 §2.2.3.1, name configurable) and the {@link ClaimsCustomizer}'s extra claims.
 * Built once, immutable, thread-safe.
 */
public final class AccessTokenIssuer {
    /** The JWS {@code typ} of an access token (RFC 9068 §2.1). */
    public static final String TYPE = "at+jwt";
    /** Default access-token lifetime. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** Default name of the groups claim. */
    public static final String DEFAULT_GROUPS_CLAIM = "groups";
    /** Claim carrying the refresh-token family id. */
    public static final String FAMILY_CLAIM = "sid";

    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti",
            "client_id", "scope", "auth_time", FAMILY_CLAIM, "cnf");

    private final KeyRing keyRing;
    private final String issuer;
    private final List<String> defaultAudience;
    private final Duration defaultLifetime;
    private final String groupsClaim;
    private final ClaimsCustomizer customizer;
    private final Clock clock;

    private AccessTokenIssuer(Builder b) {
        this.keyRing = Objects.requireNonNull(b.keyRing, "keyRing");
        if (b.issuer == null || b.issuer.isEmpty()) {
            throw new IllegalArgumentException("issuer is required");
        }
        this.issuer = b.issuer;
        this.defaultAudience = List.copyOf(b.audience);
        if (defaultAudience.isEmpty()) {
            throw new IllegalArgumentException("audience is required (RFC 9068 §2.2)");
        }
        this.defaultLifetime = b.lifetime;
        this.groupsClaim = b.groupsClaim;
        this.customizer = b.customizer;
        this.clock = b.clock != null ? b.clock : keyRing.clock();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The lifetime of a token whose request sets none (a client's own lifetime travels in the request). */
    public Duration defaultLifetime() {
        return defaultLifetime;
    }

    /** Whether {@code name} is a claim the issuer writes itself, which neither the groups claim nor a customizer may use. */
    public static boolean isRegisteredClaim(String name) {
        return REGISTERED.contains(name);
    }

    public IssuedAccessToken issue(AccessTokenRequest request) {
        SigningKey key = keyRing.current().active();
        Instant now = Instant.ofEpochSecond(request.issuedAt().orElseGet(clock::instant).getEpochSecond());
        Instant exp = now.plus(request.lifetime().orElse(defaultLifetime));
        String jti = newJti();

        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(request.subject());
        List<String> aud = request.audience().isEmpty() ? defaultAudience : request.audience();
        if (aud.size() == 1) {
            claims.setAudience(aud.get(0));
        } else {
            claims.setAudience(aud);
        }
        claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setJwtId(jti);
        claims.setClaim("client_id", request.clientId());
        if (!request.scopes().isEmpty()) {
            claims.setClaim("scope", String.join(" ", request.scopes()));
        }
        request.authTime().ifPresent(t -> claims.setClaim("auth_time", t.getEpochSecond()));
        request.familyId().ifPresent(sid -> claims.setClaim(FAMILY_CLAIM, sid));
        request.dpopJkt().ifPresent(jkt -> claims.setClaim("cnf", Map.of("jkt", jkt)));
        if (!request.groups().isEmpty()) {
            claims.setStringListClaim(groupsClaim, List.copyOf(request.groups()));
        }
        Map<String, Object> extra = customizer.extraClaims(request);
        if (extra != null) {
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (REGISTERED.contains(e.getKey()) || groupsClaim.equals(e.getKey())) {
                    throw new IllegalArgumentException("the claims customizer may not set the registered claim '" + e.getKey() + "'");
                }
                claims.setClaim(e.getKey(), e.getValue());
            }
        }

        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", TYPE);
        jws.setAlgorithmHeaderValue(key.algorithm().jwsName());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey().orElseThrow());
        try {
            return new IssuedAccessToken(jws.getCompactSerialization(), jti, now, exp, key.kid(), request.dpopJkt().orElse(null));
        } catch (JoseException e) {
            throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
        }
    }

    private String newJti() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(SecureRandoms.bytes(16));
    }

    public String issuer() {
        return issuer;
    }

    public String groupsClaim() {
        return groupsClaim;
    }

    public static final class Builder {
        private KeyRing keyRing;
        private String issuer;
        private List<String> audience = List.of();
        private Duration lifetime = DEFAULT_LIFETIME;
        private String groupsClaim = DEFAULT_GROUPS_CLAIM;
        private ClaimsCustomizer customizer = ClaimsCustomizer.NONE;
        private Clock clock;

        private Builder() {
        }

        public Builder keyRing(KeyRing value) {
            this.keyRing = value;
            return this;
        }

        /** {@code iss}: the exact issuer identifier (RFC 8414), e.g. {@code https://auth.example.com}. */
        public Builder issuer(String value) {
            this.issuer = value;
            return this;
        }

        /** The default {@code aud} of every token. */
        public Builder audience(String... values) {
            this.audience = List.of(values);
            return this;
        }

        /** Default lifetime (5 minutes). */
        public Builder lifetime(Duration value) {
            this.lifetime = positive(value);
            return this;
        }


        /** Name of the roles/groups claim (default {@code groups}). */
        public Builder groupsClaim(String value) {
            if (value == null || value.isEmpty() || REGISTERED.contains(value)) {
                throw new IllegalArgumentException("the groups claim needs a name that is not a registered claim");
            }
            this.groupsClaim = value;
            return this;
        }

        public Builder claimsCustomizer(ClaimsCustomizer value) {
            this.customizer = Objects.requireNonNull(value);
            return this;
        }

        /** Time source; defaults to the key ring's. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a lifetime must be positive");
            }
            return d;
        }

        public AccessTokenIssuer build() {
            return new AccessTokenIssuer(this);
        }
    }
}
