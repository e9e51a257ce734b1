package io.kizuna.staff;

import java.time.Instant;
import java.util.UUID;

/** A line of the audit log: who did what to which record, and in which request. */
public record AuditEntry(UUID id, Instant at, String actor, String action, String target, String detail,
                         String requestId) {
}
