package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kizuna.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CDNOW sample of Fader, Hardie and Lee (2005), read in place from the shared conformance data: our summaries
 * match the published ones and our fits reproduce the published BG/NBD and Gamma-Gamma estimates.
 *
 * <p>Tolerances: the published estimates have three (BG/NBD) or two (Gamma-Gamma) decimals, so BG/NBD parameters
 * must agree within 0.5% relative or 0.002 absolute, whichever is looser, the log-likelihood within 0.1, and the
 * Gamma-Gamma parameters within 1%.
 */
class ClvCdnowConformanceTest {
    private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private static List<CustomerSummary> summaries;
    /** The sample's second column, the sequence number the published summary calls ID, by customer id. */
    private static Map<String, String> publishedIdOfCustomer;

    @BeforeAll
    static void summariseTheCalibrationPeriod() throws IOException {
        List<Purchase> purchases = new ArrayList<>();
        publishedIdOfCustomer = new HashMap<>();
        for (String line : Files.readAllLines(SharedData.folder("analytics").resolve("CDNOW_sample.txt"))) {
            if (line.isBlank()) {
                continue;
            }
            String[] columns = line.trim().split("\\s+");
            publishedIdOfCustomer.put(columns[0], String.valueOf(Integer.parseInt(columns[1])));
            purchases.add(new Purchase(columns[0], LocalDate.parse(columns[2], YYYYMMDD), new BigDecimal(columns[4])));
        }
        summaries = CustomerSummary.of(purchases, CALIBRATION_END);
    }

    @Test
    void summariesMatchThePublishedOnesForEveryCustomer() throws IOException {
        Map<String, String[]> published = new HashMap<>();
        List<String> lines = Files.readAllLines(SharedData.folder("analytics").resolve("cdnow_customers_summary.csv"));
        assertEquals("ID,frequency,recency,T", lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split(",");
            published.put(columns[0], columns);
        }
        assertEquals(published.size(), summaries.size(), "one summary per customer");
        for (CustomerSummary summary : summaries) {
            String[] expected = published.get(publishedIdOfCustomer.get(summary.customerId()));
            String who = "customer " + summary.customerId();
            assertEquals(Integer.parseInt(expected[1]), summary.repeatPurchases(), who + " x");
            assertEquals(Double.parseDouble(expected[2]), rounded(summary.recencyWeeks()), 0.01, who + " t_x");
            assertEquals(Double.parseDouble(expected[3]), rounded(summary.ageWeeks()), 0.01, who + " T");
        }
    }

    @Test
    void meanRepeatSpendMatchesThePublishedZbar() throws IOException {
        Map<String, Double> publishedZbar = new HashMap<>();
        List<String> lines = Files.readAllLines(
                SharedData.folder("analytics").resolve("cdnow_customers_summary_with_transactions.csv"));
        assertEquals("ID,x,t_x,T,zbar", lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.split(",");
            publishedZbar.put(columns[0], Double.parseDouble(columns[4]));
        }
        for (CustomerSummary summary : summaries) {
            assertEquals(publishedZbar.get(publishedIdOfCustomer.get(summary.customerId())),
                    summary.meanRepeatSpend(), 0.01, "customer " + summary.customerId() + " zbar");
        }
    }

    @Test
    void bgNbdFitReproducesThePublishedEstimates() {
        BgNbd model = BgNbd.fit(summaries);
        double logLikelihood = model.logLikelihood(summaries);
        System.out.printf("CDNOW BG/NBD: r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f%n",
                model.r(), model.alpha(), model.a(), model.b(), logLikelihood);
        assertPublished(0.243, model.r(), "r");
        assertPublished(4.414, model.alpha(), "alpha");
        assertPublished(0.793, model.a(), "a");
        assertPublished(2.426, model.b(), "b");
        assertEquals(-9582.4, logLikelihood, 0.1, "log-likelihood");
    }

    @Test
    void gammaGammaFitOnTheRepeatersReproducesThePublishedEstimates() {
        List<CustomerSummary> repeaters = summaries.stream().filter(CustomerSummary::isRepeater).toList();
        assertEquals(946, repeaters.size(), "repeat customers in the calibration period");
        GammaGamma model = GammaGamma.fit(repeaters);
        System.out.printf("CDNOW Gamma-Gamma: p=%.4f q=%.4f gamma=%.4f LL=%.2f%n",
                model.p(), model.q(), model.gamma(), model.logLikelihood(repeaters));
        assertEquals(6.25, model.p(), 0.01 * 6.25, "p");
        assertEquals(3.74, model.q(), 0.01 * 3.74, "q");
        assertEquals(15.44, model.gamma(), 0.01 * 15.44, "gamma");
        double populationMean = model.p() * model.gamma() / (model.q() - 1);
        for (CustomerSummary customer : repeaters) {
            double expected = model.expectedAverageSpend(customer);
            assertTrue(expected >= Math.min(populationMean, customer.meanRepeatSpend()) - 1e-9
                    && expected <= Math.max(populationMean, customer.meanRepeatSpend()) + 1e-9,
                    "the expected spend lies between the population mean and the customer's own: " + customer);
        }
    }

    private static void assertPublished(double published, double fitted, String name) {
        double tolerance = Math.max(0.005 * Math.abs(published), 0.002);
        assertEquals(published, fitted, tolerance, name);
    }

    private static double rounded(double weeks) {
        return Math.round(weeks * 100) / 100.0;
    }
}
