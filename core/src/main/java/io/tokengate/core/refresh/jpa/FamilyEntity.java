package io.tokengate.core.refresh.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * Row of a refresh-token family, with its live token (generation, keyed hash, secret id, issue): one row per family
 * whatever the number of refreshes; the token columns are null for a family of an earlier version whose token (a row of
 * TG_REFRESH_TOKEN) has not been refreshed since. Instants are epoch milliseconds (BIGINT): exact, and the same on every
 * database. Scopes are space-separated (scope tokens have no spaces); groups are a JSON array. ISSUER is the
 * application's: applications that share a database see only their own rows.
 */
@Entity(name = "TokenGateFamily")
@Table(name = "TG_FAMILY", indexes = {
        @Index(name = "TG_FAMILY_SUBJECT_IX", columnList = "ISSUER, SUBJECT"),
        @Index(name = "TG_FAMILY_CLIENT_IX", columnList = "ISSUER, CLIENT_ID"),
        @Index(name = "TG_FAMILY_IDLE_IX", columnList = "IDLE_EXPIRES_AT"),
        @Index(name = "TG_FAMILY_ABSOLUTE_IX", columnList = "ABSOLUTE_EXPIRES_AT"),
        @Index(name = "TG_FAMILY_REVOKED_IX", columnList = "REVOKED_AT")})
public class FamilyEntity {
    @Id
    @Column(name = "FAMILY_ID", length = 64)
    String familyId;
    @Column(name = "ISSUER", length = 255, nullable = false)
    String issuer;
    @Column(name = "SUBJECT", length = 255, nullable = false)
    String subject;
    @Column(name = "CLIENT_ID", length = 255, nullable = false)
    String clientId;
    @Column(name = "SCOPES", length = 2000, nullable = false)
    String scopes;
    @Column(name = "GROUPS_JSON", length = 4000, nullable = false)
    String groups;
    @Column(name = "AUTH_TIME")
    Long authTime;
    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;
    @Column(name = "LAST_USED_AT", nullable = false)
    long lastUsedAt;
    @Column(name = "IDLE_EXPIRES_AT", nullable = false)
    long idleExpiresAt;
    @Column(name = "ABSOLUTE_EXPIRES_AT", nullable = false)
    long absoluteExpiresAt;
    @Column(name = "STATE", length = 16, nullable = false)
    String state;
    @Column(name = "REVOKED_AT")
    Long revokedAt;
    @Column(name = "REVOKED_REASON", length = 64)
    String revokedReason;
    @Column(name = "USER_AGENT", length = 512)
    String userAgent;
    @Column(name = "REMOTE_ADDRESS", length = 64)
    String remoteAddress;
    @Column(name = "GENERATION")
    Long generation;
    @Column(name = "TOKEN_HASH", length = 64)
    String tokenHash;
    @Column(name = "TOKEN_SECRET_ID", length = 64)
    String tokenSecretId;
    @Column(name = "TOKEN_ISSUED_AT")
    Long tokenIssuedAt;
    @Column(name = "DPOP_JKT", length = 64)
    String dpopJkt;

    public FamilyEntity() {
    }
}
