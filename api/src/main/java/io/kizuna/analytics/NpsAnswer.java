package io.kizuna.analytics;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One answer to "how likely are you to recommend us", on the day it was given.
 *
 * @param score from 0 (not at all likely) to 10 (extremely likely)
 * @param date  the day of the answer; its month is the month the answer is reported in
 */
public record NpsAnswer(int score, LocalDate date) {
    public NpsAnswer {
        Objects.requireNonNull(date, "date");
        if (score < 0 || score > 10) {
            throw new IllegalArgumentException("need a score from 0 to 10: " + score);
        }
    }
}
