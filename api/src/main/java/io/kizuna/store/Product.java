package io.kizuna.store;

import io.kizuna.error.KizunaException;

/** A catalogue entry. {@code excludedFromEarning} keeps a product out of eligible spend whatever its category. */
public record Product(String sku, String name, String category, boolean excludedFromEarning) {
    public Product {
        if (sku == null || sku.isBlank() || sku.length() > 64) {
            throw KizunaException.invalid("A SKU is 1 to 64 characters.");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw KizunaException.invalid("A product name is 1 to 200 characters.");
        }
        if (category == null || category.isBlank() || category.length() > 64) {
            throw KizunaException.invalid("A category is 1 to 64 characters.");
        }
    }
}
