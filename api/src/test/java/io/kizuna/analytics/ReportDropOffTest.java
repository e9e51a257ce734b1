package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

/** The purchase drop-off funnel: of the customers with at least n purchase days, those with at least n + 1. */
class ReportDropOffTest {
    private static final LocalDate DAY_ONE = LocalDate.of(2025, 3, 1);

    /**
     * Five customers with 1, 1, 2, 3 and 5 purchase days; ann bought twice on her one day, cy twice on his first.
     * At least n days: n=1: 5, n=2: 3, n=3: 2, n=4: 1, n=5: 1, n=6: 0. So the steps are 5 -> 3 (0.6), 3 -> 2 (2/3),
     * 2 -> 1 (0.5), 1 -> 1 (1.0), 1 -> 0 (0.0), then 0 -> 0 with no share for n = 6 to 10.
     */
    @Test
    void countsCustomersReachingEachNumberOfPurchaseDaysWithSameDayPurchasesMerged() {
        List<Purchase> purchases = new ArrayList<>();
        purchases.addAll(purchasesOnDays("ann", 1));
        purchases.addAll(purchasesOnDays("ann", 1));
        purchases.addAll(purchasesOnDays("bo", 1));
        purchases.addAll(purchasesOnDays("cy", 2));
        purchases.addAll(purchasesOnDays("cy", 1));
        purchases.addAll(purchasesOnDays("di", 3));
        purchases.addAll(purchasesOnDays("ed", 5));

        List<PurchaseDropOff> steps = PurchaseDropOff.of(purchases);

        assertEquals(10, steps.size());
        assertEquals(new PurchaseDropOff(1, 5, 3), steps.get(0), "ann's two same-day purchases are one day");
        assertEquals(new PurchaseDropOff(2, 3, 2), steps.get(1), "cy's two same-day purchases are one day");
        assertEquals(new PurchaseDropOff(3, 2, 1), steps.get(2));
        assertEquals(new PurchaseDropOff(4, 1, 1), steps.get(3));
        assertEquals(new PurchaseDropOff(5, 1, 0), steps.get(4));
        for (int n = 6; n <= 10; n++) {
            assertEquals(new PurchaseDropOff(n, 0, 0), steps.get(n - 1));
        }
        assertEquals(OptionalDouble.of(0.6), steps.get(0).share());
        assertEquals(OptionalDouble.of(2.0 / 3), steps.get(1).share());
        assertEquals(OptionalDouble.of(0.5), steps.get(2).share());
        assertEquals(OptionalDouble.of(1.0), steps.get(3).share());
        assertEquals(OptionalDouble.of(0.0), steps.get(4).share());
        assertTrue(steps.get(5).share().isEmpty(), "no customer reached 6 days, so there is no share");
    }

    /** One customer with 12 days: at least 10 days and at least 11, so the last step is 1 -> 1. */
    @Test
    void theLastStepCountsCustomersBeyondTenDays() {
        List<PurchaseDropOff> steps = PurchaseDropOff.of(purchasesOnDays("fay", 12));

        assertEquals(new PurchaseDropOff(10, 1, 1), steps.getLast());
        assertEquals(OptionalDouble.of(1.0), steps.getLast().share());
    }

    @Test
    void noPurchasesGiveTenEmptySteps() {
        List<PurchaseDropOff> steps = PurchaseDropOff.of(List.of());

        assertEquals(10, steps.size());
        assertTrue(steps.stream().allMatch(step -> step.customersWithAtLeast() == 0 && step.share().isEmpty()));
    }

    @Test
    void rejectsMoreReturningCustomersThanStarted() {
        assertThrows(IllegalArgumentException.class, () -> new PurchaseDropOff(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new PurchaseDropOff(0, 1, 1));
    }

    /** One purchase on each of the first {@code days} days from DAY_ONE. */
    private static List<Purchase> purchasesOnDays(String customerId, int days) {
        List<Purchase> purchases = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            purchases.add(new Purchase(customerId, DAY_ONE.plusDays(day), BigDecimal.ONE));
        }
        return purchases;
    }
}
