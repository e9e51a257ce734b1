package io.kizuna.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kizuna.campaign.UpliftStatistics.Difference;
import io.kizuna.campaign.UpliftStatistics.Sample;
import org.junit.jupiter.api.Test;

/**
 * The uplift report's statistics against published and hand-computed values, and their edge cases.
 */
class UpliftStatisticsTest {
    private static final double Z_975 = 1.959963984540054;

    /**
     * R's documentation example {@code t.test(extra ~ group, data = sleep)} (Student's sleep data, Welch by default)
     * prints t = -1.8608, df = 17.776, p-value = 0.07939 and the interval -3.3654832 0.2054832 for group 1 minus
     * group 2 (means 0.75 and 2.33).
     */
    @Test
    void welchReproducesRsPublishedSleepExample() {
        Sample first = sample(0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0);
        Sample second = sample(1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4);
        Difference welch = UpliftStatistics.means(first, second);
        assertEquals(0.75, first.mean(), 1e-12);
        assertEquals(2.33, second.mean(), 1e-12);
        assertEquals(-1.58, welch.estimate(), 1e-12);
        assertEquals(17.776, welch.degreesOfFreedom(), 5e-4);
        assertEquals(0.07939, welch.pValue(), 5e-6);
        assertEquals(-3.3654832, welch.lower(), 5e-8);
        assertEquals(0.2054832, welch.upper(), 5e-8);
        assertNull(welch.note());
    }

    /** The formulas written out by hand for unequal sizes and variances. */
    @Test
    void welchMatchesTheFormulasComputedByHand() {
        Sample treatment = sample(10, 12, 14, 16, 18, 20);
        Sample control = sample(9, 10, 11);
        // Means 15 and 10; variances 14 and 1.
        assertEquals(14, treatment.variance(), 1e-12);
        assertEquals(1, control.variance(), 1e-12);
        double treatmentTerm = 14.0 / 6;
        double controlTerm = 1.0 / 3;
        double standardError = Math.sqrt(treatmentTerm + controlTerm);
        double degreesOfFreedom = Math.pow(treatmentTerm + controlTerm, 2)
                / (treatmentTerm * treatmentTerm / 5 + controlTerm * controlTerm / 2);
        Difference welch = UpliftStatistics.means(treatment, control);
        assertEquals(5, welch.estimate(), 1e-12);
        assertEquals(degreesOfFreedom, welch.degreesOfFreedom(), 1e-12);
        assertEquals(6.2136, degreesOfFreedom, 1e-4, "(7/3 + 1/3)² / ((7/3)²/5 + (1/3)²/2)");
        // Student's t quantile at 0.975 for 6.2136 degrees of freedom (scipy.stats.t.ppf; tables: 2.4469 at 6).
        double critical = (welch.upper() - welch.estimate()) / standardError;
        assertEquals(2.426667, critical, 5e-6);
        assertEquals(welch.estimate() - critical * standardError, welch.lower(), 1e-12);
        // t = 5 / 1.63299 = 3.0619; two-sided p for 6.2136 degrees of freedom (scipy.stats.ttest_ind agrees).
        assertEquals(0.0212102, welch.pValue(), 5e-7);
    }

    /**
     * 300 of 1000 against 250 of 1000: difference 0.05, unpooled standard error sqrt(.3·.7/1000 + .25·.75/1000) =
     * 0.0199625, interval 0.05 ± 1.95996 × 0.0199625; pooled rate 0.275, z = 0.05 / sqrt(.275·.725·2/1000) = 2.50392,
     * p = 0.012283 (scipy.stats.norm.sf gives the same).
     */
    @Test
    void twoProportionsMatchTheTextbookFormulas() {
        Difference difference = UpliftStatistics.proportions(300, 1000, 250, 1000);
        double standardError = Math.sqrt(0.3 * 0.7 / 1000 + 0.25 * 0.75 / 1000);
        assertEquals(0.05, difference.estimate(), 1e-12);
        assertEquals(0.05 - Z_975 * standardError, difference.lower(), 1e-12);
        assertEquals(0.05 + Z_975 * standardError, difference.upper(), 1e-12);
        assertEquals(0.0109234, difference.lower(), 5e-8);
        assertEquals(0.0890766, difference.upper(), 5e-8);
        double z = 0.05 / Math.sqrt(0.275 * 0.725 * (2.0 / 1000));
        assertEquals(2.503915, z, 5e-7);
        assertEquals(0.0122827, difference.pValue(), 5e-8);
        assertNull(difference.degreesOfFreedom());
    }

    @Test
    void equalRatesGiveNoEffectAndAPValueOfOne() {
        Difference difference = UpliftStatistics.proportions(40, 200, 20, 100);
        assertEquals(0, difference.estimate(), 1e-15);
        assertEquals(1, difference.pValue(), 1e-12);
        assertTrue(difference.lower() < 0 && difference.upper() > 0);
    }

    @Test
    void emptyArmsGiveNoEstimateAndSaySo() {
        Difference proportions = UpliftStatistics.proportions(0, 0, 3, 10);
        assertNull(proportions.estimate());
        assertNull(proportions.lower());
        assertNull(proportions.pValue());
        assertEquals("no estimate: the treatment arm is empty", proportions.note());
        Difference means = UpliftStatistics.means(sample(1, 2), new Sample());
        assertNull(means.estimate());
        assertEquals("no estimate: the control arm is empty", means.note());
        assertEquals("no estimate: both arms are empty", UpliftStatistics.means(new Sample(), new Sample()).note());
    }

    @Test
    void oneMemberInAnArmGivesTheDifferenceButNoInterval() {
        Difference means = UpliftStatistics.means(sample(5), sample(1, 2, 3));
        assertEquals(3, means.estimate(), 1e-12);
        assertNull(means.lower());
        assertNull(means.upper());
        assertNull(means.pValue());
        assertTrue(means.note().startsWith("no interval"), means.note());
    }

    /** One arm without variance: its term is 0 and the degrees of freedom fall to the other arm's n − 1. */
    @Test
    void aZeroVarianceArmLeavesTheOtherArmsSpread() {
        Sample control = sample(4, 4, 4, 4);
        Sample treatment = sample(3, 5, 7, 9, 11);
        Difference welch = UpliftStatistics.means(treatment, control);
        assertEquals(3, welch.estimate(), 1e-12);
        assertEquals(4, welch.degreesOfFreedom(), 1e-12);
        double standardError = Math.sqrt(10.0 / 5);
        // Student's t at 0.975 with 4 degrees of freedom is 2.776445 (every t table).
        assertEquals(3 - 2.776445 * standardError, welch.lower(), 1e-5);
        assertEquals(3 + 2.776445 * standardError, welch.upper(), 1e-5);
        assertNull(welch.note());
    }

    @Test
    void neitherArmVaryingGivesNoIntervalAndSaysSo() {
        Difference welch = UpliftStatistics.means(sample(2, 2, 2), sample(1, 1));
        assertEquals(1, welch.estimate(), 1e-12);
        assertNull(welch.lower());
        assertNull(welch.pValue());
        assertTrue(welch.note().startsWith("no interval: neither arm varies"), welch.note());
    }

    /** Every member bought in one arm and none in the other: a p-value (pooled) but no unpooled interval. */
    @Test
    void ratesOfZeroAndOneGiveNoIntervalAndSaySo() {
        Difference all = UpliftStatistics.proportions(10, 10, 0, 10);
        assertEquals(1, all.estimate(), 1e-12);
        assertNull(all.lower());
        assertNotNull(all.pValue());
        assertTrue(all.pValue() < 0.001, "z = 1 / sqrt(.5·.5·0.2) = 4.47: " + all.pValue());
        assertTrue(all.note().startsWith("no interval"), all.note());
        Difference none = UpliftStatistics.proportions(0, 10, 0, 20);
        assertEquals(0, none.estimate(), 1e-12);
        assertNull(none.pValue(), "no purchases in either arm leave nothing to test");
        assertThrows(IllegalArgumentException.class, () -> UpliftStatistics.proportions(11, 10, 0, 10));
    }

    @Test
    void scalingMovesTheIntervalButNotTheTest() {
        Difference welch = UpliftStatistics.means(sample(10, 12, 14, 16, 18, 20), sample(9, 10, 11));
        Difference scaled = welch.scaled(0.5);
        assertEquals(welch.estimate() / 2, scaled.estimate(), 1e-12);
        assertEquals(welch.lower() / 2, scaled.lower(), 1e-12);
        assertEquals(welch.upper() / 2, scaled.upper(), 1e-12);
        assertEquals(welch.pValue(), scaled.pValue());
        assertEquals(welch.degreesOfFreedom(), scaled.degreesOfFreedom());
    }

    /** Welford keeps the variance of large, close values that a sum of squares would lose. */
    @Test
    void theStreamingVarianceKeepsItsPrecisionForLargeValues() {
        Sample sample = new Sample();
        for (int i = 0; i < 1_000_000; i++) {
            sample.add(1e9 + (i % 2 == 0 ? 1 : -1));
        }
        assertEquals(1e9, sample.mean(), 1e-6);
        assertEquals(1_000_000.0 / 999_999, sample.variance(), 1e-6);
        assertThrows(IllegalStateException.class, () -> sample(1).variance());
    }

    private static Sample sample(double... values) {
        Sample sample = new Sample();
        for (double value : values) {
            sample.add(value);
        }
        return sample;
    }
}
