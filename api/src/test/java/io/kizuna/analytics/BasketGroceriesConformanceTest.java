package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.kizuna.analytics.AssociationRules.Criteria;
import io.kizuna.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arules "Groceries" baskets, read in place from the shared conformance data: FP-Growth finds exactly the
 * itemsets, with exactly the counts, of a brute-force count of every subset of up to four items of every basket.
 *
 * <p>Labels are trimmed: "cream cheese " and "roll products " end in a space in the file, an artefact of the export;
 * no untrimmed label equals a trimmed one, so trimming merges nothing (checked below). The brute force reads the
 * same parsed baskets.
 */
class BasketGroceriesConformanceTest {
    private static final int LARGEST_COUNTED = 4;

    private static List<Set<String>> baskets;
    /** Brute force: every subset of up to four labels of every basket, labels in order, with its count. */
    private static Map<List<String>, Integer> countOfSubset;

    @BeforeAll
    static void readTheBasketsAndCountEverySmallSubset() throws IOException {
        baskets = new ArrayList<>();
        Set<String> untrimmed = new TreeSet<>();
        for (String line : Files.readAllLines(SharedData.folder("analytics").resolve("groceries.csv"))) {
            Set<String> basket = new TreeSet<>();
            for (String label : line.split(",")) {
                untrimmed.add(label);
                basket.add(label.trim());
            }
            baskets.add(basket);
        }
        Set<String> trimmed = new TreeSet<>();
        untrimmed.forEach(label -> trimmed.add(label.trim()));
        assertEquals(untrimmed.size(), trimmed.size(), "trimming must not merge two labels");
        assertEquals(169, trimmed.size(), "distinct labels");
        countOfSubset = new HashMap<>();
        for (Set<String> basket : baskets) {
            countSubsets(new ArrayList<>(basket), 0, new ArrayList<>());
        }
    }

    @Test
    void thereAre9835Baskets() {
        assertEquals(9835, baskets.size());
    }

    @Test
    void wholeMilkIsTheMostFrequentItem() {
        FrequentItemsets itemsets = FrequentItemsets.mine(baskets, 0.01);
        FrequentItemset top = itemsets.all().getFirst();

        assertEquals(List.of("whole milk"), top.items());
        assertEquals(countOfSubset.get(List.of("whole milk")), top.count());
        assertEquals(2513, top.count());
        assertEquals(0.2555, top.support(), 0.00005);
    }

    @ParameterizedTest(name = "support {0}, at most {1} items")
    @CsvSource({"0.01, 2147483647", "0.02, 2147483647", "0.005, 4", "0.01, 2"})
    void fpGrowthFindsExactlyTheBruteForceItemsetsAndCounts(double minimumSupport, int maximumSize) {
        int minimumCount = (int) Math.ceil(minimumSupport * baskets.size());
        Map<List<String>, Integer> expected = new TreeMap<>(BasketGroceriesConformanceTest::compareLabels);
        countOfSubset.forEach((items, count) -> {
            if (count >= minimumCount && items.size() <= maximumSize) {
                expected.put(items, count);
            }
        });
        if (maximumSize > LARGEST_COUNTED) {
            assertTrue(expected.keySet().stream().noneMatch(items -> items.size() == LARGEST_COUNTED),
                    "no frequent itemset of 4 items, so none larger either, and the brute force saw them all");
        }

        Map<List<String>, Integer> actual = new TreeMap<>(BasketGroceriesConformanceTest::compareLabels);
        for (FrequentItemset itemset : FrequentItemsets.mine(baskets, minimumSupport, maximumSize).all()) {
            assertEquals((double) itemset.count() / baskets.size(), itemset.support(), 1e-15, itemset.toString());
            assertEquals(null, actual.put(itemset.items(), itemset.count()), "reported twice: " + itemset);
        }

        assertEquals(expected, actual);
    }

    @Test
    void rulesCarryConfidenceAndLiftRecomputedFromTheBruteForceCounts() {
        List<AssociationRule> rules = AssociationRules.of(
                FrequentItemsets.mine(baskets, 0.01), Criteria.singleItemConsequent(0.5));

        Map<String, double[]> expected = new TreeMap<>();
        countOfSubset.forEach((items, count) -> {
            if (count >= 99 && items.size() >= 2) {
                for (String consequent : items) {
                    List<String> antecedent = items.stream().filter(item -> !item.equals(consequent)).toList();
                    double confidence = (double) count / countOfSubset.get(antecedent);
                    double lift = confidence / ((double) countOfSubset.get(List.of(consequent)) / baskets.size());
                    if (confidence >= 0.5) {
                        expected.put(antecedent + " -> [" + consequent + "]", new double[] {count, confidence, lift});
                    }
                }
            }
        });
        assertEquals(15, expected.size(), "arules finds 15 rules at support 0.01, confidence 0.5");
        assertEquals(expected.keySet(), new TreeSet<>(rules.stream()
                .map(rule -> rule.antecedent() + " -> " + rule.consequent()).toList()));
        for (AssociationRule rule : rules) {
            double[] counted = expected.get(rule.antecedent() + " -> " + rule.consequent());
            assertEquals(counted[0], rule.count(), rule.toString());
            assertEquals(counted[1], rule.confidence(), 1e-12, rule.toString());
            assertEquals(counted[2], rule.lift(), 1e-12, rule.toString());
        }
        AssociationRule strongest = rules.getFirst();
        assertEquals(List.of("citrus fruit", "root vegetables"), strongest.antecedent());
        assertEquals(List.of("other vegetables"), strongest.consequent());
        assertEquals(102.0 / 174, strongest.confidence(), 1e-12, "102 of the 174 baskets with both");
        assertEquals(102.0 / 174 / (1903.0 / 9835), strongest.lift(), 1e-12, "other vegetables in 1903 baskets");
    }

    @Test
    void onePercentSupportGivesTheItemsetCountArulesGives() {
        // Speed is not asserted here (benchmarks measure it); arules finds 333 itemsets at this support too.
        assertEquals(333, FrequentItemsets.mine(baskets, 0.01).all().size());
    }

    private static void countSubsets(List<String> basket, int from, List<String> chosen) {
        for (int i = from; i < basket.size(); i++) {
            chosen.add(basket.get(i));
            countOfSubset.merge(List.copyOf(chosen), 1, Integer::sum);
            if (chosen.size() < LARGEST_COUNTED) {
                countSubsets(basket, i + 1, chosen);
            }
            chosen.removeLast();
        }
    }

    private static int compareLabels(List<String> left, List<String> right) {
        return String.join("\u0000", left).compareTo(String.join("\u0000", right));
    }
}
