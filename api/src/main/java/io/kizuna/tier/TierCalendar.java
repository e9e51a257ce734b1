package io.kizuna.tier;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * Months and review dates in the program's zone. The window is whole calendar months: the current one and the
 * {@code windowMonths - 1} before it. Reviews fall on the first day of every {@code reviewIntervalMonths}-th month
 * (counted from January), at midnight.
 */
record TierCalendar(ZoneId zone, int windowMonths, int reviewIntervalMonths) {
    YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atZone(zone));
    }

    /** The first month of the window that ends with the month of {@code instant}. */
    YearMonth windowStart(Instant instant) {
        return monthOf(instant).minusMonths(windowMonths - 1L);
    }

    /** The first review strictly after {@code instant}. */
    Instant nextReview(Instant instant) {
        YearMonth month = monthOf(instant).plusMonths(1);
        while (!isReviewMonth(month)) {
            month = month.plusMonths(1);
        }
        return start(month);
    }

    /** The latest review date at or before {@code instant}. */
    Instant latestReview(Instant instant) {
        YearMonth month = monthOf(instant);
        while (!isReviewMonth(month)) {
            month = month.minusMonths(1);
        }
        return start(month);
    }

    /** The start of the day on which a grace period that began at {@code marked} is over. */
    Instant graceOver(Instant marked, java.time.Period grace) {
        return marked.atZone(zone).toLocalDate().plus(grace).atStartOfDay(zone).toInstant();
    }

    Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    private boolean isReviewMonth(YearMonth month) {
        return (month.getMonthValue() - 1) % reviewIntervalMonths == 0;
    }
}
