package io.tokengate.core.authorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.tokengate.core.random.SecureRandoms;
import io.tokengate.core.refresh.RefreshTokenHasher;

/**
 * Issues and redeems authorization codes: a code is 32 random bytes (base64url), stored only as its keyed hash (under
 * the refresh-token secrets, so a leaked table yields no usable code), live for {@link #LIFETIME}, and redeemed at most
 * once across every server of the issuer. Thread-safe.
 */
public final class AuthorizationCodes {
    /** How long a code may be redeemed (RFC 6749 §4.1.2: "a maximum authorization code lifetime of 10 minutes is RECOMMENDED"; shorter is better). */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String DOMAIN = "authorization_code ";

    private final Supplier<AuthorizationCodeStore> store;
    private final RefreshTokenHasher hasher;
    private final Clock clock;

    /** @param store where the codes are kept, asked on every use (a store whose database is not reachable yet throws) */
    public AuthorizationCodes(Supplier<AuthorizationCodeStore> store, RefreshTokenHasher hasher, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new code for a signed-in user's approved request; the code itself is returned once and never stored. */
    public String issue(AuthorizationRequest request, String subject, Set<String> groups, Instant authTime) {
        String code = B64.encodeToString(SecureRandoms.bytes(32));
        Instant now = clock.instant();
        store.get().save(new AuthorizationCode(hasher.hash(DOMAIN + code), request.client().clientId(), request.redirectUri(),
                request.codeChallenge(), subject, groups, request.scopes(), authTime, now, now.plus(LIFETIME)));
        return code;
    }

    /**
     * Uses {@code code}: under each known secret (current first: another server may hash with a newer one), until one
     * knows it.
     */
    public CodeRedemption redeem(String code) {
        if (code == null || code.length() != 43) {
            return new CodeRedemption.Unknown();
        }
        Instant now = clock.instant();
        AuthorizationCodeStore codes = store.get();
        for (String hash : hasher.candidateHashes(DOMAIN + code)) {
            CodeRedemption r = codes.redeem(hash, now);
            if (!(r instanceof CodeRedemption.Unknown)) {
                return r;
            }
        }
        return new CodeRedemption.Unknown();
    }

    /** Records the family a redeemed code issued, for a replay to revoke. */
    public void recordFamily(AuthorizationCode code, String familyId) {
        store.get().recordFamily(code.codeHash(), familyId);
    }

    /** Deletes codes expired before {@code before}; how many. */
    public int deleteExpired(Instant before, int batchSize) {
        return store.get().deleteExpired(before, batchSize);
    }
}
