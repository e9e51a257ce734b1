package io.kizuna.web;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/** The caller's name for one command; the same key always means the same command. */
public record IdempotencyKey(String value) {
    private static final int MAX_LENGTH = 200;

    public IdempotencyKey {
        if (value == null || value.isBlank()) {
            throw new KizunaException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, "An Idempotency-Key is required.");
        }
        if (value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw KizunaException.invalid("An Idempotency-Key is 1 to 200 printable ASCII characters.");
        }
    }

    /** The key as stored: scoped by the channel that issued it, so that channels cannot collide. */
    public String scoped(String channel) {
        return channel + ":" + value;
    }
}
