package io.kizuna.till;

import io.kizuna.pos.PosProtocol.RuleResult;

/**
 * One step of the earning pipeline. Each rule has a stable id, so that the till and the app can show which rule
 * gave what; tier multipliers and campaign rules join the pipeline as further rules.
 */
interface EarningRule {
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
            return "base";
        }

        @Override
        public long points(Purchase purchase, long pointsSoFar) {
            return purchase.eligibleSpend() / yenPerPoint;
        }
    }
}
