package io.kizuna.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's purchase history reduced to what the BG/NBD and Gamma-Gamma models read, in weeks (days / 7) from the
 * customer's first purchase.
 *
 * @param customerId      whose history this is
 * @param repeatPurchases x: the number of distinct purchase days after the first one
 * @param recencyWeeks    t_x: when the last purchase happened (0 when there was no repeat purchase)
 * @param ageWeeks        T: from the first purchase to the calibration end date
 * @param meanRepeatSpend m: the mean amount of the repeat purchase days, the first day left out (0 when x = 0)
 */
public record CustomerSummary(
        String customerId, int repeatPurchases, double recencyWeeks, double ageWeeks, double meanRepeatSpend) {
    private static final double DAYS_PER_WEEK = 7.0;

    public CustomerSummary {
        if (repeatPurchases < 0 || recencyWeeks < 0 || ageWeeks < recencyWeeks) {
            throw new IllegalArgumentException("need x >= 0 and 0 <= t_x <= T: x=" + repeatPurchases
                    + " t_x=" + recencyWeeks + " T=" + ageWeeks);
        }
    }

    /** Whether the customer bought again after the first day: only these are fed to the Gamma-Gamma spend model. */
    public boolean isRepeater() {
        return repeatPurchases > 0;
    }

    /**
     * Summarises purchases up to and including {@code calibrationEnd}; later ones are ignored. Purchases on the same
     * day count as one whose amount is their sum. T counts whole days from the first purchase to
     * {@code calibrationEnd}, the convention of the lifetimes library and of the published CDNOW summary (a customer
     * who first bought on 1997-01-01 has T = 272 / 7 = 38.86 weeks at 1997-09-30).
     *
     * @return one summary per customer with a purchase in the period, in order of customer id
     */
    public static List<CustomerSummary> of(Collection<Purchase> purchases, LocalDate calibrationEnd) {
        Map<String, TreeMap<LocalDate, BigDecimal>> spendByDayOfCustomer = new LinkedHashMap<>();
        for (Purchase purchase : purchases) {
            if (!purchase.date().isAfter(calibrationEnd)) {
                spendByDayOfCustomer.computeIfAbsent(purchase.customerId(), id -> new TreeMap<>())
                        .merge(purchase.date(), purchase.amount(), BigDecimal::add);
            }
        }
        List<CustomerSummary> summaries = new ArrayList<>(spendByDayOfCustomer.size());
        spendByDayOfCustomer.forEach((customerId, spendByDay) ->
                summaries.add(ofDays(customerId, spendByDay, calibrationEnd)));
        summaries.sort(Comparator.comparing(CustomerSummary::customerId));
        return summaries;
    }

    private static CustomerSummary ofDays(
            String customerId, TreeMap<LocalDate, BigDecimal> spendByDay, LocalDate calibrationEnd) {
        LocalDate first = spendByDay.firstKey();
        int repeatPurchases = spendByDay.size() - 1;
        BigDecimal repeatSpend = spendByDay.tailMap(first, false).values().stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        double meanRepeatSpend = repeatPurchases == 0 ? 0 : repeatSpend.doubleValue() / repeatPurchases;
        return new CustomerSummary(customerId, repeatPurchases, weeksBetween(first, spendByDay.lastKey()),
                weeksBetween(first, calibrationEnd), meanRepeatSpend);
    }

    private static double weeksBetween(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) / DAYS_PER_WEEK;
    }
}
