package io.kizuna.till;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import io.helidon.config.Config;

/**
 * How purchases earn.
 *
 * @param yenPerPoint        base rate: one point per this much eligible spend, rounded down per receipt
 * @param excludedCategories categories that never earn (gift cards, tobacco, stamps...)
 * @param returnWindow       earned points stay pending this long before they can be spent; zero posts at once
 * @param holdTimeout        a redemption hold nobody captures or releases gives its points back after this
 */
public record EarningConfig(long yenPerPoint, Set<String> excludedCategories, Duration returnWindow,
                            Duration holdTimeout) {
    public EarningConfig {
        if (yenPerPoint < 1) {
            throw new IllegalArgumentException("kizuna.earning.yen-per-point must be at least 1");
        }
        if (returnWindow.isNegative() || holdTimeout.isNegative() || holdTimeout.isZero()) {
            throw new IllegalArgumentException("kizuna.earning windows must not be negative");
        }
        excludedCategories = Set.copyOf(excludedCategories);
    }

    public static EarningConfig from(Config earning) {
        return new EarningConfig(
                earning.get("yen-per-point").asLong().orElse(100L),
                earning.get("excluded-categories").asList(String.class)
                        .orElse(java.util.List.of("GIFT_CARD", "TOBACCO", "STAMPS"))
                        .stream().collect(Collectors.toSet()),
                earning.get("return-window").as(Duration.class).orElse(Duration.ZERO),
                earning.get("hold-timeout").as(Duration.class).orElse(Duration.ofMinutes(15)));
    }
}
