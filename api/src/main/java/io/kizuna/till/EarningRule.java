package io.kizuna.till;

import io.kizuna.pos.PosProtocol.RuleResult;
import io.kizuna.tier.TierDefinition;

/**
 * One step of the earning pipeline. Each rule has a stable id, so that the till and the app can show which rule
 * gave what; tier multipliers and campaign rules join the pipeline as further rules.
 */
interface EarningRule {
    /** Rule ids of tier multipliers start with this: {@code tier:GOLD}. */
    String TIER_PREFIX = "tier:";
    /** The program's base rate's rule id. */
    String BASE = "base";

    String id();

    /** The points this rule adds for a purchase, given what the rules before it gave. */
    long points(Purchase purchase, long pointsSoFar);

    default RuleResult apply(Purchase purchase, long pointsSoFar) {
        return new RuleResult(id(), points(purchase, pointsSoFar));
    }

    /** What the rules look at: the spend that may earn, after exclusions and points paid. */
    record Purchase(long eligibleSpend) {
    }

    /** The program's base rate: one point per {@code yenPerPoint} of eligible spend, rounded down. */
    record BaseRate(long yenPerPoint) implements EarningRule {
        @Override
        public String id() {
            return BASE;
        }

        @Override
        public long points(Purchase purchase, long pointsSoFar) {
            return purchase.eligibleSpend() / yenPerPoint;
        }
    }

    /** A tier's multiplier: the extra points on top of what the rules before it gave (10 at ×1.5 adds 5). */
    record TierMultiplier(TierDefinition tier) implements EarningRule {
        @Override
        public String id() {
            return tier.ruleId();
        }

        @Override
        public long points(Purchase purchase, long pointsSoFar) {
            return tier.extraPoints(pointsSoFar);
        }
    }
}
