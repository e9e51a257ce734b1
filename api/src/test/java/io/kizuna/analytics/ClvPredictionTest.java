package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.hipparchus.special.Beta;
import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The closed forms (likelihood eq. 6, P(alive) eq. 11, expected purchases eq. 10, the Gamma-Gamma density) against
 * the model's story integrated numerically over lambda ~ Gamma(r, alpha) and p ~ Beta(a, b), so that a wrong
 * exponent or a wrong hypergeometric would show. Parameters are CDNOW's, where r and a below 1 make the densities
 * infinite at 0; the integrals substitute lambda = u^(1/r) and p = u^(1/a) to take that away.
 */
class ClvPredictionTest {
    private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);
    private static final List<CustomerSummary> CUSTOMERS = List.of(
            new CustomerSummary("repeat", 2, 30.43, 38.86, 22.35),
            new CustomerSummary("lapsed", 5, 4.0, 38.86, 10.0),
            new CustomerSummary("new", 0, 0, 20.0, 0));
    private static final double RELATIVE_TOLERANCE = 1e-6;
    private static final int INTERVALS = 4000;

    @Test
    void aCustomerWithoutRepeatPurchasesIsAlive() {
        assertEquals(1.0, CDNOW.probabilityAlive(new CustomerSummary("once", 0, 0, 38.86, 0)));
    }

    @Test
    void likelihoodAndProbabilityAliveMatchTheTwoBranchesIntegratedNumerically() {
        for (CustomerSummary customer : CUSTOMERS) {
            int x = customer.repeatPurchases();
            double alive = expectOverDropout(p -> Math.pow(1 - p, x), CDNOW.a(), CDNOW.b())
                    * expectOverRate(rate -> Math.pow(rate, x) * Math.exp(-rate * customer.ageWeeks()));
            double dead = x == 0 ? 0 : expectOverDropout(p -> p * Math.pow(1 - p, x - 1), CDNOW.a(), CDNOW.b())
                    * expectOverRate(rate -> Math.pow(rate, x) * Math.exp(-rate * customer.recencyWeeks()));
            assertRelative(Math.log(alive + dead), CDNOW.logLikelihood(customer), customer + " log-likelihood");
            assertRelative(alive / (alive + dead), CDNOW.probabilityAlive(customer), customer + " P(alive)");
        }
    }

    /**
     * Alive at T, the customer's lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x), and a live customer makes
     * (1 - exp(-lambda p t)) / p purchases in t on average (paper eq. 7); times P(alive).
     */
    @Test
    void expectedPurchasesMatchTheModelIntegratedNumerically() {
        double horizonWeeks = 39;
        for (CustomerSummary customer : CUSTOMERS) {
            int x = customer.repeatPurchases();
            double shape = CDNOW.r() + x;
            double rate = CDNOW.alpha() + customer.ageWeeks();
            double whileAlive = expectOverDropout(p -> expectOverGamma(
                    lambda -> -Math.expm1(-lambda * p * horizonWeeks) / p, shape, rate), CDNOW.a(), CDNOW.b() + x);
            assertRelative(CDNOW.probabilityAlive(customer) * whileAlive,
                    CDNOW.expectedPurchases(customer, horizonWeeks), customer + " E[Y(39)]");
        }
    }

    @Test
    void expectedPurchasesStartAtZeroAndGrowWithTheHorizon() {
        for (CustomerSummary customer : CUSTOMERS) {
            assertEquals(0, CDNOW.expectedPurchases(customer, 0), 1e-12);
            double previous = 0;
            for (double weeks = 1; weeks <= 104; weeks *= 2) {
                double expected = CDNOW.expectedPurchases(customer, weeks);
                assertTrue(expected > previous, customer + " at " + weeks + " weeks: " + expected);
                previous = expected;
            }
        }
    }

    @Test
    void hypergeometricSeriesMatchesAClosedForm() {
        for (double z : new double[] {0, 0.1, 0.5, 0.9, 0.99}) {
            double closedForm = z == 0 ? 1 : -Math.log1p(-z) / z;
            assertRelative(closedForm, Hypergeometric.gauss2F1(1, 1, 2, z), "2F1(1, 1; 2; " + z + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> Hypergeometric.gauss2F1(1, 1, 2, 1));
    }

    @Test
    void gammaGammaLikelihoodIsADensityOfTheMeanSpend() {
        GammaGamma model = new GammaGamma(6, 4, 15);
        for (int x : new int[] {1, 3, 10}) {
            double scale = model.gamma() / x;
            double total = simpson(w -> {
                double m = scale * w / (1 - w);
                double density = Math.exp(model.logLikelihood(new CustomerSummary("c", x, 1, 2, m)));
                return density * scale / ((1 - w) * (1 - w));
            }, 1e-12, 1 - 1e-9);
            assertEquals(1, total, 1e-6, "the density of m integrates to 1 for x = " + x);
        }
    }

    @Test
    void expectedAverageSpendIsTheMeanOfThePosteriorSpend() {
        GammaGamma model = new GammaGamma(6, 4, 15);
        CustomerSummary customer = new CustomerSummary("c", 3, 10, 20, 40);
        double shape = model.q() + model.p() * customer.repeatPurchases();
        double rate = model.gamma() + customer.meanRepeatSpend() * customer.repeatPurchases();
        double posteriorMean = expectOverGamma(nu -> model.p() / nu, shape, rate);
        assertRelative(posteriorMean, model.expectedAverageSpend(customer), "E[Z | x, m]");
    }

    private static double expectOverRate(DoubleUnaryOperator function) {
        return expectOverGamma(function, CDNOW.r(), CDNOW.alpha());
    }

    /**
     * E[f(lambda)] for lambda ~ Gamma(shape, rate) over lambda up to far into the tail. Below shape 1 the density is
     * infinite at 0, so there lambda = u^(1/shape) and the density in u is flat.
     */
    private static double expectOverGamma(DoubleUnaryOperator function, double shape, double rate) {
        double upper = (shape + 40 * Math.sqrt(shape) + 40) / rate;
        double logNormaliser = shape * Math.log(rate) - Gamma.logGamma(shape);
        if (shape >= 1) {
            return simpson(lambda -> lambda <= 0 ? 0 : function.applyAsDouble(lambda)
                    * Math.exp(logNormaliser + (shape - 1) * Math.log(lambda) - rate * lambda), 0, upper);
        }
        return simpson(u -> {
            double lambda = Math.pow(u, 1 / shape);
            return function.applyAsDouble(lambda) * Math.exp(logNormaliser - Math.log(shape) - rate * lambda);
        }, 0, Math.pow(upper, shape));
    }

    /**
     * E[f(p)] for p ~ Beta(a, b) with b > 1, with p = u^(1/a) so that the density in u is finite; p stays a hair
     * inside (0, 1) where f is evaluated at its limit.
     */
    private static double expectOverDropout(DoubleUnaryOperator function, double a, double b) {
        double logNormaliser = -Beta.logBeta(a, b) - Math.log(a);
        return simpson(u -> {
            double p = Math.min(Math.max(Math.pow(u, 1 / a), 1e-12), 1 - 1e-12);
            return function.applyAsDouble(p) * Math.exp(logNormaliser + (b - 1) * Math.log1p(-p));
        }, 0, 1);
    }

    private static double simpson(DoubleUnaryOperator function, double from, double to) {
        double step = (to - from) / INTERVALS;
        double sum = function.applyAsDouble(from) + function.applyAsDouble(to);
        for (int i = 1; i < INTERVALS; i++) {
            sum += (i % 2 == 0 ? 2 : 4) * function.applyAsDouble(from + i * step);
        }
        return sum * step / 3;
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE_TOLERANCE * Math.abs(expected), what);
    }
}
