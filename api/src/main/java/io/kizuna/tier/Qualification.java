package io.kizuna.tier;

/** Sums of a member's monthly rows (one month's, or a window's). */
record Qualification(long eligibleSpend, long points, long tierPoints, long visits) {
    static final Qualification NONE = new Qualification(0, 0, 0, 0);

    /** The points a tier multiplier multiplies: what the till gave apart from the tier rule. */
    long basePoints() {
        return points - tierPoints;
    }
}
