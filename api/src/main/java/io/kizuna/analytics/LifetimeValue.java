package io.kizuna.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifetime value for the recompute: BG/NBD and Gamma-Gamma fitted by maximum likelihood on an even sample of at most
 * {@code maxFitMembers} members (the likelihood is a sum over members, so a large even sample gives the same fit at
 * a fraction of the time), then each member's probability of being alive, expected purchases over the horizon and
 * predicted value (expected purchases times expected spend per purchase).
 *
 * <p>A member's history is summarised as {@link CustomerSummary#of} does (purchase days, weeks = days / 7, the
 * first day's spend left out of m) from the recompute's arrays, which hold the same days without the objects.
 */
final class LifetimeValue {
    private final double horizonWeeks;
    private final int maxFitMembers;

    LifetimeValue(double horizonWeeks, int maxFitMembers) {
        this.horizonWeeks = horizonWeeks;
        this.maxFitMembers = maxFitMembers;
    }

    /** Fits, fills the members' lifetime-value arrays, and answers the report header with the fitted models. */
    Report.Builder fitAndPredict(MemberTable members, LocalDate calibrationEnd) {
        List<CustomerSummary> sample = new ArrayList<>();
        int withPurchases = 0;
        for (int index = 0; index < members.size; index++) {
            withPurchases += members.days[index] > 0 ? 1 : 0;
        }
        int stride = Math.max(1, (withPurchases + maxFitMembers - 1) / maxFitMembers);
        int seen = 0;
        for (int index = 0; index < members.size; index++) {
            if (members.days[index] > 0 && seen++ % stride == 0) {
                sample.add(summary(members, index, calibrationEnd));
            }
        }
        Report.Builder report = new Report.Builder("clv")
                .header("calibrationEnd", calibrationEnd.toString()).header("horizonWeeks", horizonWeeks);
        BgNbd purchasing = null;
        GammaGamma spending = null;
        List<String> problems = new ArrayList<>();
        try {
            purchasing = BgNbd.fit(sample);
        } catch (RuntimeException e) {
            problems.add("BG/NBD could not be fitted: " + e.getMessage());
        }
        List<CustomerSummary> repeaters = sample.stream()
                .filter(customer -> customer.isRepeater() && customer.meanRepeatSpend() > 0).toList();
        try {
            spending = GammaGamma.fit(repeaters);
            if (!(spending.q() > 1)) {
                problems.add("Gamma-Gamma gives no expected spend for q <= 1");
            }
        } catch (RuntimeException e) {
            problems.add("Gamma-Gamma could not be fitted: " + e.getMessage());
        }
        report.header("bgNbd", purchasing == null ? null : bgNbd(purchasing, sample))
                .header("gammaGamma", spending == null ? null : gammaGamma(spending, repeaters))
                .header("problems", problems);
        if (purchasing != null) {
            predict(members, calibrationEnd, purchasing, spending != null && spending.q() > 1 ? spending : null);
        }
        return report;
    }

    private void predict(MemberTable members, LocalDate calibrationEnd, BgNbd purchasing, GammaGamma spending) {
        for (int index = 0; index < members.size; index++) {
            if (members.days[index] == 0) {
                continue;
            }
            CustomerSummary customer = summary(members, index, calibrationEnd);
            members.probabilityAlive[index] = purchasing.probabilityAlive(customer);
            try {
                members.expectedPurchases[index] = purchasing.expectedPurchases(customer, horizonWeeks);
            } catch (RuntimeException e) {
                continue; // the formula has no answer for this history under this fit: left empty
            }
            if (spending != null) {
                members.predictedValue[index] = members.expectedPurchases[index]
                        * spending.expectedAverageSpend(customer);
            }
        }
    }

    static CustomerSummary summary(MemberTable members, int index, LocalDate calibrationEnd) {
        int repeatDays = members.days[index] - 1;
        return new CustomerSummary(MemberTable.name(index), repeatDays,
                (members.lastDay[index] - members.firstDay[index]) / 7.0,
                (calibrationEnd.toEpochDay() - members.firstDay[index]) / 7.0,
                repeatDays == 0 ? 0 : (double) members.repeatSpend[index] / repeatDays);
    }

    private static Map<String, Object> bgNbd(BgNbd model, List<CustomerSummary> customers) {
        Map<String, Object> fitted = new LinkedHashMap<>();
        fitted.put("r", model.r());
        fitted.put("alpha", model.alpha());
        fitted.put("a", model.a());
        fitted.put("b", model.b());
        fitted.put("logLikelihood", model.logLikelihood(customers));
        fitted.put("members", customers.size());
        return fitted;
    }

    private static Map<String, Object> gammaGamma(GammaGamma model, List<CustomerSummary> repeaters) {
        Map<String, Object> fitted = new LinkedHashMap<>();
        fitted.put("p", model.p());
        fitted.put("q", model.q());
        fitted.put("gamma", model.gamma());
        fitted.put("logLikelihood", model.logLikelihood(repeaters));
        fitted.put("members", repeaters.size());
        return fitted;
    }
}
