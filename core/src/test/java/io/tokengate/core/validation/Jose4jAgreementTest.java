package io.tokengate.core.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.support.Fixture;
import io.tokengate.core.support.Forge;

/**
 * The validator reads tokens with its own strict JWS path. Here it is held to a jose4j {@link JwtConsumer} built with
 * the same rules (how TokenGate validated before): over thousands of tokens — minted, forged with claims and headers
 * varied around every rule, and randomly corrupted — the two accept exactly the same ones, and see the same claims.
 */
class Jose4jAgreementTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** The rules of {@link AccessTokenValidator} written as a jose4j consumer. */
    private static JwtConsumer reference(Fixture f) {
        long skew = AccessTokenValidator.DEFAULT_CLOCK_SKEW.getSeconds();
        long maxLifetime = AccessTokenValidator.DEFAULT_MAX_TOKEN_LIFETIME.getSeconds();
        String[] algorithms = new String[SigningAlgorithm.values().length];
        for (int i = 0; i < algorithms.length; i++) {
            algorithms[i] = SigningAlgorithm.values()[i].jwsName();
        }
        ErrorCodeValidator.Error no = new ErrorCodeValidator.Error(1, "refused");
        return new JwtConsumerBuilder()
                .setSkipAllDefaultValidators()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithms)
                .setJweAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT)
                .setJweContentEncryptionAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT)
                .setVerificationKeyResolver((JsonWebSignature jws, List<org.jose4j.jwx.JsonWebStructure> nesting) -> resolve(f, jws, nesting))
                .registerValidator((ErrorCodeValidator) ctx -> ctx.getJoseObjects().size() == 1 ? null : no)
                .registerValidator((ErrorCodeValidator) ctx -> {
                    String typ = ctx.getJoseObjects().get(0).getHeader("typ");
                    return typ != null && (typ.equalsIgnoreCase("at+jwt") || typ.equalsIgnoreCase("application/at+jwt")) ? null : no;
                })
                .registerValidator((ErrorCodeValidator) ctx -> {
                    JwtClaims c = ctx.getJwtClaims();
                    boolean ok = c.getExpirationTime() != null && c.getIssuedAt() != null && !blank(c.getSubject())
                            && !blank(c.getJwtId()) && !blank(c.getStringClaimValue("client_id"));
                    return ok ? null : no;
                })
                .registerValidator((ErrorCodeValidator) ctx -> Fixture.ISSUER.equals(ctx.getJwtClaims().getIssuer()) ? null : no)
                .registerValidator((ErrorCodeValidator) ctx -> ctx.getJwtClaims().hasAudience()
                        && ctx.getJwtClaims().getAudience().contains(Fixture.AUDIENCE) ? null : no)
                .registerValidator((ErrorCodeValidator) ctx -> times(ctx, f, skew, maxLifetime) ? null : no)
                .build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean times(JwtContext ctx, Fixture f, long skew, long maxLifetime) throws MalformedClaimException {
        JwtClaims c = ctx.getJwtClaims();
        long now = f.clock.instant().getEpochSecond();
        long exp = c.getExpirationTime().getValue();
        long iat = c.getIssuedAt().getValue();
        NumericDate nbf = c.getNotBefore();
        return exp - iat <= maxLifetime && now - skew < exp && (nbf == null || now + skew >= nbf.getValue()) && now + skew >= iat;
    }

    private static Key resolve(Fixture f, JsonWebSignature jws, List<org.jose4j.jwx.JsonWebStructure> nesting)
            throws UnresolvableKeyException {
        Optional<SigningAlgorithm> alg = SigningAlgorithm.fromJwsName(jws.getAlgorithmHeaderValue());
        boolean refusedHeader = HeaderRules.REFUSED_HEADERS.stream().anyMatch(h -> jws.getHeaders().getObjectHeaderValue(h) != null);
        Optional<SigningKey> key = f.keyRing.current().verificationKey(jws.getKeyIdHeaderValue(), f.clock.instant());
        if (!nesting.isEmpty() || alg.isEmpty() || refusedHeader || key.isEmpty() || key.get().algorithm() != alg.get()) {
            throw new UnresolvableKeyException("refused");
        }
        return key.get().publicKey();
    }

    /**
     * What the reference makes of a token: its claims, or empty when refused. Before jose4j, as TokenGate always did: a
     * token has exactly three parts in canonical base64url (one spelling per token; jose4j ignores unused bits).
     */
    private static Optional<Map<String, Object>> referenceOf(JwtConsumer reference, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        for (String part : parts) {
            try {
                if (!B64.encodeToString(Base64.getUrlDecoder().decode(part)).equals(part)) {
                    return Optional.empty();
                }
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        try {
            JwtClaims claims = reference.processToClaims(token);
            // the principal reads groups as a list of strings and scope as a string: the same refusal as ours otherwise
            if (claims.hasClaim("groups")) {
                claims.getStringListClaimValue("groups");
            }
            claims.getStringClaimValue("scope");
            claims.getStringClaimValue("sid");
            return Optional.of(claims.getClaimsMap());
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void agree(Fixture f, JwtConsumer reference, String token, List<String> accepted) {
        Optional<Map<String, Object>> theirs = referenceOf(reference, token);
        ValidationResult ours = f.validator.validate(token);
        assertEquals(theirs.isPresent(), ours.isValid(), () -> "jose4j " + (theirs.isPresent() ? "accepts" : "refuses")
                + " what TokenGate " + (ours.isValid() ? "accepts" : "refuses (" + ours.failure().orElseThrow() + ")") + ": " + token);
        if (theirs.isPresent()) {
            assertEquals(theirs.get(), ours.principal().orElseThrow().claims());
            accepted.add(token);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SigningAlgorithm.class)
    void acceptsExactlyWhatTheJose4jConsumerAccepts(SigningAlgorithm algorithm) {
        Fixture f = new Fixture(algorithm);
        JwtConsumer reference = reference(f);
        Random random = new Random(algorithm.ordinal() * 7919L + 1);
        List<String> accepted = new ArrayList<>();
        long now = f.clock.instant().getEpochSecond();
        String signed = f.mint();

        // minted tokens
        for (int i = 0; i < 20; i++) {
            agree(f, reference, f.issuer.issue(f.request().familyId("fam-" + i).scopes(List.of("read", "write")).build()).value(), accepted);
        }
        // forged around every rule, validly signed unless the case is about the signature
        Object[][] claimVariants = {
                {"exp", null}, {"exp", now + 300}, {"exp", now - 31}, {"exp", now - 29}, {"exp", now - 30}, {"exp", now + 3601},
                {"exp", "tomorrow"}, {"exp", 1.5e9}, {"exp", (double) (now + 100)}, {"exp", true},
                {"iat", null}, {"iat", now + 31}, {"iat", now + 30}, {"iat", "now"}, {"iat", (double) now},
                {"nbf", now + 31}, {"nbf", now + 30}, {"nbf", "later"}, {"nbf", now - 1000},
                {"sub", null}, {"sub", ""}, {"sub", " "}, {"sub", 42L}, {"sub", List.of("alice")},
                {"jti", null}, {"jti", " "}, {"jti", 7L},
                {"client_id", null}, {"client_id", ""}, {"client_id", false},
                {"iss", null}, {"iss", Fixture.ISSUER + "/"}, {"iss", Fixture.ISSUER.toUpperCase()}, {"iss", 1L}, {"iss", List.of(Fixture.ISSUER)},
                {"aud", null}, {"aud", "other"}, {"aud", List.of("x", Fixture.AUDIENCE)}, {"aud", List.of()}, {"aud", 5L},
                {"aud", List.of("other")},
                {"scope", 3L}, {"scope", List.of("read")}, {"scope", "read  write "}, {"scope", ""},
                {"groups", "user"}, {"groups", List.of("user", "admin")}, {"groups", List.of(1L)}, {"groups", List.of()},
                {"sid", 9L}, {"sid", "fam-x"}, {"auth_time", "yesterday"}, {"auth_time", now - 60},
                {"extra", Map.of("nested", List.of(1L, "two", Map.of()))}};
        for (Object[] v : claimVariants) {
            agree(f, reference, f.forgeSigned(f.forge().claim((String) v[0], v[1])), accepted);
        }
        Object[][] headerVariants = {
                {"typ", null}, {"typ", "JWT"}, {"typ", "AT+JWT"}, {"typ", "application/at+jwt"}, {"typ", "at+jwt "}, {"typ", 1L},
                {"kid", null}, {"kid", ""}, {"kid", "../etc/passwd"}, {"kid", 5L},
                {"alg", "none"}, {"alg", "HS256"}, {"alg", "rs256"}, {"alg", null}, {"alg", 256L},
                {"jku", "http://127.0.0.1:1/jwks"}, {"x5u", "http://127.0.0.1:1/x"}, {"x5c", List.of("AAAA")}, {"x5t", "AAAA"},
                {"x5t#S256", "AAAA"}, {"jwk", Map.of("kty", "RSA")}, {"crit", List.of("exp")}, {"b64", true}, {"zip", "DEF"},
                {"cty", "JWT"}, {"x-other", "fine"}};
        for (Object[] v : headerVariants) {
            agree(f, reference, f.forgeSigned(f.forge().header((String) v[0], v[1])), accepted);
        }
        // random combinations of the variants above
        for (int i = 0; i < 300; i++) {
            Forge forge = f.forge();
            for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                Object[] c = claimVariants[random.nextInt(claimVariants.length)];
                forge.claim((String) c[0], c[1]);
            }
            if (random.nextInt(3) == 0) {
                Object[] h = headerVariants[random.nextInt(headerVariants.length)];
                forge.header((String) h[0], h[1]);
            }
            agree(f, reference, f.forgeSigned(forge), accepted);
        }
        // random corruption of a valid token, in any of its three parts
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < 1500; i++) {
            StringBuilder sb = new StringBuilder(signed);
            for (int m = 0, n = 1 + random.nextInt(3); m < n; m++) {
                sb.setCharAt(random.nextInt(sb.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String mutated = sb.toString();
            if (!mutated.equals(signed)) {
                agree(f, reference, mutated, accepted);
            }
        }
        // time moves: both stop accepting a token at the same second
        String token = f.mint();
        for (int s = 0; s < 3; s++) {
            f.clock.advance(Duration.ofSeconds(s == 0 ? 329 : 1));
            agree(f, reference, token, accepted);
        }
        assertTrue(accepted.size() > 40, "the corpus exercises acceptance too: " + accepted.size());
    }
}
