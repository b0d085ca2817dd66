package io.tokengate.core.validation;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;

/**
 * Tokens whose signature and claims were checked, so that the very same string skips both until it expires or the
 * key set changes; bounded, revocation is not its business (checked anew on every use).
 */
final class VerifiedTokenCache {
    private final int size;
    private final Clock clock;
    private final KeyRing keyRing;
    private final ConcurrentHashMap<TokenKey, Verified> verified;

    /**
     * A token whose signature and claims were checked: valid until {@code acceptBefore} (epoch seconds: exp plus
     * the skew, or sooner when the key that verified it stops verifying — a previous key's window) while the key set
     * it was checked against is still the current one.
     */
    record Verified(AccessTokenPrincipal principal, KeySet keys, long acceptBefore) {
    }

    /**
     * The key: the whole token (equality compares every character, so only the very same string hits), hashed on the
     * last characters of its signature only. A String would hash all its 700 or so characters again for every request
     * (each request brings a new String); signature bytes are as good as random, and a forged token that collides is
     * never in the cache (only verified tokens are).
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

    VerifiedTokenCache(int size, Clock clock, KeyRing keyRing) {
        this.size = size;
        this.clock = clock;
        this.keyRing = keyRing;
        this.verified = new ConcurrentHashMap<>(Math.min(size, 1024));
    }

    boolean enabled() {
        return size > 0;
    }

    /** The principal of this very token when it was verified and still counts as verified, else null. */
    AccessTokenPrincipal get(String token) {
        TokenKey key = new TokenKey(token);
        Verified hit = verified.get(key);
        if (hit == null) {
            return null;
        }
        if (hit.keys() == keyRing.current() && clock.instant().getEpochSecond() < hit.acceptBefore()) {
            return hit.principal();
        }
        verified.remove(key, hit); // expired, or the keys changed (a retired key must stop verifying)
        return null;
    }

    void remember(String token, Verified entry) {
        if (verified.size() >= size) {
            long now = clock.instant().getEpochSecond();
            verified.values().removeIf(v -> now >= v.acceptBefore() || v.keys() != keyRing.current());
            if (verified.size() >= size) {
                verified.clear(); // still full of live tokens: start over rather than grow
            }
        }
        verified.put(new TokenKey(token), entry);
    }

    int size() {
        return verified.size();
    }
}
