package io.kizuna.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One step of the purchase drop-off funnel: of the customers with at least n purchase days, how many came back for
 * at least n + 1.
 *
 * <p>Purchases are counted as purchase days per customer: several purchases by one customer on the same day count
 * as one, as the analytics issue asks ("repeat purchases with same-day purchases merged") and as
 * {@link CustomerSummary} counts them. {@link Rfm} counts orders instead.
 *
 * @param purchaseDays             n, 1 or more
 * @param customersWithAtLeast     customers with at least n purchase days
 * @param customersWithAtLeastNext customers with at least n + 1 purchase days, a subset of the former
 */
public record PurchaseDropOff(int purchaseDays, int customersWithAtLeast, int customersWithAtLeastNext) {
    /** The funnel reports n = 1 to this many purchase days. */
    public static final int MAX_PURCHASE_DAYS = 10;

    public PurchaseDropOff {
        if (purchaseDays < 1 || customersWithAtLeastNext < 0 || customersWithAtLeast < customersWithAtLeastNext) {
            throw new IllegalArgumentException("need n >= 1 and 0 <= next count <= count: n=" + purchaseDays
                    + " count=" + customersWithAtLeast + " next=" + customersWithAtLeastNext);
        }
    }

    /**
     * The share of the customers with at least n purchase days who made at least n + 1, between 0 and 1; empty when
     * no customer made n purchase days, so the report never carries NaN.
     */
    public OptionalDouble share() {
        return customersWithAtLeast == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of((double) customersWithAtLeastNext / customersWithAtLeast);
    }

    /**
     * The funnel for n = 1 to {@link #MAX_PURCHASE_DAYS} over all the given purchases.
     *
     * @return exactly {@link #MAX_PURCHASE_DAYS} steps in order of n; steps past the most loyal customer hold zeros
     */
    public static List<PurchaseDropOff> of(Collection<Purchase> purchases) {
        Map<String, Set<LocalDate>> daysOfCustomer = new HashMap<>();
        for (Purchase purchase : purchases) {
            daysOfCustomer.computeIfAbsent(purchase.customerId(), id -> new HashSet<>()).add(purchase.date());
        }
        // customersWithAtLeast[n] for n = 0 .. MAX + 1; a customer with d days counts for every n <= d
        int[] customersWithAtLeast = new int[MAX_PURCHASE_DAYS + 2];
        for (Set<LocalDate> days : daysOfCustomer.values()) {
            for (int n = 1; n <= Math.min(days.size(), MAX_PURCHASE_DAYS + 1); n++) {
                customersWithAtLeast[n]++;
            }
        }
        List<PurchaseDropOff> steps = new ArrayList<>(MAX_PURCHASE_DAYS);
        for (int n = 1; n <= MAX_PURCHASE_DAYS; n++) {
            steps.add(new PurchaseDropOff(n, customersWithAtLeast[n], customersWithAtLeast[n + 1]));
        }
        return steps;
    }
}
