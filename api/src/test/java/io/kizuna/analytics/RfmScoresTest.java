package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The values an RFM score is built from and the rank rule score = 1 + floor(5 * strictly worse / n). */
class RfmScoresTest {
    private static final LocalDate ANALYSIS_DATE = LocalDate.of(2025, 1, 31);

    @Test
    void sameDayOrdersCountSeparatelyAndLaterPurchasesAreIgnored() {
        List<Purchase> purchases = List.of(
                purchase("ann", ANALYSIS_DATE.minusDays(3), "10.50"),
                purchase("ann", ANALYSIS_DATE.minusDays(3), "4.50"),
                purchase("ann", ANALYSIS_DATE.minusDays(30), "5"),
                purchase("ann", ANALYSIS_DATE.plusDays(1), "1000"));

        Rfm ann = Rfm.of(purchases, ANALYSIS_DATE).getFirst();

        assertEquals(3, ann.recencyDays());
        assertEquals(3, ann.frequency(), "two orders on one day are two orders; the one after the date is left out");
        assertEquals(0, new BigDecimal("20.00").compareTo(ann.monetary()), "monetary " + ann.monetary());
    }

    @Test
    void aPurchaseOnTheAnalysisDateHasRecencyZero() {
        Rfm bo = Rfm.of(List.of(purchase("bo", ANALYSIS_DATE, "1")), ANALYSIS_DATE).getFirst();
        assertEquals(0, bo.recencyDays());
    }

    @Test
    void customersWithoutPurchasesUpToTheAnalysisDateAreLeftOut() {
        assertTrue(Rfm.of(List.of(purchase("cal", ANALYSIS_DATE.plusDays(1), "1")), ANALYSIS_DATE).isEmpty());
        assertTrue(Rfm.of(List.of(), ANALYSIS_DATE).isEmpty());
    }

    /**
     * Frequencies 1,1,1,1,2,2,3,4,5,6 of ten customers: strictly worse counts 0,0,0,0,4,4,6,7,8,9, so scores
     * 1,1,1,1,3,3,4,4,5,5. The four tied at 1 share score 1, none gets 2.
     */
    @Test
    void tiesShareTheScoreOfTheRankWhereTheyStart() {
        int[] frequencies = {1, 1, 1, 1, 2, 2, 3, 4, 5, 6};
        int[] expectedScores = {1, 1, 1, 1, 3, 3, 4, 4, 5, 5};
        List<Purchase> purchases = new ArrayList<>();
        for (int customer = 0; customer < frequencies.length; customer++) {
            for (int order = 0; order < frequencies[customer]; order++) {
                purchases.add(purchase("c" + customer, ANALYSIS_DATE.minusDays(order), "1"));
            }
        }
        Map<String, Rfm> byCustomer = byCustomer(Rfm.of(purchases, ANALYSIS_DATE));
        for (int customer = 0; customer < frequencies.length; customer++) {
            Rfm scored = byCustomer.get("c" + customer);
            assertEquals(frequencies[customer], scored.frequency());
            assertEquals(expectedScores[customer], scored.frequencyScore(), "F of c" + customer);
            assertEquals(expectedScores[customer], scored.monetaryScore(), "M of c" + customer + ", 1 per order");
            assertEquals(1, scored.recencyScore(), "all bought on the analysis date: none is strictly more recent");
        }
    }

    /** Recency 0 to 9 days for ten customers: the two most recent score 5, the two least recent 1. */
    @Test
    void theMostRecentScoreFive() {
        List<Purchase> purchases = new ArrayList<>();
        for (int daysAgo = 0; daysAgo < 10; daysAgo++) {
            purchases.add(purchase("d" + daysAgo, ANALYSIS_DATE.minusDays(daysAgo), "1"));
        }
        Map<String, Rfm> byCustomer = byCustomer(Rfm.of(purchases, ANALYSIS_DATE));
        for (int daysAgo = 0; daysAgo < 10; daysAgo++) {
            assertEquals(5 - daysAgo / 2, byCustomer.get("d" + daysAgo).recencyScore(), daysAgo + " days ago");
        }
    }

    @Test
    void amountsEqualByValueTieWhateverTheirScale() {
        List<Purchase> purchases = List.of(
                purchase("e1", ANALYSIS_DATE, "10.0"), purchase("e2", ANALYSIS_DATE, "10.00"),
                purchase("e3", ANALYSIS_DATE, "3"), purchase("e4", ANALYSIS_DATE, "20"),
                purchase("e5", ANALYSIS_DATE, "30"));
        Map<String, Rfm> byCustomer = byCustomer(Rfm.of(purchases, ANALYSIS_DATE));
        assertEquals(2, byCustomer.get("e1").monetaryScore());
        assertEquals(2, byCustomer.get("e2").monetaryScore());
        assertEquals(4, byCustomer.get("e4").monetaryScore(), "three customers spent less: 1 + 5 * 3 / 5");
    }

    @Test
    void scoresDoNotDependOnTheOrderOfThePurchases() {
        List<Purchase> purchases = new ArrayList<>();
        Random random = new Random(20251123L);
        for (int i = 0; i < 300; i++) {
            purchases.add(purchase("f" + random.nextInt(60), ANALYSIS_DATE.minusDays(random.nextInt(50)),
                    String.valueOf(random.nextInt(20))));
        }
        List<Rfm> scored = Rfm.of(purchases, ANALYSIS_DATE);
        Collections.shuffle(purchases, random);
        assertEquals(scored, Rfm.of(purchases, ANALYSIS_DATE));
    }

    @Test
    void aScoreOutsideOneToFiveIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Rfm("g", 1, 1, BigDecimal.ONE, 6, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Rfm("g", 1, 1, BigDecimal.ONE, 1, 0, 1));
    }

    private static Purchase purchase(String customerId, LocalDate date, String amount) {
        return new Purchase(customerId, date, new BigDecimal(amount));
    }

    private static Map<String, Rfm> byCustomer(List<Rfm> scored) {
        return scored.stream().collect(Collectors.toMap(Rfm::customerId, rfm -> rfm));
    }
}
