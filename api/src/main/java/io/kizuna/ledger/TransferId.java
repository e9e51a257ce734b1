package io.kizuna.ledger;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

public record TransferId(@JsonValue UUID value) {
    @JsonCreator
    public TransferId {
        Objects.requireNonNull(value, "transfer id");
    }

    /** Parses an id given by a caller; anything that is not a UUID cannot name a transfer. */
    public static TransferId parse(String text) {
        try {
            return new TransferId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.TRANSFER_NOT_FOUND, "No transfer has the id " + text + ".");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
