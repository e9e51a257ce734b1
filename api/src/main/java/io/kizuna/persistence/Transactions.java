package io.kizuna.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

/**
 * Runs a unit of work in one database transaction; work that marks it rollback-only answers without writing.
 * A deadlock, a lock wait timeout or a duplicate key (two requests racing for one idempotency key) rolls the
 * whole unit back and runs it again, so the loser sees the winner's committed result.
 */
public final class Transactions {
    private static final int ATTEMPTS = 5;
    private static final int MYSQL_DUPLICATE_KEY = 1062;
    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;
    private static final int MYSQL_DEADLOCK = 1213;

    private final EntityManagerFactory entityManagerFactory;

    public Transactions(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
    }

    public <T> T inTransaction(Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (KizunaException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isRetryable(e)) {
                    throw translate(e);
                }
            }
        }
    }

    private <T> T once(Function<EntityManager, T> work) {
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        EntityTransaction transaction = entityManager.getTransaction();
        try {
            transaction.begin();
            T result = work.apply(entityManager);
            if (transaction.getRollbackOnly()) {
                transaction.rollback(); // the work answered without changing anything
            } else {
                transaction.commit();
            }
            return result;
        } finally {
            if (transaction.isActive()) {
                transaction.rollback();
            }
            entityManager.close();
        }
    }

    private static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                int error = sql.getErrorCode();
                return error == MYSQL_DUPLICATE_KEY || error == MYSQL_DEADLOCK || error == MYSQL_LOCK_WAIT_TIMEOUT
                        || "40001".equals(sql.getSQLState());
            }
        }
        return false;
    }

    private static RuntimeException translate(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return new KizunaException(ErrorCode.DATABASE_UNAVAILABLE, "The database did not answer.");
            }
        }
        return failure;
    }
}
