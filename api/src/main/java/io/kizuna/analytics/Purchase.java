package io.kizuna.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** One purchase as the lifetime-value models see it: who bought, on which day, for how much. */
public record Purchase(String customerId, LocalDate date, BigDecimal amount) {
    public Purchase {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(amount, "amount");
    }
}
