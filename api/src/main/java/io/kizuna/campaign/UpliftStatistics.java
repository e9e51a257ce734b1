package io.kizuna.campaign;

import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * The two comparisons of the uplift report, treatment minus control, at 95% confidence: a difference of two
 * proportions (normal approximation; the interval from the unpooled standard error, the two-sided p-value from the
 * pooled two-proportion z-test, as textbooks pair them) and a difference of two means by Welch's t (unequal
 * variances, Welch–Satterthwaite degrees of freedom). Where an answer does not exist (an empty arm, no variance to
 * scale by) the result says why instead of inventing a number.
 */
public final class UpliftStatistics {
    public static final double CONFIDENCE = 0.95;
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
    private static final double Z = NORMAL.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);

    private UpliftStatistics() {
    }

    /**
     * Treatment minus control, its 95% interval and two-sided p-value; every part null when it does not exist, with
     * {@code note} saying why.
     *
     * @param degreesOfFreedom Welch–Satterthwaite's, for a difference of means
     */
    public record Difference(Double estimate, Double lower, Double upper, Double pValue, Double degreesOfFreedom,
                             String note) {
        static Difference none(String note) {
            return new Difference(null, null, null, null, null, note);
        }

        /**
         * The same comparison in other units: estimate and interval times {@code factor} (positive), the p-value and
         * degrees of freedom unchanged, since scaling by a constant tests the same hypothesis.
         */
        public Difference scaled(double factor) {
            return new Difference(times(estimate, factor), times(lower, factor), times(upper, factor), pValue,
                    degreesOfFreedom, note);
        }

        private static Double times(Double value, double factor) {
            return value == null ? null : value * factor;
        }
    }

    /**
     * Count, mean and sum of squared deviations of a stream of values, updated one value at a time (Welford), so
     * that a million members pass through in one pass with no precision lost to huge sums of squares.
     */
    public static final class Sample {
        private long count;
        private double mean;
        private double squaredDeviations;

        public void add(double value) {
            count++;
            double before = mean;
            mean += (value - before) / count;
            squaredDeviations += (value - before) * (value - mean);
        }

        public long count() {
            return count;
        }

        public double mean() {
            return mean;
        }

        /** The unbiased sample variance (n − 1 in the denominator); needs two values. */
        public double variance() {
            if (count < 2) {
                throw new IllegalStateException("a variance needs at least two values, not " + count);
            }
            return squaredDeviations / (count - 1);
        }
    }

    /**
     * Difference of the rates {@code treatmentSuccesses / treatmentSize} and {@code controlSuccesses /
     * controlSize}. The interval is the difference ± z × sqrt(p1(1−p1)/n1 + p2(1−p2)/n2); the p-value tests equal
     * rates with the pooled rate's standard error sqrt(p(1−p)(1/n1 + 1/n2)).
     */
    public static Difference proportions(long treatmentSuccesses, long treatmentSize, long controlSuccesses,
                                         long controlSize) {
        if (treatmentSuccesses < 0 || controlSuccesses < 0 || treatmentSuccesses > treatmentSize
                || controlSuccesses > controlSize) {
            throw new IllegalArgumentException("successes must be 0 to the arm's size");
        }
        if (treatmentSize == 0 || controlSize == 0) {
            return Difference.none(emptyArm(treatmentSize, controlSize));
        }
        double treatment = (double) treatmentSuccesses / treatmentSize;
        double control = (double) controlSuccesses / controlSize;
        double difference = treatment - control;
        double standardError = Math.sqrt(treatment * (1 - treatment) / treatmentSize
                + control * (1 - control) / controlSize);
        double pooled = (double) (treatmentSuccesses + controlSuccesses) / (treatmentSize + controlSize);
        double pooledError = Math.sqrt(pooled * (1 - pooled) * (1.0 / treatmentSize + 1.0 / controlSize));
        Double pValue = pooledError > 0 ? 2 * NORMAL.cumulativeProbability(-Math.abs(difference / pooledError))
                : null;
        if (standardError == 0) {
            return new Difference(difference, null, null, pValue, null,
                    "no interval: every rate is 0 or 1, and the normal approximation has no spread to work with");
        }
        return new Difference(difference, difference - Z * standardError, difference + Z * standardError, pValue,
                null, null);
    }

    /**
     * Welch's t for the difference of the means: standard error sqrt(s1²/n1 + s2²/n2), degrees of freedom
     * (s1²/n1 + s2²/n2)² / ((s1²/n1)²/(n1−1) + (s2²/n2)²/(n2−1)), the interval from Student's t with those degrees
     * of freedom. One arm without variance is fine (its term is 0); both without variance leave nothing to scale
     * the difference by.
     */
    public static Difference means(Sample treatment, Sample control) {
        if (treatment.count() == 0 || control.count() == 0) {
            return Difference.none(emptyArm(treatment.count(), control.count()));
        }
        double difference = treatment.mean() - control.mean();
        if (treatment.count() < 2 || control.count() < 2) {
            return new Difference(difference, null, null, null, null,
                    "no interval: each arm needs at least 2 members for a variance");
        }
        double treatmentTerm = treatment.variance() / treatment.count();
        double controlTerm = control.variance() / control.count();
        double standardError = Math.sqrt(treatmentTerm + controlTerm);
        if (standardError == 0) {
            return new Difference(difference, null, null, null, null,
                    "no interval: neither arm varies, so there is no spread to test the difference against");
        }
        double degreesOfFreedom = Math.pow(treatmentTerm + controlTerm, 2)
                / (treatmentTerm * treatmentTerm / (treatment.count() - 1)
                + controlTerm * controlTerm / (control.count() - 1));
        TDistribution t = new TDistribution(degreesOfFreedom);
        double critical = t.inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double pValue = 2 * t.cumulativeProbability(-Math.abs(difference / standardError));
        return new Difference(difference, difference - critical * standardError,
                difference + critical * standardError, pValue, degreesOfFreedom, null);
    }

    private static String emptyArm(long treatmentSize, long controlSize) {
        String empty = treatmentSize == 0 && controlSize == 0 ? "both arms are" : treatmentSize == 0
                ? "the treatment arm is" : "the control arm is";
        return "no estimate: " + empty + " empty";
    }
}
