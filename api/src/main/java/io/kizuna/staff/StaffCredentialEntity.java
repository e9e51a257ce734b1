package io.kizuna.staff;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** A staff API key. Only the SHA-256 of the key is stored; the key itself is shown once, when created. */
@Entity
@Table(name = "staff_credential")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class StaffCredentialEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    private String name;

    @Enumerated(EnumType.STRING)
    private Role role;

    @Column(name = "secret_hash")
    private byte[] secretHash;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected StaffCredentialEntity() {
    }

    StaffCredentialEntity(UUID id, String name, Role role, byte[] secretHash, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.secretHash = secretHash;
        this.createdAt = createdAt;
    }

    Staff staff() {
        return new Staff(id, name, role);
    }

    CredentialView view() {
        return new CredentialView(id, name, role, createdAt, revokedAt);
    }

    boolean isRevoked() {
        return revokedAt != null;
    }

    void revoke(Instant at) {
        revokedAt = at;
    }
}
