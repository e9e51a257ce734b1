package io.kizuna.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Jdbc;
import io.kizuna.persistence.JobLeases;

/**
 * Background recomputes of the heavy reports, one at a time across every node. Starting one locks the
 * "analytics-recompute" lease row: while a run holds the lease (it renews it with every progress step) a request
 * gets that run back instead of a new one; a run whose node stopped renewing is marked failed and a new one starts.
 * The run itself happens on this node's background thread; its stage and percent are in analytics_recompute, so
 * any node can answer how far it is.
 */
public final class Recomputes {
    private static final System.Logger LOG = System.getLogger(Recomputes.class.getName());
    static final String LEASE = "analytics-recompute";

    /** One run as the API shows it. */
    public record Run(UUID id, String status, String stage, int percent, Instant startedAt, Instant finishedAt,
                      String error) {
    }

    private final DataSource dataSource;
    private final Recompute recompute;
    private final JobLeases leases;
    private final String node;
    private final Clock clock;
    private final Duration lease;
    private volatile Executor executor;

    public Recomputes(DataSource dataSource, Recompute recompute, JobLeases leases, String node, Clock clock,
                      Duration lease) {
        this.dataSource = dataSource;
        this.recompute = recompute;
        this.leases = leases;
        this.node = node;
        this.clock = clock;
        this.lease = lease;
        this.executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("kizuna-analytics-recompute").daemon().factory());
    }

    /** Tests hold a run back by giving it an executor they drive. */
    void runOn(Executor testExecutor) {
        this.executor = testExecutor;
    }

    /** Starts a recompute, or answers the one already running on any node. */
    public Run start() {
        return start(null);
    }

    /**
     * The scheduled start: like {@link #start()}, but nothing new starts when a run began within
     * {@code interval / 2} (another node's schedule got there first). Answers what it did, for the log.
     */
    public String startIfDue(Duration interval) {
        Run run = start(interval.dividedBy(2));
        return "analytics recompute " + run.id() + " " + run.status();
    }

    private Run start(Duration skipIfStartedWithin) {
        Started started = Jdbc.inTransaction(dataSource, connection -> claim(connection, skipIfStartedWithin));
        if (started.isNew()) {
            executor.execute(() -> execute(started.run().id()));
        }
        return started.run();
    }

    private record Started(Run run, boolean isNew) {
    }

    private Started claim(Connection connection, Duration skipIfStartedWithin) throws SQLException {
        LocalDateTime now = Freshness.utc(clock.instant());
        LocalDateTime leaseUntil;
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT lease_until FROM job_lease WHERE name = ? FOR UPDATE")) {
            lock.setString(1, LEASE);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("The job_lease row " + LEASE + " is missing");
                }
                leaseUntil = row.getObject(1, LocalDateTime.class);
            }
        }
        Optional<Run> latest = latest(connection);
        if (latest.isPresent() && latest.get().status().equals("running")) {
            if (leaseUntil.isAfter(now)) {
                return new Started(latest.get(), false);
            }
            finish(connection, latest.get().id(), "failed", "abandoned: its node stopped renewing the lease");
        }
        if (skipIfStartedWithin != null && latest.isPresent()
                && latest.get().startedAt().isAfter(clock.instant().minus(skipIfStartedWithin))) {
            return new Started(find(connection, latest.get().id()).orElseThrow(), false);
        }
        UUID id = Ids.next();
        try (PreparedStatement take = connection.prepareStatement(
                "UPDATE job_lease SET owner = ?, lease_until = ? WHERE name = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO analytics_recompute (id, status,"
                     + " stage, percent, node, started_at) VALUES (?, 'running', 'queued', 0, ?, ?)")) {
            take.setString(1, node);
            take.setObject(2, now.plus(lease));
            take.setString(3, LEASE);
            take.executeUpdate();
            insert.setBytes(1, UuidConverter.toBytes(id));
            insert.setString(2, node);
            insert.setObject(3, now);
            insert.executeUpdate();
        }
        return new Started(find(connection, id).orElseThrow(), true);
    }

    private void execute(UUID id) {
        try {
            Recompute.Summary summary = recompute.run(id, (stage, percent) -> progress(id, stage, percent));
            Jdbc.inTransaction(dataSource, connection -> finish(connection, id, "done", null));
            LOG.log(System.Logger.Level.INFO, "analytics recompute {0} done: {1}", id, summary);
        } catch (RuntimeException e) {
            // The message is ours or the database's, never a member's data.
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            Jdbc.inTransaction(dataSource, connection -> finish(connection, id, "failed",
                    error.substring(0, Math.min(error.length(), 500))));
            LOG.log(System.Logger.Level.WARNING, "analytics recompute " + id + " failed: " + error);
        } finally {
            leases.release(LEASE);
        }
    }

    /** Records the stage and percent, and renews the lease: a run that lost it stops rather than run twice. */
    private void progress(UUID id, String stage, int percent) {
        if (!leases.claim(LEASE, lease)) {
            throw new IllegalStateException("the recompute lease was taken over by another node");
        }
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE analytics_recompute SET stage = ?, percent = ? WHERE id = ?")) {
                update.setString(1, stage);
                update.setInt(2, percent);
                update.setBytes(3, UuidConverter.toBytes(id));
                return update.executeUpdate();
            }
        });
    }

    private int finish(Connection connection, UUID id, String status, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE analytics_recompute SET status = ?,"
                + " stage = CASE WHEN ? = 'done' THEN 'done' ELSE stage END,"
                + " percent = CASE WHEN ? = 'done' THEN 100 ELSE percent END, finished_at = ?, error = ?"
                + " WHERE id = ?")) {
            update.setString(1, status);
            update.setString(2, status);
            update.setString(3, status);
            update.setObject(4, Freshness.utc(clock.instant()));
            update.setString(5, error);
            update.setBytes(6, UuidConverter.toBytes(id));
            return update.executeUpdate();
        }
    }

    public Optional<Run> find(UUID id) {
        return Jdbc.inTransaction(dataSource, connection -> find(connection, id));
    }

    private static Optional<Run> find(Connection connection, UUID id) throws SQLException {
        return select(connection, "WHERE id = ?", UuidConverter.toBytes(id));
    }

    private static Optional<Run> latest(Connection connection) throws SQLException {
        return select(connection, "ORDER BY started_at DESC, id DESC LIMIT 1");
    }

    private static Optional<Run> select(Connection connection, String where, Object... parameters)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, status, stage, percent, started_at,"
                + " finished_at, error FROM analytics_recompute " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Run(UuidConverter.fromBytes(row.getBytes(1)), row.getString(2),
                        row.getString(3), row.getInt(4), Freshness.instant(row.getObject(5, LocalDateTime.class)),
                        Freshness.instant(row.getObject(6, LocalDateTime.class)), row.getString(7)));
            }
        }
    }
}
