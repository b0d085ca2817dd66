package io.tokengate.core.validation;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated access token: who ({@code sub}), for which client, with which scopes and groups, until when,
 * and every claim. Immutable. Its {@link #getName()} is the subject, so it can stand as the request's
 * user principal.
 */
public final class AccessTokenPrincipal implements Principal {
    private final String subject;
    private final String clientId;
    private final Set<String> scopes;
    private final Set<String> groups;
    private final String jti;
    private final String familyId;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Instant authTime;
    private final String dpopJkt;
    private final Map<String, Object> claims;

    AccessTokenPrincipal(String subject, String clientId, Set<String> scopes, Set<String> groups, String jti,
                         String familyId, Instant issuedAt, Instant expiresAt, Instant authTime, String dpopJkt,
                         Map<String, Object> claims) {
        this.subject = subject;
        this.clientId = clientId;
        this.scopes = Set.copyOf(scopes);
        this.groups = Set.copyOf(groups);
        this.jti = jti;
        this.familyId = familyId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.authTime = authTime;
        this.dpopJkt = dpopJkt;
        this.claims = claims;
    }

    @Override
    public String getName() {
        return subject;
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

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public Set<String> groups() {
        return groups;
    }

    public String jti() {
        return jti;
    }

    /**
     * The thumbprint of the DPoP key the token is bound to ({@code cnf.jkt}, RFC 9449 §6.1): it is accepted only with
     * {@code Authorization: DPoP} and a proof of that key. Empty for a bearer token.
     */
    public Optional<String> dpopJkt() {
        return Optional.ofNullable(dpopJkt);
    }

    /** The refresh-token family ({@code sid}) the token was minted from, if any. */
    public Optional<String> familyId() {
        return Optional.ofNullable(familyId);
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Optional<Instant> authTime() {
        return Optional.ofNullable(authTime);
    }

    /** Every claim of the token, unmodifiable, as parsed from its JSON. */
    public Map<String, Object> claims() {
        return claims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessTokenPrincipal && ((AccessTokenPrincipal) o).jti.equals(jti);
    }

    @Override
    public int hashCode() {
        return jti.hashCode();
    }

    @Override
    public String toString() {
        return "AccessTokenPrincipal[sub=" + subject + ", client_id=" + clientId + ", jti=" + jti + "]";
    }
}
