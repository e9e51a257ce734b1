package io.kizuna.segment;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * When a segment is evaluated: today in the program's zone, and the program's tiers as they stand. Instants in the
 * database are UTC, so day boundaries are turned into UTC times here and compared with the indexed columns as they
 * are (no per-row conversion).
 */
public record Evaluation(LocalDate today, ZoneId zone, TierTerms tiers) {
    /** The first instant of {@code day} in the program's zone, as the UTC date-time the database stores. */
    public LocalDateTime startOfDay(LocalDate day) {
        return LocalDateTime.ofInstant(day.atStartOfDay(zone).toInstant(), ZoneOffset.UTC);
    }

    /** The first day of a window of the last {@code days} days, today included. */
    public LocalDate windowStart(int days) {
        return today.minusDays(days - 1L);
    }
}
