package io.tokengate.core.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an access token is minted for: the resource owner ({@code sub}), the client, the granted scopes,
 * the groups, and optionally the authentication time, the refresh-token family ({@code sid}), the
 * audience and a lifetime that overrides the client's. Immutable; build with {@link #builder(String, String)}.
 */
public final class AccessTokenRequest {
    private final String subject;
    private final String clientId;
    private final Set<String> scopes;
    private final Set<String> groups;
    private final List<String> audience;
    private final Instant authTime;
    private final String familyId;
    private final Duration lifetime;
    private final Instant issuedAt;
    private final String dpopJkt;

    private AccessTokenRequest(Builder b) {
        this.subject = b.subject;
        this.clientId = b.clientId;
        this.scopes = Set.copyOf(b.scopes);
        this.groups = Set.copyOf(b.groups);
        this.audience = List.copyOf(b.audience);
        this.authTime = b.authTime;
        this.familyId = b.familyId;
        this.lifetime = b.lifetime;
        this.issuedAt = b.issuedAt;
        this.dpopJkt = b.dpopJkt;
    }

    /** @param subject the resource owner, becomes {@code sub}; @param clientId becomes {@code client_id} */
    public static Builder builder(String subject, String clientId) {
        return new Builder(subject, clientId);
    }

    public String subject() {
        return subject;
    }

    public String clientId() {
        return clientId;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public Set<String> groups() {
        return groups;
    }

    /** The audience; empty means the issuer's configured default audience. */
    public List<String> audience() {
        return audience;
    }

    public Optional<Instant> authTime() {
        return Optional.ofNullable(authTime);
    }

    /** The refresh-token family the token belongs to, carried as {@code sid}. */
    public Optional<String> familyId() {
        return Optional.ofNullable(familyId);
    }

    /** A lifetime for this one token, overriding the client's and the default. */
    public Optional<Duration> lifetime() {
        return Optional.ofNullable(lifetime);
    }

    /**
     * The {@code iat} to write instead of the clock's now: the instant a grant decision was taken, so a
     * revocation that lands while the token is being minted still covers it (its "not before" is later).
     */
    public Optional<Instant> issuedAt() {
        return Optional.ofNullable(issuedAt);
    }

    /** The DPoP key the token is bound to, written as {@code cnf.jkt} (RFC 9449 §6.1). */
    public Optional<String> dpopJkt() {
        return Optional.ofNullable(dpopJkt);
    }

    public static final class Builder {
        private final String subject;
        private final String clientId;
        private final Set<String> scopes = new LinkedHashSet<>();
        private final Set<String> groups = new LinkedHashSet<>();
        private final List<String> audience = new ArrayList<>();
        private Instant authTime;
        private String familyId;
        private Duration lifetime;
        private Instant issuedAt;
        private String dpopJkt;

        private Builder(String subject, String clientId) {
            if (subject == null || subject.isEmpty()) {
                throw new IllegalArgumentException("subject is required");
            }
            if (clientId == null || clientId.isEmpty()) {
                throw new IllegalArgumentException("clientId is required");
            }
            this.subject = subject;
            this.clientId = clientId;
        }

        public Builder scopes(Collection<String> values) {
            for (String s : values) {
                if (s == null || s.isEmpty() || s.indexOf(' ') >= 0) {
                    throw new IllegalArgumentException("a scope is a non-empty token without spaces (RFC 6749 §3.3)");
                }
                scopes.add(s);
            }
            return this;
        }

        public Builder groups(Collection<String> values) {
            values.forEach(g -> groups.add(Objects.requireNonNull(g, "group")));
            return this;
        }

        public Builder audience(Collection<String> values) {
            values.forEach(a -> audience.add(Objects.requireNonNull(a, "audience")));
            return this;
        }

        public Builder authTime(Instant value) {
            this.authTime = value;
            return this;
        }

        public Builder familyId(String value) {
            this.familyId = value;
            return this;
        }

        public Builder lifetime(Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("lifetime must be positive");
            }
            this.lifetime = value;
            return this;
        }

        public Builder issuedAt(Instant value) {
            this.issuedAt = value;
            return this;
        }

        public Builder dpopJkt(String value) {
            this.dpopJkt = value;
            return this;
        }

        public AccessTokenRequest build() {
            return new AccessTokenRequest(this);
        }
    }
}
