package io.kizuna.db;

/** The database could not be reached or prepared; the message is one sentence meant for an operator. */
public final class DatabaseUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
