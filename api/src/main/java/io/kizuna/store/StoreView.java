package io.kizuna.store;

import java.time.Instant;

public record StoreView(String code, String name, Instant createdAt) {
}
