package io.kizuna.tier;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.helidon.config.Config;

/**
 * How tiers work ({@code kizuna.tiers}).
 *
 * @param metric               what members qualify with
 * @param windowMonths         the window: the current calendar month and the months before it, this many in all
 * @param reviewIntervalMonths a review runs on the first day of every this many months (program zone)
 * @param reviewCheck          how often the leased job looks whether a review is due
 * @param gracePeriod          a member below their tier's threshold keeps it this long before a review moves them
 * @param closeToUpgrade       "close to upgrade": the missing qualification is at most this share of the next
 *                             tier's threshold
 * @param defaults             the tiers in force until a marketer saves a list through the API
 * @param definitionsCache     how long a node uses the tier list it read before it reads it again (a change is
 *                             seen at once on the node that made it, within this time on the others)
 */
public record TierConfig(QualificationMetric metric, int windowMonths, int reviewIntervalMonths, Duration reviewCheck,
                         Period gracePeriod, BigDecimal closeToUpgrade, TierLadder defaults,
                         Duration definitionsCache) {
    public TierConfig {
        if (windowMonths < 1 || windowMonths > 36) {
            throw new IllegalArgumentException("kizuna.tiers.window-months must be 1 to 36");
        }
        if (reviewIntervalMonths < 1 || reviewIntervalMonths > 12) {
            throw new IllegalArgumentException("kizuna.tiers.review-interval-months must be 1 to 12");
        }
        if (gracePeriod.isNegative() || reviewCheck.isNegative() || reviewCheck.isZero()) {
            throw new IllegalArgumentException("kizuna.tiers periods must not be negative");
        }
    }

    public static TierConfig from(Config tiers) {
        List<TierDefinition> defaults = new ArrayList<>();
        for (Config tier : tiers.get("defaults").asNodeList().orElse(List.of())) {
            defaults.add(new TierDefinition(tier.get("code").asString().get(), tier.get("name").asString().get(),
                    tier.get("rank").asInt().get(), tier.get("threshold").asLong().get(),
                    new BigDecimal(tier.get("multiplier").asString().orElse("1")),
                    tier.get("benefits").asList(String.class).orElse(List.of())));
        }
        if (defaults.isEmpty()) {
            defaults.add(new TierDefinition("REGULAR", "Regular", 1, 0, BigDecimal.ONE, List.of()));
        }
        return new TierConfig(
                QualificationMetric.valueOf(tiers.get("metric").asString().orElse("SPEND").toUpperCase(Locale.ROOT)),
                tiers.get("window-months").asInt().orElse(12),
                tiers.get("review-interval-months").asInt().orElse(1),
                tiers.get("review-check").as(Duration.class).orElse(Duration.ofHours(1)),
                Period.parse(tiers.get("grace-period").asString().orElse("P1M")),
                new BigDecimal(tiers.get("close-to-upgrade").asString().orElse("0.2")),
                TierLadder.of(defaults),
                tiers.get("definitions-cache").as(Duration.class).orElse(Duration.ofSeconds(30)));
    }
}
