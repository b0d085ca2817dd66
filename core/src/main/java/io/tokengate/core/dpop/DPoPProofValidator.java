package io.tokengate.core.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import io.tokengate.core.keys.SigningAlgorithm;

/**
 * Checks a DPoP proof (RFC 9449 §4.3) for one HTTP request: a compact JWS of {@code typ} {@code dpop+jwt}, signed with an
 * allowed asymmetric algorithm by the public key in its own {@code jwk} header (no private members), with {@code jti},
 * {@code htm} equal to the request's method, {@code htu} equal to its URI without query and fragment (RFC 3986
 * normalised), {@code iat} inside the window, {@code ath} the hash of the access token when one is presented, and a
 * {@code jti} not used before (per key, in the {@link DPoPReplayCache}). The proof's {@code jti} is recorded only when
 * everything else passed, so a refused proof consumes nothing. Thread-safe.
 */
public final class DPoPProofValidator {
    /** Proofs are small: a header with a public key and five claims. Anything longer is refused unread. */
    static final int MAX_PROOF_LENGTH = 8192;
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Set<SigningAlgorithm> algorithms;
    private final Duration maxAge;
    private final Duration clockSkew;
    private final DPoPReplayCache replays;
    private final Clock clock;
    private final AlgorithmConstraints constraints;

    /**
     * @param algorithms the {@code alg} values accepted ({@code dpop_signing_alg_values_supported})
     * @param maxAge     how old a proof's {@code iat} may be
     * @param clockSkew  how far in the future a proof's {@code iat} may be
     */
    public DPoPProofValidator(Set<SigningAlgorithm> algorithms, Duration maxAge, Duration clockSkew, DPoPReplayCache replays, Clock clock) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm");
        }
        this.algorithms = Set.copyOf(algorithms);
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.replays = Objects.requireNonNull(replays, "replays");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.constraints = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                this.algorithms.stream().map(SigningAlgorithm::jwsName).toArray(String[]::new));
    }

    /**
     * Checks {@code proof} (the one {@code DPoP} header of the request) for a request of {@code method} to {@code uri}.
     *
     * @param accessToken the access token presented with it ({@code Authorization: DPoP ...}), or null at the token endpoint
     */
    public DPoPCheck check(String proof, String method, String uri, String accessToken) {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_LENGTH) {
            return refused(DPoPCheck.Reason.MALFORMED);
        }
        JsonWebSignature jws = new JsonWebSignature();
        PublicJsonWebKey jwk;
        try {
            jws.setCompactSerialization(proof);
            if (!"dpop+jwt".equals(jws.getHeader("typ"))) {
                return refused(DPoPCheck.Reason.WRONG_TYPE);
            }
            String alg = jws.getAlgorithmHeaderValue();
            if (alg == null || algorithms.stream().noneMatch(a -> a.jwsName().equals(alg))) {
                return refused(DPoPCheck.Reason.ALGORITHM_NOT_ALLOWED);
            }
            Object rawKey = jws.getHeaders().getObjectHeaderValue("jwk");
            if (!(rawKey instanceof Map<?, ?> keyMembers)) {
                return refused(DPoPCheck.Reason.BAD_KEY);
            }
            if (keyMembers.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
                return refused(DPoPCheck.Reason.PRIVATE_KEY);
            }
            JsonWebKey parsed = jws.getJwkHeader();
            if (!(parsed instanceof PublicJsonWebKey p) || p.getPrivateKey() != null) {
                return refused(DPoPCheck.Reason.BAD_KEY);
            }
            jwk = p;
        } catch (JoseException | RuntimeException e) {
            return refused(DPoPCheck.Reason.MALFORMED);
        }
        try {
            jws.setAlgorithmConstraints(constraints);
            jws.setKey(jwk.getPublicKey());
            if (!jws.verifySignature()) {
                return refused(DPoPCheck.Reason.BAD_SIGNATURE);
            }
        } catch (JoseException | RuntimeException e) {
            return refused(DPoPCheck.Reason.BAD_SIGNATURE); // e.g. a key of another type than the alg's
        }
        JwtClaims claims;
        try {
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (org.jose4j.jwt.consumer.InvalidJwtException | RuntimeException e) {
            return refused(DPoPCheck.Reason.MALFORMED);
        }
        Object jti = claims.getClaimValue("jti");
        Object htm = claims.getClaimValue("htm");
        Object htu = claims.getClaimValue("htu");
        Object iat = claims.getClaimValue("iat");
        if (!(jti instanceof String j) || j.isEmpty() || j.length() > 256 || !(htm instanceof String m) || !(htu instanceof String u)
                || !(iat instanceof Number issued)) {
            return refused(DPoPCheck.Reason.MISSING_CLAIM);
        }
        if (!m.equals(method)) {
            return refused(DPoPCheck.Reason.WRONG_METHOD);
        }
        String expected = normalised(uri);
        if (expected == null || !expected.equals(normalised(u))) {
            return refused(DPoPCheck.Reason.WRONG_URI);
        }
        Instant now = clock.instant();
        double iatSeconds = issued.doubleValue(); // compared as a number first: an iat beyond Instant's range is just stale
        if (!(iatSeconds >= now.minus(maxAge).getEpochSecond() - 1) || iatSeconds > now.plus(clockSkew).getEpochSecond() + 1) {
            return refused(DPoPCheck.Reason.STALE);
        }
        Instant issuedAt = Instant.ofEpochSecond(issued.longValue());
        if (issuedAt.isBefore(now.minus(maxAge)) || issuedAt.isAfter(now.plus(clockSkew))) {
            return refused(DPoPCheck.Reason.STALE);
        }
        if (accessToken != null) {
            Object ath = claims.getClaimValue("ath");
            if (!(ath instanceof String a) || !MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
                    accessTokenHash(accessToken).getBytes(StandardCharsets.US_ASCII))) {
                return refused(DPoPCheck.Reason.WRONG_ACCESS_TOKEN_HASH);
            }
        }
        String jkt = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        // remembered until no proof of this iat could pass the window any more
        if (!replays.firstUse(jkt + " " + j, issuedAt.plus(maxAge).plus(clockSkew).plusSeconds(1))) {
            return refused(DPoPCheck.Reason.REPLAYED);
        }
        return new DPoPCheck.Passed(new DPoPProof(jkt, j, issuedAt));
    }

    /** The accepted {@code alg} names, in a fixed order ({@code algs} of the challenge, the metadata). */
    public List<String> algorithmNames() {
        return Arrays.stream(SigningAlgorithm.values()).filter(algorithms::contains).map(SigningAlgorithm::jwsName).toList();
    }

    /** The {@code ath} of an access token: base64url of the SHA-256 of its ASCII characters (RFC 9449 §4.2). */
    public static String accessTokenHash(String accessToken) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An absolute http(s) URI without query and fragment, scheme and host in lower case, the default port dropped and an
     * empty path as {@code /} (RFC 3986 §6.2.2–6.2.3); null for anything else.
     */
    static String normalised(String uri) {
        if (uri == null) {
            return null;
        }
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null || u.getRawUserInfo() != null) {
                return null;
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static DPoPCheck refused(DPoPCheck.Reason reason) {
        return new DPoPCheck.Refused(reason);
    }
}
