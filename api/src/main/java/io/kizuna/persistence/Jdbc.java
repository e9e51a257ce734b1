package io.kizuna.persistence;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Plain JDBC for the background work that moves rows in bulk (the feed's dispatcher, the projections, the
 * reports): one transaction per unit of work, committed when it returns, rolled back when it throws.
 */
public final class Jdbc {
    private Jdbc() {
    }

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("A background database operation failed (SQL state " + e.getSQLState()
                    + ", error " + e.getErrorCode() + ")", e);
        }
    }
}
