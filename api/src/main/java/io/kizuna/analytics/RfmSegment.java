package io.kizuna.analytics;

import java.util.List;

/**
 * The 11 named RFM segments, declared in the order the domain lists them. {@link #of} names the segment of a
 * recency, frequency and monetary score triple (each 1 to 5) by the first matching row of this table:
 *
 * <table>
 *   <caption>Segment priority: the first row whose three ranges hold the scores wins</caption>
 *   <tr><th>#</th><th>Segment</th><th>R</th><th>F</th><th>M</th></tr>
 *   <tr><td>1</td><td>Champions</td><td>4–5</td><td>4–5</td><td>4–5</td></tr>
 *   <tr><td>2</td><td>Loyal Customers</td><td>2–5</td><td>3–5</td><td>3–5</td></tr>
 *   <tr><td>3</td><td>New Customers</td><td>4–5</td><td>1</td><td>1</td></tr>
 *   <tr><td>4</td><td>Promising</td><td>3–4</td><td>1</td><td>1</td></tr>
 *   <tr><td>5</td><td>Potential Loyalist</td><td>3–5</td><td>1–3</td><td>1–3</td></tr>
 *   <tr><td>6</td><td>Need Attention</td><td>2–3</td><td>2–3</td><td>2–3</td></tr>
 *   <tr><td>7</td><td>About To Sleep</td><td>2–3</td><td>1–2</td><td>1–2</td></tr>
 *   <tr><td>8</td><td>Lost</td><td>1</td><td>1</td><td>1</td></tr>
 *   <tr><td>9</td><td>Hibernating</td><td>1–2</td><td>1–2</td><td>1–2</td></tr>
 *   <tr><td>10</td><td>Can't Lose Them</td><td>1</td><td>4–5</td><td>4–5</td></tr>
 *   <tr><td>11</td><td>At Risk</td><td>1–2</td><td>2–5</td><td>2–5</td></tr>
 *   <tr><td>12</td><td>Potential Loyalist</td><td>3–5</td><td>1–5</td><td>1–5</td></tr>
 *   <tr><td>13</td><td>At Risk</td><td>1–2</td><td>1–5</td><td>1–5</td></tr>
 * </table>
 *
 * <p>The ranges are those of the R package rfm's segment vignette, and first-match-wins is how its
 * {@code rfm_segment} applies them. Taken in the vignette's order, four segments could never match (New Customers
 * and Promising lie inside Potential Loyalist, Can't Lose Them inside At Risk, and Lost has the same ranges as
 * Hibernating), so here each narrower segment comes before the wider one it lies in, and Lost is narrowed to the
 * lowest scores, 1/1/1, as the vignette describes it. The vignette leaves 36 of the 125 triples unmatched
 * ("Others"), all of them with one of F and M at 1 or 2 and the other at 3 or more; rows 12 and 13 place them by
 * recency alone, so every triple gets one of the 11 names and every name is reachable.
 */
public enum RfmSegment {
    CHAMPIONS("Champions"),
    LOYAL_CUSTOMERS("Loyal Customers"),
    POTENTIAL_LOYALIST("Potential Loyalist"),
    NEW_CUSTOMERS("New Customers"),
    PROMISING("Promising"),
    NEED_ATTENTION("Need Attention"),
    ABOUT_TO_SLEEP("About To Sleep"),
    AT_RISK("At Risk"),
    CANT_LOSE_THEM("Can't Lose Them"),
    HIBERNATING("Hibernating"),
    LOST("Lost");

    /** The table of the class comment, in priority order. */
    private static final List<Rule> PRIORITY = List.of(
            new Rule(CHAMPIONS, 4, 5, 4, 5, 4, 5),
            new Rule(LOYAL_CUSTOMERS, 2, 5, 3, 5, 3, 5),
            new Rule(NEW_CUSTOMERS, 4, 5, 1, 1, 1, 1),
            new Rule(PROMISING, 3, 4, 1, 1, 1, 1),
            new Rule(POTENTIAL_LOYALIST, 3, 5, 1, 3, 1, 3),
            new Rule(NEED_ATTENTION, 2, 3, 2, 3, 2, 3),
            new Rule(ABOUT_TO_SLEEP, 2, 3, 1, 2, 1, 2),
            new Rule(LOST, 1, 1, 1, 1, 1, 1),
            new Rule(HIBERNATING, 1, 2, 1, 2, 1, 2),
            new Rule(CANT_LOSE_THEM, 1, 1, 4, 5, 4, 5),
            new Rule(AT_RISK, 1, 2, 2, 5, 2, 5),
            new Rule(POTENTIAL_LOYALIST, 3, 5, 1, 5, 1, 5),
            new Rule(AT_RISK, 1, 2, 1, 5, 1, 5));

    private final String displayName;

    RfmSegment(String displayName) {
        this.displayName = displayName;
    }

    /** The name marketers know the segment by, such as "Can't Lose Them". */
    public String displayName() {
        return displayName;
    }

    /**
     * The segment of these scores by the first matching row of the priority table.
     *
     * @throws IllegalArgumentException when a score is outside 1 to 5
     */
    public static RfmSegment of(int recencyScore, int frequencyScore, int monetaryScore) {
        for (int score : new int[] {recencyScore, frequencyScore, monetaryScore}) {
            if (score < 1 || score > 5) {
                throw new IllegalArgumentException("an RFM score is 1 to 5: " + recencyScore + "/" + frequencyScore
                        + "/" + monetaryScore);
            }
        }
        for (Rule rule : PRIORITY) {
            if (rule.matches(recencyScore, frequencyScore, monetaryScore)) {
                return rule.segment();
            }
        }
        throw new IllegalStateException("the last rows of the priority table match every score");
    }

    /** One row of the priority table: inclusive score ranges. */
    private record Rule(RfmSegment segment, int recencyLow, int recencyHigh, int frequencyLow, int frequencyHigh,
                        int monetaryLow, int monetaryHigh) {
        boolean matches(int recency, int frequency, int monetary) {
            return recencyLow <= recency && recency <= recencyHigh
                    && frequencyLow <= frequency && frequency <= frequencyHigh
                    && monetaryLow <= monetary && monetary <= monetaryHigh;
        }
    }
}
