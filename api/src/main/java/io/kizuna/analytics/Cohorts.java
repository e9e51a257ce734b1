package io.kizuna.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monthly cohort retention for the recompute, counted in the single pass over member_day that reads every member's
 * purchase days (in member and day order), for every slice at once: member_day holds tens of millions of rows, too
 * many to group on every request. The table is {@link CohortRetention}'s: a member's cohort is the month of their
 * first purchase day, and each month they bought in counts once at its offset from the cohort.
 */
final class Cohorts {
    static final List<Slice> SLICES = List.of(Slice.ALL, Slice.AGE_BAND, Slice.GENDER, Slice.REGION, Slice.STORE);

    private final LocalDate today;
    private final YearMonth thisMonth;
    private final List<Map<String, Integer>> labelIds = new ArrayList<>();
    private final List<List<String>> labels = new ArrayList<>();
    private int[][] labelOfMember = new int[SLICES.size()][1024];
    private final Map<Key, int[]> active = new HashMap<>();
    private int member = -1;
    private YearMonth cohort;
    private YearMonth lastMonth;

    private record Key(int slice, int label, YearMonth cohort) {
    }

    Cohorts(LocalDate today) {
        this.today = today;
        this.thisMonth = YearMonth.from(today);
        for (int i = 0; i < SLICES.size(); i++) {
            labelIds.add(new HashMap<>());
            labels.add(new ArrayList<>());
        }
    }

    /** Notes which slice member {@code index} falls in, from its raw columns in {@link #SLICES} order (ALL's none). */
    void member(int index, Object... raw) {
        if (index == labelOfMember[0].length) {
            for (int i = 0; i < labelOfMember.length; i++) {
                labelOfMember[i] = Arrays.copyOf(labelOfMember[i], index * 2);
            }
        }
        for (int slice = 0; slice < SLICES.size(); slice++) {
            String label = SLICES.get(slice).label(slice == 0 ? null : raw[slice - 1], today);
            int number = slice;
            labelOfMember[slice][index] = labelIds.get(slice).computeIfAbsent(label, key -> {
                labels.get(number).add(key);
                return labels.get(number).size() - 1;
            });
        }
    }

    /** One purchase day of member {@code index}; days arrive in member order, then day order. */
    void day(int index, LocalDate day) {
        YearMonth month = YearMonth.from(day);
        if (index != member) {
            member = index;
            cohort = month;
            lastMonth = null;
        }
        if (month.equals(lastMonth)) {
            return;
        }
        lastMonth = month;
        int offset = (int) cohort.until(month, ChronoUnit.MONTHS);
        for (int slice = 0; slice < SLICES.size(); slice++) {
            active.computeIfAbsent(new Key(slice, labelOfMember[slice][index], cohort),
                    key -> new int[(int) key.cohort().until(thisMonth, ChronoUnit.MONTHS) + 1])[offset]++;
        }
    }

    /** One report per slice, named "cohorts-" and the slice's parameter. */
    Map<String, Report> reports(Instant asOf, Instant computedAt) {
        Map<String, Report> reports = new LinkedHashMap<>();
        for (int slice = 0; slice < SLICES.size(); slice++) {
            int number = slice;
            Report.Builder report = new Report.Builder("cohorts", "slice", "cohort", "monthOffset", "cohortSize",
                    "activeMembers", "share")
                    .header("asOf", Freshness.text(asOf)).header("computedAt", Freshness.text(computedAt))
                    .header("by", SLICES.get(slice).parameter());
            active.entrySet().stream().filter(entry -> entry.getKey().slice() == number)
                    .sorted(Comparator.comparing((Map.Entry<Key, int[]> entry) ->
                                    labels.get(number).get(entry.getKey().label()))
                            .thenComparing(entry -> entry.getKey().cohort()))
                    .forEach(entry -> rows(report, labels.get(number).get(entry.getKey().label()),
                            entry.getKey().cohort(), entry.getValue()));
            reports.put("cohorts-" + SLICES.get(slice).parameter(), report.build());
        }
        return reports;
    }

    private static void rows(Report.Builder report, String label, YearMonth month, int[] active) {
        List<Integer> byMonth = new ArrayList<>(active.length);
        for (int count : active) {
            byMonth.add(count);
        }
        CohortRetention cohort = new CohortRetention(month, active[0], byMonth);
        for (int offset = 0; offset < active.length; offset++) {
            report.row(label, month.toString(), offset, cohort.cohortSize(), active[offset], cohort.share(offset));
        }
    }
}
