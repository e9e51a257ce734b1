package io.kizuna.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;

import io.kizuna.member.AgeBand;
import org.junit.jupiter.api.Test;

/** The age band criterion's birth-date ranges agree with {@link AgeBand} on every day, leap days included. */
class AgeBandCriterionTest {
    @Test
    void everyBirthDateFallsInExactlyTheBandThatAgeBandGivesIt() {
        List<LocalDate> todays = List.of(LocalDate.parse("2026-07-10"), LocalDate.parse("2028-02-29"),
                LocalDate.parse("2027-02-28"), LocalDate.parse("2027-03-01"), LocalDate.parse("2026-12-31"));
        for (LocalDate today : todays) {
            for (LocalDate born = today.minusYears(85); !born.isAfter(today); born = born.plusDays(1)) {
                String expected = AgeBand.of(born, today);
                int matches = 0;
                for (String band : Criterion.AgeBands.KNOWN) {
                    if (!band.equals(AgeBand.UNKNOWN) && contains(Criterion.AgeBands.born(band, today), born)) {
                        matches++;
                        assertEquals(expected, band, "born " + born + ", today " + today);
                    }
                }
                assertEquals(1, matches, "born " + born + ", today " + today);
            }
        }
    }

    private static boolean contains(Criterion.AgeBands.Born range, LocalDate born) {
        return (range.after() == null || born.isAfter(range.after()))
                && (range.onOrBefore() == null || !born.isAfter(range.onOrBefore()));
    }
}
