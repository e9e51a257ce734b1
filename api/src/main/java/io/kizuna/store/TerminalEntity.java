package io.kizuna.store;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** A till, bound to one store, authenticated by a key of which only the hash is kept. */
@Entity
@Table(name = "terminal")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class TerminalEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @Column(name = "store_code")
    private String storeCode;

    private String code;

    @Column(name = "key_hash")
    private byte[] keyHash;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected TerminalEntity() {
    }

    TerminalEntity(UUID id, String storeCode, String code, byte[] keyHash, Instant createdAt) {
        this.id = id;
        this.storeCode = storeCode;
        this.code = code;
        this.keyHash = keyHash;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String storeCode() {
        return storeCode;
    }

    String code() {
        return code;
    }

    boolean isRevoked() {
        return revokedAt != null;
    }

    void revoke(Instant at) {
        revokedAt = at;
    }

    TerminalView view() {
        return new TerminalView(id, storeCode, code, createdAt, revokedAt);
    }
}
