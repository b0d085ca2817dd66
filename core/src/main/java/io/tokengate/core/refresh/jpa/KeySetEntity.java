package io.tokengate.core.refresh.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.tokengate.core.keys.KeySetStore;

/**
 * Row of one issuer's shared key set ({@code tokengate.keys.source=database}): the whole set sealed (its private keys
 * encrypted under the key-encryption key), and the version every change increments, compared and set in one UPDATE.
 */
@Entity(name = "TokenGateKeySet")
@Table(name = "TG_KEY_SET")
public class KeySetEntity {
    @Id
    @Column(name = "ISSUER", length = 255)
    String issuer;
    @Column(name = "VERSION", nullable = false)
    long version;
    @Column(name = "SEALED", length = KeySetStore.MAX_SEALED_LENGTH, nullable = false) // under MariaDB's row-size limit
    String sealed;
    @Column(name = "UPDATED_AT", nullable = false)
    long updatedAt;

    public KeySetEntity() {
    }
}
