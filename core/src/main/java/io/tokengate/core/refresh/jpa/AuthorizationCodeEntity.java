package io.tokengate.core.refresh.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * Row of one authorization code: its keyed hash (never the code), its application's issuer, what it is bound to, when it
 * expires, when it was used (null until then) and the family its use issued.
 */
@Entity(name = "TokenGateAuthorizationCode")
@Table(name = "TG_AUTHORIZATION_CODE", indexes = @Index(name = "TG_AUTHORIZATION_CODE_EXPIRES_IX", columnList = "ISSUER, EXPIRES_AT"))
public class AuthorizationCodeEntity {
    @Id
    @Column(name = "CODE_HASH", length = 64)
    String codeHash;
    @Column(name = "ISSUER", length = 255, nullable = false)
    String issuer;
    @Column(name = "CLIENT_ID", length = 255, nullable = false)
    String clientId;
    @Column(name = "REDIRECT_URI", length = 2000, nullable = false)
    String redirectUri;
    @Column(name = "CODE_CHALLENGE", length = 64, nullable = false)
    String codeChallenge;
    @Column(name = "SUBJECT", length = 255, nullable = false)
    String subject;
    @Column(name = "GROUPS_JSON", length = 4000, nullable = false)
    String groups;
    @Column(name = "SCOPES", length = 2000, nullable = false)
    String scopes;
    @Column(name = "AUTH_TIME", nullable = false)
    long authTime;
    @Column(name = "ISSUED_AT", nullable = false)
    long issuedAt;
    @Column(name = "EXPIRES_AT", nullable = false)
    long expiresAt;
    @Column(name = "REDEEMED_AT")
    Long redeemedAt;
    @Column(name = "FAMILY_ID", length = 64)
    String familyId;

    public AuthorizationCodeEntity() {
    }
}
