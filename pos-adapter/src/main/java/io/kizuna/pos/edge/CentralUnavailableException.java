package io.kizuna.pos.edge;

/** The central server could not be asked: not reachable, too slow, or failing. The request may be retried. */
final class CentralUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CentralUnavailableException(String message) {
        super(message, null, false, false);
    }
}
