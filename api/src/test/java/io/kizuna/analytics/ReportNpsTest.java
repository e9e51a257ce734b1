package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Net Promoter Score per month and overall: 100 * (promoters 9-10 - detractors 0-6) / answers. */
class ReportNpsTest {
    /**
     * January: 10, 9, 8, 6, 0, 9 -> 3 promoters, 1 passive, 2 detractors of 6: NPS 100 * 1 / 6 = 16.67.
     * February: 7, 10, 9, 5 -> 2 promoters, 1 passive, 1 detractor of 4: NPS 100 * 1 / 4 = 25.
     * Overall: 5 promoters, 2 passives, 3 detractors of 10: NPS 100 * 2 / 10 = 20.
     */
    @Test
    void scoresEachMonthAndAllAnswersTogether() {
        List<NpsAnswer> answers = new ArrayList<>();
        for (int score : new int[] {10, 9, 8, 6, 0, 9}) {
            answers.add(new NpsAnswer(score, LocalDate.of(2025, 1, 1 + score)));
        }
        for (int score : new int[] {7, 10, 9, 5}) {
            answers.add(new NpsAnswer(score, LocalDate.of(2025, 2, 28 - score)));
        }

        Map<YearMonth, NetPromoterScore> byMonth = NetPromoterScore.byMonth(answers);
        NetPromoterScore overall = NetPromoterScore.overall(answers).orElseThrow();

        assertEquals(List.of(YearMonth.of(2025, 1), YearMonth.of(2025, 2)), List.copyOf(byMonth.keySet()));
        assertEquals(new NetPromoterScore(6, 3, 1, 2), byMonth.get(YearMonth.of(2025, 1)));
        assertEquals(100.0 / 6, byMonth.get(YearMonth.of(2025, 1)).score());
        assertEquals(new NetPromoterScore(4, 2, 1, 1), byMonth.get(YearMonth.of(2025, 2)));
        assertEquals(25.0, byMonth.get(YearMonth.of(2025, 2)).score());
        assertEquals(new NetPromoterScore(10, 5, 2, 3), overall);
        assertEquals(20.0, overall.score());
    }

    @Test
    void allDetractorsScoreMinusOneHundredAndAllPromotersOneHundred() {
        LocalDate day = LocalDate.of(2025, 5, 5);
        assertEquals(-100.0, NetPromoterScore.overall(List.of(new NpsAnswer(6, day))).orElseThrow().score());
        assertEquals(100.0, NetPromoterScore.overall(List.of(new NpsAnswer(9, day))).orElseThrow().score());
        assertEquals(0.0, NetPromoterScore.overall(List.of(new NpsAnswer(7, day))).orElseThrow().score());
    }

    @Test
    void noAnswersGiveNoScore() {
        assertEquals(Optional.empty(), NetPromoterScore.overall(List.of()));
        assertTrue(NetPromoterScore.byMonth(List.of()).isEmpty());
    }

    @Test
    void rejectsScoresOutsideZeroToTen() {
        LocalDate day = LocalDate.of(2025, 5, 5);
        assertThrows(IllegalArgumentException.class, () -> new NpsAnswer(11, day));
        assertThrows(IllegalArgumentException.class, () -> new NpsAnswer(-1, day));
        assertThrows(IllegalArgumentException.class, () -> new NetPromoterScore(0, 0, 0, 0));
    }
}
