package io.kizuna.ledger;

import java.time.Duration;
import java.time.ZoneId;

import io.helidon.config.Config;

/**
 * The program's ledger rules.
 *
 * @param expiryMonths   a lot expires at the end of the month this many months after it was earned
 * @param zone           the program's time zone: where "end of the month" is
 * @param expiryInterval how often the background job expires lots and times out pending transfers
 */
public record LedgerConfig(int expiryMonths, ZoneId zone, Duration expiryInterval) {
    public LedgerConfig {
        if (expiryMonths < 1 || expiryMonths > 120) {
            throw new IllegalArgumentException("kizuna.ledger.expiry-months must be 1 to 120, not " + expiryMonths);
        }
    }

    public static LedgerConfig from(Config ledger) {
        return new LedgerConfig(
                ledger.get("expiry-months").asInt().orElse(12),
                ZoneId.of(ledger.get("zone").asString().orElse("Asia/Tokyo")),
                ledger.get("expiry-interval").as(Duration.class).orElse(Duration.ofMinutes(10)));
    }

    public static LedgerConfig defaults() {
        return new LedgerConfig(12, ZoneId.of("Asia/Tokyo"), Duration.ofMinutes(10));
    }
}
