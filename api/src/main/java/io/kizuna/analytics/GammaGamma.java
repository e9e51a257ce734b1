package io.kizuna.analytics;

import static org.hipparchus.special.Gamma.logGamma;

import java.util.List;

/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves for
 * Customer Base Analysis", in the formulation of the lifetimes library): a customer's purchase amounts are
 * Gamma(shape p, rate nu), with nu ~ Gamma(shape q, rate gamma) across customers, independent of how often they buy.
 * Fitted on repeat customers only, from each one's x (repeat purchases, > 0) and m (mean repeat amount).
 */
public record GammaGamma(double p, double q, double gamma) {
    public GammaGamma {
        if (!(p > 0 && q > 0 && gamma > 0)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters must be positive: " + p + ", " + q + ", "
                    + gamma);
        }
    }

    /** Maximum-likelihood parameters for these repeat customers' (x, m); throws if one of them has x = 0. */
    public static GammaGamma fit(List<CustomerSummary> repeaters) {
        if (repeaters.isEmpty()) {
            throw new IllegalArgumentException("no repeat customers to fit");
        }
        for (CustomerSummary customer : repeaters) {
            requireRepeater(customer);
        }
        double[] best = MaximumLikelihood.maximise(
                parameters -> new GammaGamma(parameters[0], parameters[1], parameters[2]).logLikelihood(repeaters),
                1, 1, 1);
        return new GammaGamma(best[0], best[1], best[2]);
    }

    /** The sum of every repeat customer's log-likelihood. */
    public double logLikelihood(List<CustomerSummary> repeaters) {
        double sum = 0;
        for (CustomerSummary customer : repeaters) {
            sum += logLikelihood(customer);
        }
        return sum;
    }

    /**
     * The density of the mean m of x Gamma(p, nu) amounts, nu integrated out: Gamma(px+q)/(Gamma(px) Gamma(q))
     * * gamma^q * m^(px-1) * x^(px) / (gamma + m x)^(px+q).
     */
    public double logLikelihood(CustomerSummary customer) {
        requireRepeater(customer);
        double x = customer.repeatPurchases();
        double m = customer.meanRepeatSpend();
        return logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma)
                + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
    }

    /**
     * The expected amount of this customer's purchases, E[Z | x, m] = (gamma + m x) p / (p x + q - 1): a weighted
     * average of the population mean p gamma / (q - 1) and the customer's own m. For x = 0 it is the population mean.
     * Defined only for q > 1.
     */
    public double expectedAverageSpend(CustomerSummary customer) {
        if (!(q > 1)) {
            throw new ArithmeticException("the expected spend is infinite for q <= 1: q=" + q);
        }
        double x = customer.repeatPurchases();
        return (gamma + customer.meanRepeatSpend() * x) * p / (p * x + q - 1);
    }

    private static void requireRepeater(CustomerSummary customer) {
        if (!customer.isRepeater() || !(customer.meanRepeatSpend() > 0)) {
            throw new IllegalArgumentException("the Gamma-Gamma model needs x > 0 and m > 0: " + customer);
        }
    }
}
