package io.kizuna.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.kizuna.error.KizunaException;

/** An amount of points moved by one transfer: a whole, positive number with a sane upper bound. */
public record Points(@JsonValue long value) {
    /** No single movement is larger than this; anything above is a typo or an attack, not a purchase. */
    public static final long MAX = 1_000_000_000L;

    @JsonCreator
    public Points {
        if (value <= 0 || value > MAX) {
            throw KizunaException.invalid("Points must be a whole number from 1 to " + MAX + ", not " + value + ".");
        }
    }

    public static Points of(long value) {
        return new Points(value);
    }
}
