package io.kizuna.persistence;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Background work on a schedule, run by whichever node holds the job's database lease, so that several nodes never
 * run it twice at once. The work answers a summary, which is logged (it must hold no personal data).
 */
public final class LeasedJob implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LeasedJob.class.getName());

    private final String name;
    private final JobLeases leases;
    private final Duration interval;
    private final Supplier<?> work;
    private final ScheduledExecutorService scheduler;

    public LeasedJob(String name, JobLeases leases, Duration interval, Supplier<?> work) {
        this.name = name;
        this.leases = leases;
        this.interval = interval;
        this.work = work;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("kizuna-" + name).daemon().factory());
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::runIfLeased, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void runIfLeased() {
        try {
            if (!leases.claim(name, interval.multipliedBy(3))) {
                return;
            }
            try {
                Object summary = work.get();
                // Jobs that run every few seconds would drown the log: their summaries are debug detail.
                LOG.log(interval.compareTo(Duration.ofMinutes(1)) < 0 ? System.Logger.Level.DEBUG
                        : System.Logger.Level.INFO, "{0}: {1}", name, summary);
            } finally {
                leases.release(name);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name + " failed; it will be retried: " + e.getClass().getName());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
