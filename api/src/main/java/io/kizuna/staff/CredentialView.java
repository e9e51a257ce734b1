package io.kizuna.staff;

import java.time.Instant;
import java.util.UUID;

/** A staff credential as listed to admins: never the key. */
public record CredentialView(UUID id, String name, Role role, Instant createdAt, Instant revokedAt) {
}
