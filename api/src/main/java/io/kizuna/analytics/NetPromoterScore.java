package io.kizuna.analytics;

import java.time.YearMonth;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Net Promoter Score of a set of answers: promoters score 9 or 10, passives 7 or 8, detractors 0 to 6, and
 * NPS = 100 * (promoters - detractors) / answers, from -100 (all detractors) to 100 (all promoters).
 *
 * @param answers    the number of answers, at least 1
 * @param promoters  answers scoring 9 or 10
 * @param passives   answers scoring 7 or 8
 * @param detractors answers scoring 0 to 6
 */
public record NetPromoterScore(int answers, int promoters, int passives, int detractors) {
    private static final int LOWEST_PROMOTER_SCORE = 9;
    private static final int LOWEST_PASSIVE_SCORE = 7;

    public NetPromoterScore {
        if (answers < 1 || promoters < 0 || passives < 0 || detractors < 0
                || promoters + passives + detractors != answers) {
            throw new IllegalArgumentException("need at least one answer, each a promoter, passive or detractor: "
                    + answers + " = " + promoters + " + " + passives + " + " + detractors);
        }
    }

    /**
     * 100 * (promoters - detractors) / answers, computed from the counts as one division, so a whole-number NPS is
     * exact (3 promoters and 1 detractor of 4 answers give exactly 50.0).
     */
    public double score() {
        return 100.0 * (promoters - detractors) / answers;
    }

    /** The NPS of each month with at least one answer, in order of month; months without answers are absent. */
    public static SortedMap<YearMonth, NetPromoterScore> byMonth(Collection<NpsAnswer> answers) {
        TreeMap<YearMonth, Counts> countsByMonth = new TreeMap<>();
        for (NpsAnswer answer : answers) {
            countsByMonth.computeIfAbsent(YearMonth.from(answer.date()), month -> new Counts()).add(answer.score());
        }
        TreeMap<YearMonth, NetPromoterScore> scores = new TreeMap<>();
        countsByMonth.forEach((month, counts) -> scores.put(month, counts.toScore()));
        return Collections.unmodifiableSortedMap(scores);
    }

    /** The NPS of all the answers together, whatever their month; empty when there is no answer. */
    public static Optional<NetPromoterScore> overall(Collection<NpsAnswer> answers) {
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        Counts counts = new Counts();
        answers.forEach(answer -> counts.add(answer.score()));
        return Optional.of(counts.toScore());
    }

    private static final class Counts {
        private int promoters;
        private int passives;
        private int detractors;

        void add(int score) {
            if (score >= LOWEST_PROMOTER_SCORE) {
                promoters++;
            } else if (score >= LOWEST_PASSIVE_SCORE) {
                passives++;
            } else {
                detractors++;
            }
        }

        NetPromoterScore toScore() {
            return new NetPromoterScore(promoters + passives + detractors, promoters, passives, detractors);
        }
    }
}
