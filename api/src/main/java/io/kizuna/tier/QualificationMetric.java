package io.kizuna.tier;

/** What a member qualifies for a tier with, summed over the window's months. */
public enum QualificationMetric {
    /** Eligible spend in yen: after excluded categories and points paid, less what was returned. */
    SPEND,
    /** Points earned at the till, less what returns took back. */
    POINTS,
    /** Sales with the member's card; a void takes its visit back. */
    VISITS;

    long of(Qualification qualification) {
        return switch (this) {
            case SPEND -> qualification.eligibleSpend();
            case POINTS -> qualification.points();
            case VISITS -> qualification.visits();
        };
    }
}
