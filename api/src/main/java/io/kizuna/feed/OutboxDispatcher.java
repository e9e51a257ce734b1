package io.kizuna.feed;

import javax.sql.DataSource;

/**
 * The feed's background work, run by the holder of the "outbox-dispatch" lease: positions the events committed
 * since the last run, then brings the projections up to date. Events are written whether or not it runs; it
 * catches up on whatever waited.
 */
public final class OutboxDispatcher {
    private final Sequencer sequencer;
    private final Projections projections;

    public OutboxDispatcher(DataSource dataSource, Projections projections) {
        this.sequencer = new Sequencer(dataSource);
        this.projections = projections;
    }

    /** What one run did: no personal data, it is logged. */
    public record Summary(long positioned, long projected) {
    }

    public Summary run() {
        long positioned = sequencer.run();
        long projected = projections.catchUp();
        return new Summary(positioned, projected);
    }
}
