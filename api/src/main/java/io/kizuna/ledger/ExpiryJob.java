package io.kizuna.ledger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kizuna.persistence.JobLeases;

/** Runs the ledger's expiry on a schedule, on whichever node holds the lease. */
public final class ExpiryJob implements AutoCloseable {
    static final String LEASE = "ledger-expiry";
    private static final System.Logger LOG = System.getLogger(ExpiryJob.class.getName());

    private final PointsService points;
    private final JobLeases leases;
    private final Duration interval;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kizuna-expiry").daemon().factory());

    public ExpiryJob(PointsService points, JobLeases leases, Duration interval) {
        this.points = points;
        this.leases = leases;
        this.interval = interval;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::runIfLeased, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void runIfLeased() {
        try {
            if (!leases.claim(LEASE, interval.multipliedBy(3))) {
                return;
            }
            try {
                ExpiryRun run = points.runExpiry();
                LOG.log(System.Logger.Level.INFO, "Expiry run: {0}", run);
            } finally {
                leases.release(LEASE);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Expiry run failed; it will be retried: " + e.getClass().getName());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
