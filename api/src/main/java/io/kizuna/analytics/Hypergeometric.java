package io.kizuna.analytics;

/** Gauss's hypergeometric function 2F1, which the BG/NBD conditional expectation (paper eq. 10) needs. */
final class Hypergeometric {
    private static final int MAX_TERMS = 1_000_000;
    private static final double RELATIVE_TOLERANCE = 1e-15;

    private Hypergeometric() {
    }

    /**
     * 2F1(a, b; c; z) by its power series, sum over n of (a)_n (b)_n / (c)_n z^n / n!, for 0 <= z < 1 and positive
     * a, b, c: then every term is positive, so the sum has no cancellation and stops once the terms shrink and the
     * last one no longer changes it. The series converges like z^n, slowly as z approaches 1 (for BG/NBD,
     * z = t / (alpha + T + t), near 1 only for horizons far longer than the history); it throws rather than answer
     * a truncated sum.
     */
    static double gauss2F1(double a, double b, double c, double z) {
        if (!(z >= 0 && z < 1) || !(a > 0 && b > 0 && c > 0)) {
            throw new IllegalArgumentException("2F1 series needs 0 <= z < 1 and a, b, c > 0: a=" + a + " b=" + b
                    + " c=" + c + " z=" + z);
        }
        double term = 1;
        double sum = 1;
        for (int n = 0; n < MAX_TERMS; n++) {
            double ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            sum += term;
            if (ratio < 1 && term <= RELATIVE_TOLERANCE * sum) {
                return sum;
            }
        }
        throw new ArithmeticException("2F1 series did not converge in " + MAX_TERMS + " terms at z=" + z);
    }
}
