package io.kizuna.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.kizuna.persistence.Jdbc;

/**
 * Gives committed outbox events their feed positions, 1, 2, 3, ... with no gaps, in the order of their ids. The
 * holder of the dispatcher's lease runs it; should two nodes ever overlap (a run outlasting its lease), the
 * sequencer's cursor row, locked for each batch, makes the second wait and then carry on from the first's end.
 *
 * <p>An event that commits late (its transaction began before an event already positioned) simply gets a later
 * position: readers never see a position filled in behind them. One member's events cannot overtake each other,
 * because they are written under that member's lock, one transaction after another.
 */
final class Sequencer {
    private static final int BATCH = 2_000;
    private static final String CURSOR = "sequencer";

    private final DataSource dataSource;

    Sequencer(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Positions every committed event that has none yet; answers how many. */
    long run() {
        long positioned = 0;
        int batch;
        do {
            batch = Jdbc.inTransaction(dataSource, Sequencer::positionBatch);
            positioned += batch;
        } while (batch == BATCH);
        return positioned;
    }

    private static int positionBatch(Connection connection) throws SQLException {
        FeedCursors.lock(connection, CURSOR);
        List<byte[]> ids = new ArrayList<>(BATCH);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM outbox_event WHERE position IS NULL ORDER BY id LIMIT " + BATCH)) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getBytes(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        long last = lastPosition(connection);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_event SET position = ? WHERE id = ? AND position IS NULL")) {
            for (byte[] id : ids) {
                update.setLong(1, ++last);
                update.setBytes(2, id);
                update.addBatch();
            }
            update.executeBatch();
        }
        return ids.size();
    }

    static long lastPosition(Connection connection) throws SQLException {
        try (PreparedStatement max = connection.prepareStatement("SELECT MAX(position) FROM outbox_event");
             ResultSet row = max.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
