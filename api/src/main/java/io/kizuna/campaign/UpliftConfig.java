package io.kizuna.campaign;

import java.math.BigDecimal;
import java.time.Duration;

import io.helidon.config.Config;

/**
 * The uplift report's settings ({@code kizuna.campaigns}).
 *
 * @param followUpDays    days after the window that the report also compares, unless a request asks for others
 * @param yenPerPointCost what one issued point costs the program, in yen, for the points' cost
 */
public record UpliftConfig(int followUpDays, BigDecimal yenPerPointCost) {
    /** The longest follow-up a report reads: a year after the window. */
    public static final int MAX_FOLLOW_UP_DAYS = 366;

    public UpliftConfig {
        if (followUpDays < 0 || followUpDays > MAX_FOLLOW_UP_DAYS) {
            throw new IllegalArgumentException("kizuna.campaigns.follow-up must be 0 to " + MAX_FOLLOW_UP_DAYS
                    + " whole days");
        }
        if (yenPerPointCost.signum() < 0) {
            throw new IllegalArgumentException("kizuna.campaigns.yen-per-point-cost must not be negative");
        }
    }

    public static UpliftConfig from(Config campaigns) {
        Duration followUp = campaigns.get("follow-up").as(Duration.class).orElse(Duration.ofDays(30));
        if (followUp.toSeconds() % Duration.ofDays(1).toSeconds() != 0) {
            throw new IllegalArgumentException("kizuna.campaigns.follow-up must be whole days, like P30D");
        }
        return new UpliftConfig((int) Math.min(Integer.MAX_VALUE, followUp.toDays()),
                campaigns.get("yen-per-point-cost").asString().map(BigDecimal::new).orElse(BigDecimal.ONE));
    }
}
