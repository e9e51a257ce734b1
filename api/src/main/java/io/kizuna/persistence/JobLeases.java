package io.kizuna.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Background jobs claimed through a database lease: a node runs a job only while it holds the job's row, so
 * several nodes on one database never run the same job at the same time.
 */
public final class JobLeases {
    private final Transactions transactions;
    private final Clock clock;
    private final String owner;

    public JobLeases(Transactions transactions, Clock clock, String owner) {
        this.transactions = transactions;
        this.clock = clock;
        this.owner = owner;
    }

    /** Takes the lease on {@code job} for {@code duration} if nobody else holds it; true when taken. */
    public boolean claim(String job, Duration duration) {
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int claimed = transactions.inTransaction(em -> em.createNativeQuery(
                        "UPDATE job_lease SET owner = ?, lease_until = ?"
                                + " WHERE name = ? AND (lease_until < ? OR owner = ?)")
                .setParameter(1, owner)
                .setParameter(2, now.plus(duration))
                .setParameter(3, job)
                .setParameter(4, now)
                .setParameter(5, owner)
                .executeUpdate());
        return claimed == 1;
    }

    public void release(String job) {
        transactions.inTransaction(em -> em.createNativeQuery(
                        "UPDATE job_lease SET lease_until = ? WHERE name = ? AND owner = ?")
                .setParameter(1, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .setParameter(2, job)
                .setParameter(3, owner)
                .executeUpdate());
    }
}
