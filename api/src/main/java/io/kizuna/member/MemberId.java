package io.kizuna.member;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

public record MemberId(@JsonValue UUID value) {
    @JsonCreator
    public MemberId {
        Objects.requireNonNull(value, "member id");
    }

    /** Parses an id given by a caller; anything that is not a UUID cannot name a member. */
    public static MemberId parse(String text) {
        try {
            return new MemberId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KizunaException(ErrorCode.MEMBER_NOT_FOUND, "No member has the id " + text + ".");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
