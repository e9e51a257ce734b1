package io.kizuna.store;

import java.time.Instant;
import java.util.UUID;

/** A terminal as staff see it: never its key. */
public record TerminalView(UUID id, String storeCode, String code, Instant createdAt, Instant revokedAt) {
}
