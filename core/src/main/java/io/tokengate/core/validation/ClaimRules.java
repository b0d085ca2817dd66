package io.tokengate.core.validation;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.Scopes;

/**
 * The claim rules of RFC 9068 §4 and RFC 7519 §4.1, one small check each, run in the order a resource server reports
 * them, and the principal of a token that passed them all. Times are whole seconds against the injected clock with
 * the allowed skew.
 */
final class ClaimRules {
    /** Largest NumericDate magnitude read, in seconds (about the year 5138): larger values are malformed, never overflow. */
    private static final long MAX_NUMERIC_DATE = 100_000_000_000L;

    private final String issuer;
    private final Set<String> audiences;
    private final long maxLifetimeSeconds;
    private final long skewSeconds;
    private final String groupsClaim;

    ClaimRules(String issuer, Set<String> audiences, long maxLifetimeSeconds, long skewSeconds, String groupsClaim) {
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.maxLifetimeSeconds = maxLifetimeSeconds;
        this.skewSeconds = skewSeconds;
        this.groupsClaim = groupsClaim;
    }

    /** The principal of claims that pass every rule at {@code now}. */
    AccessTokenPrincipal check(Map<String, Object> claims, Instant now) throws Refusal {
        Long exp = numericDate(claims, "exp");
        Long iat = numericDate(claims, "iat");
        String subject = string(claims, "sub");
        String jti = string(claims, "jti");
        String clientId = string(claims, "client_id");
        if (exp == null || iat == null || isBlank(subject) || isBlank(jti) || isBlank(clientId)) {
            throw new Refusal(FailureReason.MISSING_CLAIM);
        }
        long seconds = now.getEpochSecond();
        checkIssuer(claims);
        checkAudience(claims.get("aud"));
        checkLifetime(exp, iat);
        checkNotExpired(exp, seconds);
        checkNotBefore(numericDate(claims, "nbf"), seconds);
        checkIssuedAt(iat, seconds);
        Long authTime = claims.get("auth_time") instanceof Number ? numericDate(claims, "auth_time") : null;
        return new AccessTokenPrincipal(subject, clientId, Scopes.split(string(claims, "scope")), stringList(claims, groupsClaim), jti,
                string(claims, AccessTokenIssuer.FAMILY_CLAIM), Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp),
                authTime == null ? null : Instant.ofEpochSecond(authTime), confirmationJkt(claims.get("cnf")), claims);
    }

    /** RFC 9449 §6.1: {@code cnf} is an object; its {@code jkt}, when there, a non-empty string. */
    private static String confirmationJkt(Object cnf) throws Refusal {
        if (cnf == null) {
            return null;
        }
        if (!(cnf instanceof Map<?, ?> members)) {
            throw new Refusal(FailureReason.MALFORMED);
        }
        Object jkt = members.get("jkt");
        if (jkt != null && (!(jkt instanceof String s) || s.isEmpty())) {
            throw new Refusal(FailureReason.MALFORMED);
        }
        return (String) jkt;
    }

    /** {@code iss} is exactly the issuer: no normalisation. */
    private void checkIssuer(Map<String, Object> claims) throws Refusal {
        if (!issuer.equals(string(claims, "iss"))) {
            throw new Refusal(FailureReason.WRONG_ISSUER);
        }
    }

    /** {@code aud}, a string or an array of strings, contains an accepted audience. */
    private void checkAudience(Object aud) throws Refusal {
        boolean accepted = false;
        if (aud instanceof String) {
            accepted = audiences.contains(aud);
        } else if (aud instanceof List) {
            for (Object a : (List<?>) aud) {
                if (!(a instanceof String)) {
                    throw new Refusal(FailureReason.MALFORMED);
                }
                accepted |= audiences.contains(a);
            }
        } else if (aud != null) {
            throw new Refusal(FailureReason.MALFORMED);
        }
        if (!accepted) {
            throw new Refusal(FailureReason.WRONG_AUDIENCE);
        }
    }

    /** Revocation entries live as long as the longest accepted token: a longer one would outlive them. */
    private void checkLifetime(long exp, long iat) throws Refusal {
        if (exp - iat > maxLifetimeSeconds) {
            throw new Refusal(FailureReason.LIFETIME_TOO_LONG);
        }
    }

    private void checkNotExpired(long exp, long now) throws Refusal {
        if (now - skewSeconds >= exp) {
            throw new Refusal(FailureReason.EXPIRED);
        }
    }

    private void checkNotBefore(Long nbf, long now) throws Refusal {
        if (nbf != null && now + skewSeconds < nbf) {
            throw new Refusal(FailureReason.NOT_YET_VALID);
        }
    }

    private void checkIssuedAt(long iat, long now) throws Refusal {
        if (now + skewSeconds < iat) {
            throw new Refusal(FailureReason.ISSUED_IN_FUTURE);
        }
    }

    /** A string claim, null when absent; another type is malformed. */
    private static String string(Map<String, Object> claims, String name) throws Refusal {
        Object v = claims.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new Refusal(FailureReason.MALFORMED);
    }

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
}
