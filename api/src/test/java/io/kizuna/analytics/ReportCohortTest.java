package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Monthly cohorts by first purchase and the customers of each cohort who purchased k months later. */
class ReportCohortTest {
    private static final YearMonth AS_OF = YearMonth.of(2025, 3);

    /**
     * As of March 2025 (the April purchases are ignored):
     * <ul>
     *   <li>hal: Dec 2024, Feb 2025 -> cohort Dec, active at offsets 0 and 2;</li>
     *   <li>ann: Jan 5, Jan 20, Feb 3; bo: Mar 1 (listed first), Jan 10; cy: Jan 31 -> cohort Jan of 3, active
     *       Jan 3 (ann's two January days count once), Feb 1 (ann), Mar 1 (bo);</li>
     *   <li>di: Feb 2, Feb 28, Mar 15; ed: Feb 14, Apr 1 -> cohort Feb of 2, active Feb 2, Mar 1 (di);</li>
     *   <li>fay: Mar 3 -> cohort Mar of 1; gus: Apr 2 only -> no cohort.</li>
     * </ul>
     * Rows: Dec 1 [1, 0, 1, 0]; Jan 3 [3, 1, 1] = 100%, 1/3, 1/3; Feb 2 [2, 1] = 100%, 50%; Mar 1 [1].
     */
    @Test
    void countsEachCohortsCustomersActiveInEachLaterMonth() {
        List<Purchase> purchases = List.of(
                purchase("hal", "2024-12-20"), purchase("hal", "2025-02-10"),
                purchase("ann", "2025-01-05"), purchase("ann", "2025-01-20"), purchase("ann", "2025-02-03"),
                purchase("bo", "2025-03-01"), purchase("bo", "2025-01-10"),
                purchase("cy", "2025-01-31"),
                purchase("di", "2025-02-02"), purchase("di", "2025-02-28"), purchase("di", "2025-03-15"),
                purchase("ed", "2025-02-14"), purchase("ed", "2025-04-01"),
                purchase("fay", "2025-03-03"),
                purchase("gus", "2025-04-02"));

        List<CohortRetention> rows = CohortRetention.of(purchases, AS_OF);

        assertEquals(List.of(
                new CohortRetention(YearMonth.of(2024, 12), 1, List.of(1, 0, 1, 0)),
                new CohortRetention(YearMonth.of(2025, 1), 3, List.of(3, 1, 1)),
                new CohortRetention(YearMonth.of(2025, 2), 2, List.of(2, 1)),
                new CohortRetention(YearMonth.of(2025, 3), 1, List.of(1))), rows);
        CohortRetention january = rows.get(1);
        assertEquals(1.0, january.share(0));
        assertEquals(1.0 / 3, january.share(1));
        assertEquals(1.0 / 3, january.share(2));
        assertEquals(0.5, rows.get(2).share(1));
        assertEquals(0.0, rows.get(0).share(1));
    }

    @Test
    void noPurchaseUpToTheAsOfMonthGivesNoCohort() {
        assertTrue(CohortRetention.of(List.of(purchase("gus", "2025-04-02")), AS_OF).isEmpty());
        assertTrue(CohortRetention.of(List.of(), AS_OF).isEmpty());
    }

    @Test
    void rejectsARowWhereOffsetZeroIsNotTheWholeCohort() {
        assertThrows(IllegalArgumentException.class,
                () -> new CohortRetention(YearMonth.of(2025, 1), 3, List.of(2, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new CohortRetention(YearMonth.of(2025, 1), 3, List.of(3, 4)));
    }

    private static Purchase purchase(String customerId, String date) {
        return new Purchase(customerId, LocalDate.parse(date), BigDecimal.TEN);
    }
}
