package io.kizuna.ledger;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A ledger account: a member's or a card's wallet, or one of the program's own accounts. */
public record AccountId(@JsonValue UUID value) {
    public static final AccountId ISSUANCE = of("00000000-0000-7000-8000-000000000001");
    public static final AccountId REDEMPTION = of("00000000-0000-7000-8000-000000000002");
    public static final AccountId EXPIRY = of("00000000-0000-7000-8000-000000000003");
    public static final AccountId ADJUSTMENT = of("00000000-0000-7000-8000-000000000004");

    @JsonCreator
    public AccountId {
        java.util.Objects.requireNonNull(value, "account id");
    }

    private static AccountId of(String uuid) {
        return new AccountId(UUID.fromString(uuid));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
