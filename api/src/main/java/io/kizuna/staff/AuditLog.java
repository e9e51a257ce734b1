package io.kizuna.staff;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import jakarta.persistence.EntityManager;

/** The record of what staff did. Targets are ids, details never hold a member's personal data. */
public final class AuditLog {
    private final Clock clock;
    private final Transactions transactions;

    public AuditLog(Clock clock, Transactions transactions) {
        this.clock = clock;
        this.transactions = transactions;
    }

    /** What was done, by whom, in which request. */
    public record Action(Staff staff, String requestId, String action, String target, String detail) {
    }

    /** Records an action inside the transaction that performs it, so the two commit or fail together. */
    public void record(EntityManager em, Action action) {
        em.persist(new AuditLogEntity(Ids.next(), clock.instant(), action.staff().actor(), action.action(),
                action.target(), truncate(action.detail()), action.requestId()));
    }

    /** Records what a member did to their own data through the app; {@code actor} is "member:&lt;id&gt;". */
    public void recordSelfService(EntityManager em, String actor, String action, String target, String detail) {
        em.persist(new AuditLogEntity(Ids.next(), clock.instant(), actor, action, target, truncate(detail), null));
    }

    /** Newest first; {@code before} is the id of the last entry of the previous page. */
    public List<AuditEntry> list(String before, int limit) {
        if (limit < 1 || limit > 200) {
            throw KizunaException.invalid("limit is 1 to 200.");
        }
        UUID cursor = parse(before);
        return transactions.inTransaction(em -> em.createQuery(
                        "SELECT a FROM AuditLogEntity a WHERE a.id < :before ORDER BY a.id DESC", AuditLogEntity.class)
                .setParameter("before", cursor)
                .setMaxResults(limit)
                .getResultStream()
                .map(AuditLogEntity::view)
                .toList());
    }

    private static UUID parse(String before) {
        if (before == null) {
            return new UUID(-1L, -1L);
        }
        try {
            return UUID.fromString(before);
        } catch (IllegalArgumentException e) {
            throw KizunaException.invalid("The cursor is not one this API gave out.");
        }
    }

    private static String truncate(String detail) {
        return detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000);
    }
}
