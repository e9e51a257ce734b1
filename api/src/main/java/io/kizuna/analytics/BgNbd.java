package io.kizuna.analytics;

import static org.hipparchus.special.Gamma.logGamma;

import java.util.List;

/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way"): while
 * alive, a customer buys at Poisson rate lambda, with lambda ~ Gamma(shape r, rate alpha) across customers; after
 * each repeat purchase the customer drops out for good with probability p, with p ~ Beta(a, b). Time is in weeks
 * from the customer's first purchase.
 *
 * <p>{@link #fit} finds r, alpha, a, b by maximum likelihood (paper eq. 6); {@link #expectedPurchases} is eq. 10 and
 * {@link #probabilityAlive} eq. 11 of the paper's technical appendix in its usual form.
 */
public record BgNbd(double r, double alpha, double a, double b) {
    public BgNbd {
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
            throw new IllegalArgumentException("BG/NBD parameters must be positive: " + r + ", " + alpha + ", " + a
                    + ", " + b);
        }
    }

    /** Maximum-likelihood parameters for these customers' histories (x, t_x, T). */
    public static BgNbd fit(List<CustomerSummary> customers) {
        if (customers.isEmpty()) {
            throw new IllegalArgumentException("no customers to fit");
        }
        double[] best = MaximumLikelihood.maximise(
                parameters -> new BgNbd(parameters[0], parameters[1], parameters[2], parameters[3])
                        .logLikelihood(customers),
                1, 1, 1, 1);
        return new BgNbd(best[0], best[1], best[2], best[3]);
    }

    /** The sum of every customer's log-likelihood. */
    public double logLikelihood(List<CustomerSummary> customers) {
        double sum = 0;
        for (CustomerSummary customer : customers) {
            sum += logLikelihood(customer);
        }
        return sum;
    }

    /**
     * Paper eq. 6 in log space: L = B(a, b+x)/B(a, b) * Gamma(r+x)/Gamma(r) * alpha^r * [ (alpha+T)^-(r+x)
     * + [x > 0] * a/(b+x-1) * (alpha+t_x)^-(r+x) ], the second term being the chance the customer dropped out right
     * after the last purchase. With x = 0 that term is absent, not merely small.
     */
    public double logLikelihood(CustomerSummary customer) {
        int x = customer.repeatPurchases();
        double common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha)
                + logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
        double stillAlive = -(r + x) * Math.log(alpha + customer.ageWeeks());
        if (x == 0) {
            return common + stillAlive;
        }
        double droppedOut = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + customer.recencyWeeks());
        return common + logSumOfExponentials(stillAlive, droppedOut);
    }

    /**
     * Paper eq. 11: the probability the customer is still alive at T, 1 / (1 + [x > 0] * a/(b+x-1) *
     * ((alpha+T)/(alpha+t_x))^(r+x)). A customer who never bought again cannot have dropped out (dropping out
     * follows a repeat purchase), so that is 1.
     */
    public double probabilityAlive(CustomerSummary customer) {
        return 1 / (1 + deadToAliveOdds(customer));
    }

    /**
     * Paper eq. 10: the expected number of purchases in the {@code horizonWeeks} after T,
     * (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) * 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
     * / (1 + [x > 0] * a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)). The formula divides by a - 1, so a = 1 exactly
     * has no answer here; a below 1 (as for CDNOW) is fine. The 2F1 series here needs a + b + x > 1, so a customer
     * with x = 0 under a fit with a + b <= 1 gets an {@link IllegalArgumentException} rather than a guess.
     */
    public double expectedPurchases(CustomerSummary customer, double horizonWeeks) {
        if (!(horizonWeeks >= 0)) {
            throw new IllegalArgumentException("horizon must be >= 0 weeks: " + horizonWeeks);
        }
        if (a == 1) {
            throw new ArithmeticException("eq. 10 is undefined at a = 1");
        }
        int x = customer.repeatPurchases();
        double ageScale = alpha + customer.ageWeeks();
        double hypergeometric = Hypergeometric.gauss2F1(
                r + x, b + x, a + b + x - 1, horizonWeeks / (ageScale + horizonWeeks));
        double bracket = 1 - Math.pow(ageScale / (ageScale + horizonWeeks), r + x) * hypergeometric;
        return (a + b + x - 1) / (a - 1) * bracket / (1 + deadToAliveOdds(customer));
    }

    private double deadToAliveOdds(CustomerSummary customer) {
        int x = customer.repeatPurchases();
        if (x == 0) {
            return 0;
        }
        return a / (b + x - 1) * Math.pow((alpha + customer.ageWeeks()) / (alpha + customer.recencyWeeks()), r + x);
    }

    private static double logSumOfExponentials(double first, double second) {
        double larger = Math.max(first, second);
        return larger + Math.log1p(Math.exp(Math.min(first, second) - larger));
    }
}
