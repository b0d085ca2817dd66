package io.tokengate.core.refresh.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * Row of one kept cut of the revocation registry: a revoked access token's {@code jti} (CUT_AT is its {@code exp}),
 * or a subject's "not before" instant; DROP_AT is when it stops mattering. The key is the SHA-256 (hex) of the
 * application's issuer, the kind and the revoked key, so a later cut of the same thing replaces the row, and no
 * collation folds two into one.
 */
@Entity(name = "TokenGateRevocation")
@Table(name = "TG_REVOCATION", indexes = @Index(name = "TG_REVOCATION_DROP_IX", columnList = "ISSUER, DROP_AT"))
public class RevocationEntity {
    @Id
    @Column(name = "REVOCATION_ID", length = 64)
    String id;
    @Column(name = "ISSUER", length = 255, nullable = false)
    String issuer;
    @Column(name = "KIND", length = 16, nullable = false)
    String kind;
    @Column(name = "REVOKED_KEY", length = 255, nullable = false)
    String key;
    @Column(name = "CUT_AT", nullable = false)
    long cutAt;
    @Column(name = "DROP_AT", nullable = false)
    long dropAt;

    public RevocationEntity() {
    }
}
