package io.kizuna.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "store")
public class StoreEntity {
    @Id
    private String code;

    private String name;

    @Column(name = "created_at")
    private Instant createdAt;

    protected StoreEntity() {
    }

    StoreEntity(String code, String name, Instant createdAt) {
        this.code = code;
        this.name = name;
        this.createdAt = createdAt;
    }

    StoreView view() {
        return new StoreView(code, name, createdAt);
    }
}
