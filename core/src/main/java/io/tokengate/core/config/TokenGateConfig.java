package io.tokengate.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tokengate.core.dpop.DPoPConfig;
import io.tokengate.core.endpoint.Realm;
import io.tokengate.core.keys.KeySourceFactory;
import io.tokengate.core.token.AccessTokenIssuer;

/**
 * The core's settings, read and checked once: every problem is a {@link ConfigurationException} naming its key,
 * before anything is opened (only the refresh-token secrets that keys not generated need are asked for by
 * {@code TokenGate} once the keys loaded, so that a key problem is named first). Immutable.
 *
 * @param issuer                 {@code tokengate.issuer}
 * @param audiences              {@code tokengate.audience}, or the issuer
 * @param accessTokenLifetime    the default lifetime of access tokens, positive and at most {@code maxTokenLifetime}
 * @param maxTokenLifetime       the longest lifetime the validator accepts
 * @param clockSkew              the tolerance of time claims
 * @param maxTokenLength         longer tokens are refused before parsing
 * @param verifiedTokenCacheSize 0 (off) to 1,000,000
 * @param acceptJwtType          the migration switch for {@code typ: JWT}
 * @param groupsClaim            the name of the groups claim
 * @param realm                  of the {@code WWW-Authenticate} challenges
 * @param clientsFile            the client registry file, or null for clients given in code
 * @param keys                   where the signing keys come from
 * @param refreshTokenSecrets    {@code tokengate.refresh-token-secrets} entries, empty for a generated secret
 * @param dpop                   the DPoP settings
 */
public record TokenGateConfig(String issuer, List<String> audiences, Duration accessTokenLifetime, Duration maxTokenLifetime,
                              Duration clockSkew, int maxTokenLength, int verifiedTokenCacheSize, boolean acceptJwtType, String groupsClaim,
                              String realm, Path clientsFile, KeySourceFactory.Spec keys, List<String> refreshTokenSecrets,
                              DPoPConfig dpop) {

    public TokenGateConfig {
        audiences = List.copyOf(audiences);
        refreshTokenSecrets = List.copyOf(refreshTokenSecrets);
    }

    /** How long a revocation matters and a rotated-out key must verify: the longest token lifetime plus the skew. */
    public Duration notBeforeLife() {
        return maxTokenLifetime.plus(clockSkew);
    }

    public static TokenGateConfig read(Settings s) {
        String issuer = s.required(Setting.ISSUER);
        if (issuer.contains("?") || issuer.contains("#")) {
            throw new ConfigurationException(Setting.ISSUER, "must be a URL without query or fragment (RFC 8414 §2)");
        }
        List<String> audiences = s.list(Setting.AUDIENCE);
        Duration maxLifetime = s.duration(Setting.MAX_TOKEN_LIFETIME);
        if (maxLifetime.isZero()) {
            throw new ConfigurationException(Setting.MAX_TOKEN_LIFETIME, "must be positive");
        }
        Duration lifetime = s.duration(Setting.ACCESS_TOKEN_LIFETIME);
        if (lifetime.isZero() || lifetime.compareTo(maxLifetime) > 0) {
            throw new ConfigurationException(Setting.ACCESS_TOKEN_LIFETIME, "must be positive and at most " + Setting.MAX_TOKEN_LIFETIME.key()
                    + " (" + maxLifetime + ")");
        }
        int maxLength = s.integer(Setting.MAX_TOKEN_LENGTH);
        if (maxLength < 64) {
            throw new ConfigurationException(Setting.MAX_TOKEN_LENGTH, "is too small to hold any access token (at least 64)");
        }
        int cacheSize = s.integer(Setting.VERIFIED_TOKEN_CACHE_SIZE);
        if (cacheSize < 0 || cacheSize > 1_000_000) {
            throw new ConfigurationException(Setting.VERIFIED_TOKEN_CACHE_SIZE, "must be between 0 (off) and 1000000");
        }
        String groupsClaim = s.required(Setting.GROUPS_CLAIM);
        if (AccessTokenIssuer.isRegisteredClaim(groupsClaim)) {
            throw new ConfigurationException(Setting.GROUPS_CLAIM, "'" + groupsClaim + "' is a claim the issuer writes itself");
        }
        String realm;
        try {
            realm = Realm.check(s.required(Setting.REALM));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(Setting.REALM, e.getMessage());
        }
        String clients = s.get(Setting.CLIENTS);
        KeySourceFactory.Spec keys = KeySourceFactory.spec(s);
        List<String> secrets = s.list(Setting.REFRESH_TOKEN_SECRETS);
        return new TokenGateConfig(issuer, audiences.isEmpty() ? List.of(issuer) : audiences, lifetime, maxLifetime,
                s.duration(Setting.CLOCK_SKEW), maxLength, cacheSize, s.bool(Setting.ACCEPT_JWT_TYPE), groupsClaim, realm,
                clients == null ? null : Path.of(clients), keys, secrets, DPoPConfig.read(s));
    }
}
