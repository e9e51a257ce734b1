package io.kizuna.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A customer's recency, frequency and monetary value as of an analysis date, and their scores 1 to 5 among the
 * customers scored with them.
 *
 * <p>Values, from the customer's purchases on or before the analysis date (later ones are ignored):
 * <ul>
 *   <li>recency: whole days from the last purchase to the analysis date (0 when it was on that day);</li>
 *   <li>frequency: the number of purchases. Every {@link Purchase} is one order: two orders on the same day count as
 *       two, as the R package rfm counts transactions ({@code rfm_table_order}). {@link CustomerSummary} merges
 *       same-day purchases instead, because the BG/NBD model counts purchase days;</li>
 *   <li>monetary: the sum of the amounts.</li>
 * </ul>
 *
 * <p>Scores, by rank among the n customers scored together: a customer's score is
 * {@code 1 + floor(5 * w / n)}, where w is the number of customers whose value is strictly worse. Worse means a
 * longer recency, a lower frequency, a lower monetary value (compared by {@link BigDecimal#compareTo}, so 10.0 and
 * 10.00 are equal). So a customer scores 5 when strictly better than at least 4/5 of the customers, and without
 * ties every score holds n / 5 customers rounded up or down. Customers with equal values always get the same score:
 * a run of ties takes the lowest score its ranks span, the score of the rank where it starts (if all customers are
 * equal, all score 1). Consequently the customers scoring s or less are the smallest group, closed under ties, that
 * holds at least s/5 of all customers; a score is empty when a long run of ties spans it (frequency often does).
 * The R package cuts at type-7 quantiles plus one instead, which is meant for whole numbers; this rule is the same
 * for any value and does not depend on the order of the input.
 *
 * @param customerId     whose values these are
 * @param recencyDays    days from the last purchase to the analysis date
 * @param frequency      number of purchases (orders), at least 1
 * @param monetary       total amount of the purchases
 * @param recencyScore   1 to 5, 5 for the most recent customers
 * @param frequencyScore 1 to 5, 5 for the most frequent customers
 * @param monetaryScore  1 to 5, 5 for the customers who spent the most
 */
public record Rfm(
        String customerId, long recencyDays, int frequency, BigDecimal monetary,
        int recencyScore, int frequencyScore, int monetaryScore) {
    private static final int SCORES = 5;

    public Rfm {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(monetary, "monetary");
        if (recencyDays < 0 || frequency < 1) {
            throw new IllegalArgumentException("need recency >= 0 days and frequency >= 1: " + recencyDays + ", "
                    + frequency);
        }
        requireScore(recencyScore);
        requireScore(frequencyScore);
        requireScore(monetaryScore);
    }

    /** The named segment of this customer's scores, by the priority order of {@link RfmSegment#of}. */
    public RfmSegment segment() {
        return RfmSegment.of(recencyScore, frequencyScore, monetaryScore);
    }

    /**
     * Scores every customer with a purchase on or before {@code analysisDate} against the others.
     *
     * @return one entry per such customer, in order of customer id; empty when there is none
     */
    public static List<Rfm> of(Collection<Purchase> purchases, LocalDate analysisDate) {
        Objects.requireNonNull(analysisDate, "analysisDate");
        Map<String, Values> valuesOfCustomer = new LinkedHashMap<>();
        for (Purchase purchase : purchases) {
            if (!purchase.date().isAfter(analysisDate)) {
                valuesOfCustomer.merge(purchase.customerId(), Values.of(purchase, analysisDate), Values::plus);
            }
        }
        List<Values> customers = new ArrayList<>(valuesOfCustomer.values());
        customers.sort(Comparator.comparing(Values::customerId));
        int[] recencyScores = scores(customers, Comparator.comparingLong(Values::recencyDays).reversed());
        int[] frequencyScores = scores(customers, Comparator.comparingInt(Values::frequency));
        int[] monetaryScores = scores(customers, Comparator.comparing(Values::monetary));
        List<Rfm> scored = new ArrayList<>(customers.size());
        for (int i = 0; i < customers.size(); i++) {
            Values values = customers.get(i);
            scored.add(new Rfm(values.customerId(), values.recencyDays(), values.frequency(), values.monetary(),
                    recencyScores[i], frequencyScores[i], monetaryScores[i]));
        }
        return scored;
    }

    /**
     * The score {@code 1 + floor(5 * w / n)} of every customer, w counting the customers strictly worse by
     * {@code worstFirst}.
     */
    private static int[] scores(List<Values> customers, Comparator<Values> worstFirst) {
        int count = customers.size();
        List<Integer> ranked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ranked.add(i);
        }
        ranked.sort((left, right) -> worstFirst.compare(customers.get(left), customers.get(right)));
        int[] scores = new int[count];
        int strictlyWorse = 0;
        for (int rank = 0; rank < count; rank++) {
            boolean tiedWithPrevious = rank > 0
                    && worstFirst.compare(customers.get(ranked.get(rank - 1)), customers.get(ranked.get(rank))) == 0;
            if (!tiedWithPrevious) {
                strictlyWorse = rank;
            }
            scores[ranked.get(rank)] = 1 + (int) ((long) SCORES * strictlyWorse / count);
        }
        return scores;
    }

    private static void requireScore(int score) {
        if (score < 1 || score > SCORES) {
            throw new IllegalArgumentException("an RFM score is 1 to 5: " + score);
        }
    }

    /** The unscored values of one customer while the purchases are added up. */
    private record Values(String customerId, long recencyDays, int frequency, BigDecimal monetary) {
        static Values of(Purchase purchase, LocalDate analysisDate) {
            return new Values(purchase.customerId(), ChronoUnit.DAYS.between(purchase.date(), analysisDate), 1,
                    purchase.amount());
        }

        Values plus(Values other) {
            return new Values(customerId, Math.min(recencyDays, other.recencyDays), frequency + other.frequency,
                    monetary.add(other.monetary));
        }
    }
}
