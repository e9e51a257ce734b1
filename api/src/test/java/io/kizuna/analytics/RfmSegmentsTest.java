package io.kizuna.analytics;

import static io.kizuna.analytics.RfmSegment.ABOUT_TO_SLEEP;
import static io.kizuna.analytics.RfmSegment.AT_RISK;
import static io.kizuna.analytics.RfmSegment.CANT_LOSE_THEM;
import static io.kizuna.analytics.RfmSegment.CHAMPIONS;
import static io.kizuna.analytics.RfmSegment.HIBERNATING;
import static io.kizuna.analytics.RfmSegment.LOST;
import static io.kizuna.analytics.RfmSegment.LOYAL_CUSTOMERS;
import static io.kizuna.analytics.RfmSegment.NEED_ATTENTION;
import static io.kizuna.analytics.RfmSegment.NEW_CUSTOMERS;
import static io.kizuna.analytics.RfmSegment.POTENTIAL_LOYALIST;
import static io.kizuna.analytics.RfmSegment.PROMISING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The 11 named segments: every score triple gets one, by the documented priority table. */
class RfmSegmentsTest {
    /**
     * The segment of every (R, F, M), worked out by hand from the priority table in {@link RfmSegment}: a line
     * "R F:" lists M = 1 to 5.
     */
    private static final String EXPECTED_GRID = """
            1 1: LO HI AR AR AR
            1 2: HI HI AR AR AR
            1 3: AR AR AR AR AR
            1 4: AR AR AR CL CL
            1 5: AR AR AR CL CL
            2 1: AS AS AR AR AR
            2 2: AS NA NA AR AR
            2 3: AR NA LC LC LC
            2 4: AR AR LC LC LC
            2 5: AR AR LC LC LC
            3 1: PR PL PL PL PL
            3 2: PL PL PL PL PL
            3 3: PL PL LC LC LC
            3 4: PL PL LC LC LC
            3 5: PL PL LC LC LC
            4 1: NC PL PL PL PL
            4 2: PL PL PL PL PL
            4 3: PL PL LC LC LC
            4 4: PL PL LC CH CH
            4 5: PL PL LC CH CH
            5 1: NC PL PL PL PL
            5 2: PL PL PL PL PL
            5 3: PL PL LC LC LC
            5 4: PL PL LC CH CH
            5 5: PL PL LC CH CH
            """;
    private static final Map<String, RfmSegment> SEGMENT_OF_CODE = Map.ofEntries(
            Map.entry("CH", CHAMPIONS), Map.entry("LC", LOYAL_CUSTOMERS), Map.entry("PL", POTENTIAL_LOYALIST),
            Map.entry("NC", NEW_CUSTOMERS), Map.entry("PR", PROMISING), Map.entry("NA", NEED_ATTENTION),
            Map.entry("AS", ABOUT_TO_SLEEP), Map.entry("AR", AT_RISK), Map.entry("CL", CANT_LOSE_THEM),
            Map.entry("HI", HIBERNATING), Map.entry("LO", LOST));
    private static final LocalDate ANALYSIS_DATE = LocalDate.of(2025, 1, 31);

    @Test
    void everyOneOfThe125ScoreTriplesGetsTheSegmentOfThePriorityTable() {
        List<String> lines = EXPECTED_GRID.lines().toList();
        assertEquals(25, lines.size(), "one line per (R, F)");
        int checked = 0;
        for (String line : lines) {
            String[] scoresAndCodes = line.split(":");
            String[] recencyAndFrequency = scoresAndCodes[0].trim().split(" ");
            String[] codes = scoresAndCodes[1].trim().split(" ");
            assertEquals(5, codes.length, line);
            for (int monetary = 1; monetary <= 5; monetary++) {
                int recency = Integer.parseInt(recencyAndFrequency[0]);
                int frequency = Integer.parseInt(recencyAndFrequency[1]);
                assertEquals(SEGMENT_OF_CODE.get(codes[monetary - 1]), RfmSegment.of(recency, frequency, monetary),
                        "R=" + recency + " F=" + frequency + " M=" + monetary);
                checked++;
            }
        }
        assertEquals(125, checked);
    }

    @Test
    void everyOneOfThe11SegmentsIsReachable() {
        Set<RfmSegment> reached = EnumSet.noneOf(RfmSegment.class);
        for (int recency = 1; recency <= 5; recency++) {
            for (int frequency = 1; frequency <= 5; frequency++) {
                for (int monetary = 1; monetary <= 5; monetary++) {
                    reached.add(RfmSegment.of(recency, frequency, monetary));
                }
            }
        }
        assertEquals(EnumSet.allOf(RfmSegment.class), reached);
        assertEquals(11, RfmSegment.values().length);
    }

    @Test
    void theEarlierRowWinsWhereRowsOverlap() {
        assertEquals(CHAMPIONS, RfmSegment.of(5, 5, 5), "also in Loyal Customers");
        assertEquals(LOYAL_CUSTOMERS, RfmSegment.of(2, 4, 4), "also in At Risk");
        assertEquals(NEW_CUSTOMERS, RfmSegment.of(4, 1, 1), "also in Promising and Potential Loyalist");
        assertEquals(PROMISING, RfmSegment.of(3, 1, 1), "also in Potential Loyalist");
        assertEquals(NEED_ATTENTION, RfmSegment.of(2, 2, 2), "also in About To Sleep and Hibernating");
        assertEquals(LOST, RfmSegment.of(1, 1, 1), "also in Hibernating");
        assertEquals(HIBERNATING, RfmSegment.of(1, 2, 2), "also in At Risk");
        assertEquals(CANT_LOSE_THEM, RfmSegment.of(1, 5, 5), "also in At Risk");
    }

    @Test
    void theSegmentsCarryTheirMarketingNames() {
        assertEquals(List.of("Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising",
                        "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"),
                EnumSet.allOf(RfmSegment.class).stream().map(RfmSegment::displayName).toList());
    }

    @Test
    void aScoreOutsideOneToFiveIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RfmSegment.of(0, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> RfmSegment.of(3, 6, 3));
        assertThrows(IllegalArgumentException.class, () -> RfmSegment.of(3, 3, -1));
    }

    /**
     * Five customers with distinct values, so each value's rank is its score: the k-th best of five scores 6 - k.
     * Ada is best everywhere (5/5/5), Ben second (4/4/4), Cy bought once, cheaply, midway back (3/1/1), Di long ago
     * but often and well (2/3/3), Ed longest ago with two small orders (1/2/2).
     */
    @Test
    void aHandMadePurchaseSetGetsTheExpectedScoresSegmentsAndCounts() {
        List<Purchase> purchases = new ArrayList<>();
        addOrders(purchases, "ada", 1, 5, "100");
        addOrders(purchases, "ben", 10, 4, "100");
        addOrders(purchases, "cy", 20, 1, "100");
        addOrders(purchases, "di", 30, 3, "100");
        addOrders(purchases, "ed", 40, 2, "60");

        Map<String, Rfm> byCustomer = Rfm.of(purchases, ANALYSIS_DATE).stream()
                .collect(Collectors.toMap(Rfm::customerId, rfm -> rfm));

        assertScores(byCustomer.get("ada"), 5, 5, 5, CHAMPIONS);
        assertScores(byCustomer.get("ben"), 4, 4, 4, CHAMPIONS);
        assertScores(byCustomer.get("cy"), 3, 1, 1, PROMISING);
        assertScores(byCustomer.get("di"), 2, 3, 3, LOYAL_CUSTOMERS);
        assertScores(byCustomer.get("ed"), 1, 2, 2, HIBERNATING);

        RfmSegmentCounts counts = RfmSegmentCounts.of(byCustomer.values());
        assertEquals(2, counts.count(CHAMPIONS));
        assertEquals(1, counts.count(PROMISING));
        assertEquals(1, counts.count(LOYAL_CUSTOMERS));
        assertEquals(1, counts.count(HIBERNATING));
        assertEquals(0, counts.count(LOST));
        assertEquals(5, counts.total());
        assertEquals(11, counts.customersBySegment().size(), "empty segments are listed with 0");
    }

    /** {@code orders} purchases of {@code amount}, the last {@code daysAgo} before the analysis date. */
    private static void addOrders(List<Purchase> purchases, String customerId, int daysAgo, int orders,
                                  String amount) {
        for (int order = 0; order < orders; order++) {
            purchases.add(new Purchase(customerId, ANALYSIS_DATE.minusDays(daysAgo + 7L * order),
                    new BigDecimal(amount)));
        }
    }

    private static void assertScores(Rfm customer, int recency, int frequency, int monetary, RfmSegment segment) {
        String who = customer.customerId();
        assertEquals(recency, customer.recencyScore(), who + " R");
        assertEquals(frequency, customer.frequencyScore(), who + " F");
        assertEquals(monetary, customer.monetaryScore(), who + " M");
        assertEquals(segment, customer.segment(), who + " segment");
    }
}
