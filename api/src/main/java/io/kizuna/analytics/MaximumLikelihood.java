package io.kizuna.analytics;

import java.util.function.ToDoubleFunction;

import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over strictly positive parameters by running Nelder-Mead on their logarithms. Nelder-Mead
 * can stall on a collapsed simplex, so it restarts from its own answer with a fresh simplex until a restart no
 * longer improves the likelihood.
 */
final class MaximumLikelihood {
    private static final int MAX_RESTARTS = 20;
    private static final int MAX_EVALUATIONS_PER_RUN = 20_000;
    private static final double IMPROVEMENT_TOLERANCE = 1e-9;

    private MaximumLikelihood() {
    }

    /**
     * @param logLikelihood of the parameters (not their logarithms); may answer NaN or an infinity where undefined
     * @param start         positive starting parameters
     * @return the parameters of the highest likelihood found
     */
    static double[] maximise(ToDoubleFunction<double[]> logLikelihood, double... start) {
        ObjectiveFunction objective = new ObjectiveFunction(logParameters -> {
            double value = logLikelihood.applyAsDouble(exponentials(logParameters));
            return Double.isFinite(value) ? value : Double.NEGATIVE_INFINITY;
        });
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-12, 1e-10);
        double[] best = logarithms(start);
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int run = 0; run < MAX_RESTARTS; run++) {
            PointValuePair found = optimizer.optimize(new MaxEval(MAX_EVALUATIONS_PER_RUN), objective,
                    GoalType.MAXIMIZE, new InitialGuess(best), new NelderMeadSimplex(best.length, 0.5));
            boolean improved = found.getValue() > bestValue + IMPROVEMENT_TOLERANCE;
            if (found.getValue() > bestValue) {
                best = found.getPoint();
                bestValue = found.getValue();
            }
            if (!improved) {
                break;
            }
        }
        if (!Double.isFinite(bestValue)) {
            throw new ArithmeticException("the log-likelihood is not finite anywhere the optimiser looked");
        }
        return exponentials(best);
    }

    private static double[] exponentials(double[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.exp(values[i]);
        }
        return result;
    }

    private static double[] logarithms(double[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0)) {
                throw new IllegalArgumentException("starting parameters must be positive: " + values[i]);
            }
            result[i] = Math.log(values[i]);
        }
        return result;
    }
}
