package io.tokengate.core.support;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.validation.AccessTokenValidator;

/** One issuer and one validator over one key ring, a movable clock and an in-memory revocation registry. */
public final class Fixture {
    public static final String ISSUER = "https://auth.example.test";
    public static final String AUDIENCE = "https://api.example.test";

    public final MutableClock clock = MutableClock.startingAt("2026-11-27T10:00:00Z");
    public final SigningKey key;
    public final KeyRing keyRing;
    public final InMemoryRevocationRegistry revocation;
    public final AccessTokenIssuer issuer;
    public final AccessTokenValidator validator;

    public Fixture(SigningAlgorithm algorithm) {
        this(TestKeys.shared(algorithm), false);
    }

    public Fixture(SigningKey key, boolean acceptJwtType) {
        this.key = key;
        this.keyRing = new KeyRing(KeySet.of(key), clock, Duration.ofMinutes(6));
        this.revocation = new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30));
        this.issuer = AccessTokenIssuer.builder().keyRing(keyRing).issuer(ISSUER).audience(AUDIENCE).build();
        this.validator = AccessTokenValidator.builder().keyRing(keyRing).issuer(ISSUER).audience(AUDIENCE)
                .revocationRegistry(revocation).acceptJwtType(acceptJwtType).build();
    }

    public static Fixture rs256() {
        return new Fixture(SigningAlgorithm.RS256);
    }

    /** A token for alice, client demo-client, scope read, group user. */
    public String mint() {
        return issuer.issue(request().build()).value();
    }

    public AccessTokenRequest.Builder request() {
        return AccessTokenRequest.builder("alice", "demo-client").scopes(List.of("read")).groups(Set.of("user"));
    }

    /** A forger pre-filled with an acceptable header and claims for this fixture's key. */
    public Forge forge() {
        return Forge.validFor(key.kid(), key.algorithm().jwsName(), ISSUER, AUDIENCE, clock.instant().getEpochSecond());
    }

    public String forgeSigned(Forge f) {
        return f.sign(key.algorithm().jwsName(), key.privateKey().orElseThrow());
    }
}
