package io.kizuna.error;

/**
 * The one exception Kizuna's logic throws on purpose. Its {@link ErrorCode} decides the HTTP status and the
 * problem type; its message is the detail shown to the caller, so it never holds personal data, SQL or internals.
 */
public final class KizunaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public KizunaException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static KizunaException invalid(String detail) {
        return new KizunaException(ErrorCode.INVALID_REQUEST, detail);
    }
}
