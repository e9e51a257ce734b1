package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import io.kizuna.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The synthetic orders of the R package rfm (rfm_data_orders: 4,906 orders of 995 customers, 2001-10-29 to
 * 2006-12-30), read in place from the shared conformance data, scored as of 2006-12-31, the day after the last order
 * and the analysis date of the package's examples. The scores are checked against what the rank rule of {@link Rfm}
 * implies for this data, worked out here from the raw values, and three customers against their raw rows.
 */
class RfmConformanceTest {
    private static final LocalDate ANALYSIS_DATE = LocalDate.of(2006, 12, 31);

    private static List<String[]> rows;
    private static List<Rfm> scored;

    /** One way to read a customer's scores: the value (larger is better) and the score given for it. */
    private record Metric(String name, Function<Rfm, BigDecimal> betterIsLarger, ToIntFunction<Rfm> score) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("recency", rfm -> BigDecimal.valueOf(-rfm.recencyDays()), Rfm::recencyScore),
            new Metric("frequency", rfm -> BigDecimal.valueOf(rfm.frequency()), Rfm::frequencyScore),
            new Metric("monetary", Rfm::monetary, Rfm::monetaryScore));

    @BeforeAll
    static void scoreTheOrders() throws IOException {
        List<String> lines = Files.readAllLines(SharedData.folder("analytics").resolve("rfm_data_orders.csv"));
        assertEquals("customer_id,order_date,revenue", lines.getFirst());
        rows = new ArrayList<>();
        List<Purchase> purchases = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split(",");
            assertEquals(3, columns.length, line);
            rows.add(columns);
            purchases.add(new Purchase(columns[0], LocalDate.parse(columns[1]), new BigDecimal(columns[2])));
        }
        scored = Rfm.of(purchases, ANALYSIS_DATE);
    }

    @Test
    void everyCustomerAndEveryOrderIsCounted() {
        assertEquals(4906, rows.size(), "orders in the file");
        assertEquals(995, scored.size(), "customers");
        assertEquals(rows.size(), scored.stream().mapToInt(Rfm::frequency).sum(),
                "every order counts, the 11 pairs of same-day orders included");
        BigDecimal revenue = rows.stream().map(row -> new BigDecimal(row[2])).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, revenue.compareTo(scored.stream().map(Rfm::monetary).reduce(BigDecimal.ZERO, BigDecimal::add)));
    }

    /**
     * Sorted worst first, the customers scoring s or less must be the smallest tie-closed prefix holding at least
     * s/5 of them, so each score holds n/5 customers give or take less than the longest run of ties.
     */
    @Test
    void eachScoreHoldsTheFifthOfCustomersTheRankRuleImplies() {
        int customers = scored.size();
        for (Metric metric : METRICS) {
            List<BigDecimal> worstFirst = scored.stream().map(metric.betterIsLarger()).sorted().toList();
            int longestTie = longestRunOfTies(worstFirst);
            int[] sizes = new int[6];
            scored.forEach(rfm -> sizes[metric.score().applyAsInt(rfm)]++);
            System.out.printf("rfm_data_orders %s: customers per score 1..5 = %d %d %d %d %d, longest tie %d%n",
                    metric.name(), sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], longestTie);
            int atOrBelow = 0;
            for (int score = 1; score <= 5; score++) {
                atOrBelow += sizes[score];
                assertEquals(smallestTieClosedPrefix(worstFirst, score), atOrBelow,
                        metric.name() + ": customers scoring " + score + " or less");
                assertTrue(Math.abs(5 * sizes[score] - customers) < 5 * longestTie,
                        metric.name() + " score " + score + " holds " + sizes[score] + " of " + customers);
            }
        }
    }

    @Test
    void scoresRiseWithTheValueAndEqualValuesScoreEqually() {
        for (Metric metric : METRICS) {
            List<Rfm> worstFirst = scored.stream().sorted(Comparator.comparing(metric.betterIsLarger())).toList();
            for (int i = 1; i < worstFirst.size(); i++) {
                Rfm worse = worstFirst.get(i - 1);
                Rfm better = worstFirst.get(i);
                int comparison = metric.betterIsLarger().apply(worse).compareTo(metric.betterIsLarger().apply(better));
                int worseScore = metric.score().applyAsInt(worse);
                int betterScore = metric.score().applyAsInt(better);
                String pair = metric.name() + ": " + worse + " then " + better;
                if (comparison == 0) {
                    assertEquals(worseScore, betterScore, pair);
                } else {
                    assertTrue(worseScore <= betterScore, pair);
                }
            }
            assertEquals(1, metric.score().applyAsInt(worstFirst.getFirst()), metric.name() + " worst");
            assertEquals(5, metric.score().applyAsInt(worstFirst.getLast()), metric.name() + " best");
        }
    }

    /** Rakeem Harvey ordered twice on 2004-07-16 (172 and 19): ten orders on nine days. */
    @Test
    void threeCustomersMatchTheirRawRows() {
        Map<String, Rfm> byCustomer = scored.stream().collect(Collectors.toMap(Rfm::customerId, rfm -> rfm));
        for (String customerId : List.of("Rakeem Harvey", "Brion Stark", "Hosteen Jacobi")) {
            List<String[]> own = rows.stream().filter(row -> row[0].equals(customerId)).toList();
            LocalDate last = own.stream().map(row -> LocalDate.parse(row[1])).max(Comparator.naturalOrder())
                    .orElseThrow();
            BigDecimal total = own.stream().map(row -> new BigDecimal(row[2])).reduce(BigDecimal.ZERO,
                    BigDecimal::add);
            Rfm customer = byCustomer.get(customerId);
            assertEquals(ChronoUnit.DAYS.between(last, ANALYSIS_DATE), customer.recencyDays(), customerId);
            assertEquals(own.size(), customer.frequency(), customerId);
            assertEquals(0, total.compareTo(customer.monetary()), customerId + " " + customer.monetary());
        }
        Rfm rakeem = byCustomer.get("Rakeem Harvey");
        assertEquals(454, rakeem.recencyDays(), "last order 2005-10-03");
        assertEquals(10, rakeem.frequency());
        assertEquals(0, new BigDecimal(809).compareTo(rakeem.monetary()));
    }

    @Test
    void segmentCountsCoverEveryCustomer() {
        RfmSegmentCounts counts = RfmSegmentCounts.of(scored);
        counts.customersBySegment().forEach((segment, count) ->
                System.out.printf("rfm_data_orders %-18s %d%n", segment.displayName(), count));
        assertEquals(scored.size(), counts.total());
    }

    /** The length k of the shortest prefix of the sorted values with 5k >= score * n that does not split a tie. */
    private static int smallestTieClosedPrefix(List<BigDecimal> sorted, int score) {
        for (int k = 0; k <= sorted.size(); k++) {
            boolean closed = k == 0 || k == sorted.size() || sorted.get(k - 1).compareTo(sorted.get(k)) != 0;
            if (closed && 5L * k >= (long) score * sorted.size()) {
                return k;
            }
        }
        throw new AssertionError("the whole list is always such a prefix");
    }

    private static int longestRunOfTies(List<BigDecimal> sorted) {
        int longest = 1;
        int run = 1;
        for (int i = 1; i < sorted.size(); i++) {
            run = sorted.get(i - 1).compareTo(sorted.get(i)) == 0 ? run + 1 : 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
