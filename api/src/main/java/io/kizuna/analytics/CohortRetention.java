package io.kizuna.analytics;

import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One row of the monthly cohort retention table: the customers whose first purchase fell in {@code cohort}, and for
 * each month offset k how many of them purchased in month cohort + k.
 *
 * <p>Only purchases in or before the "as of" month are read, so a customer whose first purchase is later belongs
 * to no cohort. Offsets run from 0 to the number of months from the cohort to the "as of" month, so older cohorts
 * have longer rows. At offset 0 every cohort customer purchased, by definition of the cohort.
 *
 * @param cohort                 the month of the first purchase of these customers
 * @param cohortSize             the number of customers in the cohort, at least 1
 * @param customersActiveByMonth element k: the cohort customers with a purchase in month cohort + k;
 *                               element 0 equals the cohort size
 */
public record CohortRetention(YearMonth cohort, int cohortSize, List<Integer> customersActiveByMonth) {
    public CohortRetention {
        Objects.requireNonNull(cohort, "cohort");
        customersActiveByMonth = List.copyOf(customersActiveByMonth);
        if (cohortSize < 1 || customersActiveByMonth.isEmpty() || customersActiveByMonth.getFirst() != cohortSize
                || customersActiveByMonth.stream().anyMatch(active -> active < 0 || active > cohortSize)) {
            throw new IllegalArgumentException("need a cohort of at least 1, all active at offset 0 and never more"
                    + " than the cohort later: size=" + cohortSize + " active=" + customersActiveByMonth);
        }
    }

    /** The share of the cohort active in month cohort + {@code monthOffset}, between 0 and 1 (1 at offset 0). */
    public double share(int monthOffset) {
        return (double) customersActiveByMonth.get(monthOffset) / cohortSize;
    }

    /**
     * The retention table of the given purchases up to and including {@code asOf}.
     *
     * @return one row per cohort with a customer, in order of month; empty when there is no purchase up to asOf
     */
    public static List<CohortRetention> of(Collection<Purchase> purchases, YearMonth asOf) {
        Objects.requireNonNull(asOf, "asOf");
        Map<String, Set<YearMonth>> monthsOfCustomer = new HashMap<>();
        for (Purchase purchase : purchases) {
            YearMonth month = YearMonth.from(purchase.date());
            if (!month.isAfter(asOf)) {
                monthsOfCustomer.computeIfAbsent(purchase.customerId(), id -> new HashSet<>()).add(month);
            }
        }
        TreeMap<YearMonth, int[]> activeByCohort = new TreeMap<>();
        for (Set<YearMonth> months : monthsOfCustomer.values()) {
            YearMonth cohort = months.stream().min(YearMonth::compareTo).orElseThrow();
            int[] active = activeByCohort.computeIfAbsent(cohort,
                    c -> new int[(int) c.until(asOf, ChronoUnit.MONTHS) + 1]);
            for (YearMonth month : months) {
                active[(int) cohort.until(month, ChronoUnit.MONTHS)]++;
            }
        }
        List<CohortRetention> rows = new ArrayList<>(activeByCohort.size());
        activeByCohort.forEach((cohort, active) -> rows.add(new CohortRetention(cohort, active[0], toList(active))));
        return rows;
    }

    private static List<Integer> toList(int[] counts) {
        List<Integer> list = new ArrayList<>(counts.length);
        for (int count : counts) {
            list.add(count);
        }
        return list;
    }
}
