package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customers simulated from known BG/NBD and Gamma-Gamma parameters, fitted back: maximum likelihood must recover the
 * parameters it was given, which a wrong likelihood or a stalled optimiser would not. The seed is printed; replay a
 * failure with {@code -Dkizuna.seed=<seed>}.
 */
class ClvParameterRecoveryTest {
    private static final int CUSTOMERS = 5000;
    private static final double RELATIVE_TOLERANCE = 0.15;
    private static final BgNbd PURCHASING = new BgNbd(0.5, 5, 0.8, 2.5);
    private static final GammaGamma SPENDING = new GammaGamma(6, 4, 15);

    private static List<CustomerSummary> customers;

    @BeforeAll
    static void simulate() {
        long seed = Long.getLong("kizuna.seed", 20261123L);
        System.out.println("ClvParameterRecoveryTest seed " + seed + " (replay with -Dkizuna.seed=" + seed + ")");
        RandomDataGenerator random = new RandomDataGenerator(seed);
        customers = new ArrayList<>(CUSTOMERS);
        for (int i = 0; i < CUSTOMERS; i++) {
            customers.add(simulateCustomer("c" + i, random));
        }
    }

    @Test
    void bgNbdFitRecoversTheSimulatedParameters() {
        BgNbd fitted = BgNbd.fit(customers);
        System.out.printf("recovered BG/NBD: %s (simulated %s)%n", fitted, PURCHASING);
        assertRecovered(PURCHASING.r(), fitted.r(), "r");
        assertRecovered(PURCHASING.alpha(), fitted.alpha(), "alpha");
        assertRecovered(PURCHASING.a(), fitted.a(), "a");
        assertRecovered(PURCHASING.b(), fitted.b(), "b");
        assertTrue(fitted.logLikelihood(customers) >= PURCHASING.logLikelihood(customers),
                "the maximum is at least as likely as the truth");
    }

    @Test
    void gammaGammaFitRecoversTheSimulatedParameters() {
        List<CustomerSummary> repeaters = customers.stream().filter(CustomerSummary::isRepeater).toList();
        GammaGamma fitted = GammaGamma.fit(repeaters);
        System.out.printf("recovered Gamma-Gamma on %d repeaters: %s (simulated %s)%n",
                repeaters.size(), fitted, SPENDING);
        assertRecovered(SPENDING.p(), fitted.p(), "p");
        assertRecovered(SPENDING.q(), fitted.q(), "q");
        assertRecovered(SPENDING.gamma(), fitted.gamma(), "gamma");
        assertTrue(fitted.logLikelihood(repeaters) >= SPENDING.logLikelihood(repeaters),
                "the maximum is at least as likely as the truth");
    }

    /**
     * The BG/NBD story told forwards: from the first purchase at 0, exponential waits at the customer's rate; each
     * repeat purchase inside the age T may be the last (probability p). Each repeat purchase's amount is
     * Gamma(p_spend, rate nu) with the customer's own nu.
     */
    private static CustomerSummary simulateCustomer(String id, RandomDataGenerator random) {
        double rate = random.nextGamma(PURCHASING.r(), 1 / PURCHASING.alpha());
        double dropout = random.nextBeta(PURCHASING.a(), PURCHASING.b());
        double spendRate = random.nextGamma(SPENDING.q(), 1 / SPENDING.gamma());
        double ageWeeks = random.nextUniform(20, 52);
        int repeatPurchases = 0;
        double lastWeeks = 0;
        double totalSpend = 0;
        double now = random.nextExponential(1 / rate);
        while (now < ageWeeks) {
            repeatPurchases++;
            lastWeeks = now;
            totalSpend += random.nextGamma(SPENDING.p(), 1 / spendRate);
            if (random.nextUniform(0, 1) < dropout) {
                break;
            }
            now += random.nextExponential(1 / rate);
        }
        double meanSpend = repeatPurchases == 0 ? 0 : totalSpend / repeatPurchases;
        return new CustomerSummary(id, repeatPurchases, lastWeeks, ageWeeks, meanSpend);
    }

    private static void assertRecovered(double simulated, double fitted, String name) {
        assertEquals(simulated, fitted, RELATIVE_TOLERANCE * simulated, name);
    }
}
