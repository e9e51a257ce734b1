package io.kizuna.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Forgets idempotency records older than the retention period: the table would otherwise grow with every sale,
 * and the stored replies of staff commands can hold a member's profile. A retry older than the retention runs as a
 * new command (a till's receipt key still refuses a second sale of the same receipt). Deletes in short batches, so
 * that it never holds locks the tills wait on.
 */
public final class IdempotencyRetention {
    private static final int BATCH = 1000;

    private final Transactions transactions;
    private final Duration retention;
    private final Clock clock;

    /** What a purge removed, and the age limit it applied. */
    public record Purge(long removed, Instant olderThan) {
    }

    public IdempotencyRetention(Transactions transactions, Duration retention, Clock clock) {
        this.transactions = transactions;
        this.retention = retention;
        this.clock = clock;
    }

    public Purge purge() {
        Instant cutoff = clock.instant().minus(retention);
        LocalDateTime before = LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        long removed = 0;
        int deleted;
        do {
            deleted = transactions.inTransaction(em -> em.createNativeQuery(
                            "DELETE FROM idempotency_record WHERE created_at < ?1 LIMIT " + BATCH)
                    .setParameter(1, before)
                    .executeUpdate());
            removed += deleted;
        } while (deleted == BATCH);
        return new Purge(removed, cutoff);
    }
}
