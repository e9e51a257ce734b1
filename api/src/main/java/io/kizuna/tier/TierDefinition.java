package io.kizuna.tier;

import java.math.BigDecimal;
import java.util.List;

/**
 * One tier of the program.
 *
 * @param code       stable identifier (upper case), also the earning rule id's suffix: {@code tier:GOLD}
 * @param rank       1 is the lowest tier; a higher rank is a better tier
 * @param threshold  the qualification (in the program's metric) from which a member is in this tier
 * @param multiplier points of the rules before it are multiplied by this: 1.5 turns 10 base points into 15
 * @param benefits   what the member gets besides the multiplier, as the app shows it
 */
public record TierDefinition(String code, String name, int rank, long threshold, BigDecimal multiplier,
                             List<String> benefits) {
    public TierDefinition {
        benefits = benefits == null ? List.of() : List.copyOf(benefits);
    }

    /** The earning rule id under which this tier's extra points are shown. */
    public String ruleId() {
        return "tier:" + code;
    }

    /** True when the tier gives extra points at all. */
    public boolean multiplies() {
        return multiplier.compareTo(BigDecimal.ONE) > 0;
    }

    /** The extra points on top of {@code points}: points × (multiplier − 1), rounded down. */
    public long extraPoints(long points) {
        if (!multiplies() || points <= 0) {
            return 0;
        }
        return BigDecimal.valueOf(points).multiply(multiplier.subtract(BigDecimal.ONE))
                .setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    }
}
