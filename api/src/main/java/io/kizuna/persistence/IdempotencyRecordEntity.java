package io.kizuna.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "idempotency_record")
public class IdempotencyRecordEntity {
    @Id
    @Column(name = "idempotency_key")
    private String key;

    @Column(name = "request_hash")
    private byte[] requestHash;

    @Column(name = "response_json")
    private String responseJson;

    @Column(name = "created_at")
    private Instant createdAt;

    protected IdempotencyRecordEntity() {
    }

    IdempotencyRecordEntity(String key, byte[] requestHash, String responseJson, Instant createdAt) {
        this.key = key;
        this.requestHash = requestHash;
        this.responseJson = responseJson;
        this.createdAt = createdAt;
    }

    byte[] requestHash() {
        return requestHash;
    }

    String responseJson() {
        return responseJson;
    }
}
