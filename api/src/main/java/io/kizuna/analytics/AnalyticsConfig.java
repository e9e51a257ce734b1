package io.kizuna.analytics;

import java.time.Duration;
import java.util.List;

import io.helidon.config.Config;

/**
 * The reports' settings ({@code kizuna.analytics}).
 *
 * @param recomputeInterval   how often a node starts the background recompute (if none ran in half this time)
 * @param recomputeLease      how long a recompute's lease lasts without progress before another node may take over
 * @param horizonWeeks        the lifetime-value horizon: expected purchases and value over this many weeks
 * @param maxFitMembers       the lifetime-value models are fitted on at most this many members (an even sample)
 * @param minimumSupport      the lowest support cross-sell mining keeps; a request may ask for more, not less
 * @param minimumConfidence   the lowest confidence cross-sell mining keeps; a request may ask for more, not less
 * @param maxItemsetSize      the most items of a mined itemset, so a rule has at most this many items
 * @param maxRules            the strongest rules kept per basket kind
 * @param priceBandBoundaries the lowest amount of each price band after the first (which starts at 0), ascending
 */
public record AnalyticsConfig(Duration recomputeInterval, Duration recomputeLease, double horizonWeeks,
                              int maxFitMembers, double minimumSupport, double minimumConfidence, int maxItemsetSize,
                              int maxRules, List<Long> priceBandBoundaries) {
    public AnalyticsConfig {
        priceBandBoundaries = List.copyOf(priceBandBoundaries);
        for (int i = 1; i < priceBandBoundaries.size(); i++) {
            if (priceBandBoundaries.get(i) <= priceBandBoundaries.get(i - 1)) {
                throw new IllegalArgumentException("kizuna.analytics.price-bands must be ascending");
            }
        }
        if (!(minimumSupport > 0 && minimumSupport <= 1 && minimumConfidence >= 0 && minimumConfidence <= 1)) {
            throw new IllegalArgumentException("kizuna.analytics.cross-sell: support in (0, 1], confidence in [0, 1]");
        }
        if (!(horizonWeeks > 0) || maxFitMembers < 1 || maxItemsetSize < 2 || maxRules < 1) {
            throw new IllegalArgumentException("kizuna.analytics: horizon, fit members, itemset size and rules must"
                    + " be positive (itemsets of at least 2)");
        }
    }

    public static AnalyticsConfig from(Config analytics) {
        return new AnalyticsConfig(
                analytics.get("recompute-interval").as(Duration.class).orElse(Duration.ofDays(1)),
                analytics.get("recompute-lease").as(Duration.class).orElse(Duration.ofMinutes(10)),
                analytics.get("clv.horizon-weeks").asDouble().orElse(52.0),
                analytics.get("clv.max-fit-members").asInt().orElse(50_000),
                analytics.get("cross-sell.minimum-support").asDouble().orElse(0.01),
                analytics.get("cross-sell.minimum-confidence").asDouble().orElse(0.1),
                analytics.get("cross-sell.max-itemset-size").asInt().orElse(3),
                analytics.get("cross-sell.max-rules").asInt().orElse(1_000),
                analytics.get("price-bands").asList(Long.class)
                        .orElse(List.of(500L, 1_000L, 2_000L, 3_000L, 5_000L, 10_000L)));
    }
}
