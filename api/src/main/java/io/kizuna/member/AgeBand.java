package io.kizuna.member;

import java.time.LocalDate;
import java.time.Period;

/** Ten-year age bands, as reports slice members: "under 20", "20-29", ..., "70+"; "unknown" without a birth date. */
public final class AgeBand {
    public static final String UNKNOWN = "unknown";

    private AgeBand() {
    }

    public static String of(LocalDate birthDate, LocalDate today) {
        if (birthDate == null) {
            return UNKNOWN;
        }
        int age = Period.between(birthDate, today).getYears();
        if (age < 20) {
            return "under 20";
        }
        if (age >= 70) {
            return "70+";
        }
        int decade = age / 10 * 10;
        return decade + "-" + (decade + 9);
    }
}
