package io.tokengate.core.refresh.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * Row of one refresh token of an earlier version, which kept one per token: its keyed hash (never the token), its
 * application's issuer, its family, state and successor link. Read and cleaned up; no new rows are written.
 */
@Entity(name = "TokenGateRefreshToken")
@Table(name = "TG_REFRESH_TOKEN", indexes = {
        @Index(name = "TG_REFRESH_TOKEN_FAMILY_IX", columnList = "FAMILY_ID"),
        @Index(name = "TG_REFRESH_TOKEN_ROTATED_IX", columnList = "ISSUER, ROTATED_AT")})
public class TokenEntity {
    @Id
    @Column(name = "TOKEN_HASH", length = 64)
    String tokenHash;
    @Column(name = "ISSUER", length = 255, nullable = false)
    String issuer;
    @Column(name = "SECRET_ID", length = 64, nullable = false)
    String secretId;
    @Column(name = "FAMILY_ID", length = 64, nullable = false)
    String familyId;
    @Column(name = "STATE", length = 16, nullable = false)
    String state;
    @Column(name = "ISSUED_AT", nullable = false)
    long issuedAt;
    @Column(name = "ROTATED_AT")
    Long rotatedAt;
    @Column(name = "SUCCESSOR_HASH", length = 64)
    String successorHash;

    public TokenEntity() {
    }
}
