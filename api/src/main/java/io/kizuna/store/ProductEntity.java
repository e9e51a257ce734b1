package io.kizuna.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "product")
public class ProductEntity {
    @Id
    private String sku;

    private String name;

    private String category;

    @Column(name = "excluded_from_earning")
    private boolean excludedFromEarning;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected ProductEntity() {
    }

    ProductEntity(Product product, Instant updatedAt) {
        this.sku = product.sku();
        update(product, updatedAt);
    }

    void update(Product product, Instant at) {
        this.name = product.name();
        this.category = product.category();
        this.excludedFromEarning = product.excludedFromEarning();
        this.updatedAt = at;
    }

    public Product product() {
        return new Product(sku, name, category, excludedFromEarning);
    }
}
