package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import io.kizuna.analytics.AssociationRules.Consequents;
import io.kizuna.analytics.AssociationRules.Criteria;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Five hand-made baskets whose itemsets, supports, confidences and lifts were counted by hand.
 *
 * <p>Counts: bread 4, milk 4, diapers 4, beer 3, cola 2, eggs 1; beer+diapers, bread+diapers, bread+milk,
 * diapers+milk 3 each; beer+bread, beer+milk, cola+diapers, cola+milk 2 each; beer+bread+diapers,
 * beer+diapers+milk, bread+diapers+milk, cola+diapers+milk 2 each; every other combination at most 1.
 */
class BasketRulesTest {
    private static final List<List<String>> BASKETS = List.of(
            List.of("bread", "milk"),
            List.of("bread", "diapers", "beer", "eggs"),
            List.of("milk", "diapers", "beer", "cola"),
            List.of("bread", "milk", "diapers", "beer"),
            List.of("bread", "milk", "diapers", "cola"));
    private static final double EXACT = 1e-12;

    @Test
    void itemsetsAtTwoFifthsAreExactlyTheHandCountedOnesInOrder() {
        FrequentItemsets itemsets = FrequentItemsets.mine(BASKETS, 0.4);

        assertEquals(5, itemsets.basketCount());
        assertEquals(List.of(
                "[bread] 4", "[diapers] 4", "[milk] 4", "[beer] 3", "[cola] 2",
                "[beer, diapers] 3", "[bread, diapers] 3", "[bread, milk] 3", "[diapers, milk] 3",
                "[beer, bread] 2", "[beer, milk] 2", "[cola, diapers] 2", "[cola, milk] 2",
                "[beer, bread, diapers] 2", "[beer, diapers, milk] 2", "[bread, diapers, milk] 2",
                "[cola, diapers, milk] 2"),
                itemsets.all().stream().map(itemset -> itemset.items() + " " + itemset.count()).toList());
        assertEquals(0.8, itemsets.find(Set.of("milk")).orElseThrow().support(), EXACT);
        assertEquals(0.4, itemsets.find(List.of("milk", "diapers", "beer")).orElseThrow().support(), EXACT);
    }

    @Test
    void anItemsetJustBelowTheMinimumSupportIsLeftOut() {
        FrequentItemsets atTwoFifths = FrequentItemsets.mine(BASKETS, 0.4);
        FrequentItemsets justAbove = FrequentItemsets.mine(BASKETS, 0.41);

        assertTrue(atTwoFifths.find(Set.of("cola")).isPresent(), "cola is in 2 of 5 baskets");
        assertTrue(justAbove.find(Set.of("cola")).isEmpty());
        assertTrue(justAbove.all().stream().allMatch(itemset -> itemset.count() >= 3));
        assertEquals(8, justAbove.all().size(), "4 single items and 4 pairs are in 3 or more baskets");
    }

    @Test
    void aSupportThatIsAWholeNumberOfBasketsIsNotRoundedUpByBinaryArithmetic() {
        // 0.6 * 5 is 3.0000000000000004 in doubles; beer is in exactly 3 of 5 baskets, which is 0.6.
        assertTrue(FrequentItemsets.mine(BASKETS, 0.6).find(Set.of("beer")).isPresent());
    }

    @Test
    void aLabelRepeatedInOneBasketCountsOnce() {
        FrequentItemsets itemsets = FrequentItemsets.mine(
                List.of(List.of("tea", "tea", "scone"), List.of("tea"), List.of(), List.of("jam")), 0.25);

        assertEquals(2, itemsets.find(Set.of("tea")).orElseThrow().count());
        assertEquals(0.5, itemsets.find(Set.of("tea")).orElseThrow().support(), EXACT);
        assertEquals(1, itemsets.find(Set.of("tea", "scone")).orElseThrow().count());
        assertEquals(4, itemsets.basketCount(), "an empty basket still counts");
    }

    @Test
    void aMaximumSizeLeavesOutLargerItemsets() {
        FrequentItemsets pairs = FrequentItemsets.mine(BASKETS, 0.4, 2);

        assertEquals(13, pairs.all().size(), "the 5 items and 8 pairs");
        assertTrue(pairs.all().stream().allMatch(itemset -> itemset.size() <= 2));
        assertEquals(5, FrequentItemsets.mine(BASKETS, 0.4, 1).all().size());
    }

    @Test
    void singleItemRulesCarryTheHandComputedConfidenceAndLift() {
        List<AssociationRule> rules = AssociationRules.of(
                FrequentItemsets.mine(BASKETS, 0.4), Criteria.singleItemConsequent(0));

        assertEquals(28, rules.size(), "8 pairs give 2 rules each, 4 triples give 3 each");
        assertRule(rules, List.of("beer"), List.of("diapers"), 3, 0.6, 1.0, 1.25);
        assertRule(rules, List.of("diapers"), List.of("beer"), 3, 0.6, 0.75, 1.25);
        assertRule(rules, List.of("diapers", "milk"), List.of("beer"), 2, 0.4, 2.0 / 3, 10.0 / 9);
        assertRule(rules, List.of("beer", "diapers"), List.of("milk"), 2, 0.4, 2.0 / 3, 5.0 / 6);
        assertRule(rules, List.of("bread"), List.of("milk"), 3, 0.6, 0.75, 0.9375);
        assertEquals(List.of("diapers", "milk"), rules.getFirst().antecedent(), "the highest lift, 5/3, comes first");
        assertEquals(List.of("cola"), rules.getFirst().consequent());
        for (int i = 1; i < rules.size(); i++) {
            assertTrue(rules.get(i - 1).lift() >= rules.get(i).lift(), "by lift descending at " + i);
        }
    }

    @Test
    void minimumConfidenceKeepsOnlyTheRulesThatReachIt() {
        List<AssociationRule> certain = AssociationRules.of(
                FrequentItemsets.mine(BASKETS, 0.4), Criteria.singleItemConsequent(1.0));

        assertEquals(Set.of("[beer] -> [diapers]", "[cola] -> [diapers]", "[cola] -> [milk]",
                        "[beer, bread] -> [diapers]", "[beer, milk] -> [diapers]", "[cola, diapers] -> [milk]",
                        "[cola, milk] -> [diapers]"),
                Set.copyOf(certain.stream().map(BasketRulesTest::arrow).toList()));
        assertEquals(14, AssociationRules.of(FrequentItemsets.mine(BASKETS, 0.4),
                Criteria.singleItemConsequent(0.7)).size(), "the 7 certain rules and 7 with confidence 3/4");
    }

    @Test
    void minimumLiftKeepsOnlyTheStrongAssociations() {
        FrequentItemsets itemsets = FrequentItemsets.mine(BASKETS, 0.4);

        List<AssociationRule> single = AssociationRules.of(itemsets, new Criteria(0, 1.3, Consequents.SINGLE_ITEM));
        List<AssociationRule> any = AssociationRules.of(itemsets, new Criteria(0, 1.3, Consequents.ANY_SIZE));

        assertEquals(List.of("[diapers, milk] -> [cola]"), single.stream().map(BasketRulesTest::arrow).toList());
        assertEquals(Set.of("[diapers, milk] -> [cola]", "[cola] -> [diapers, milk]"),
                Set.copyOf(any.stream().map(BasketRulesTest::arrow).toList()));
        assertRule(any, List.of("cola"), List.of("diapers", "milk"), 2, 0.4, 1.0, 5.0 / 3);
    }

    @Test
    void consequentsOfAnySizeGiveEverySplitOfEachItemset() {
        List<AssociationRule> rules = AssociationRules.of(
                FrequentItemsets.mine(BASKETS, 0.4), new Criteria(0, 0, Consequents.ANY_SIZE));

        assertEquals(8 * 2 + 4 * 6, rules.size(), "a pair splits 2 ways, a triple 6 ways");
        assertRule(rules, List.of("beer"), List.of("bread", "diapers"), 2, 0.4, 2.0 / 3, 10.0 / 9);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY})
    void aMinimumSupportOutsideZeroToOneIsRefused(double minimumSupport) {
        assertThrows(IllegalArgumentException.class, () -> FrequentItemsets.mine(BASKETS, minimumSupport));
    }

    @Test
    void aMinimumSupportOfOneIsAllowedAndAMaximumSizeBelowOneIsRefused() {
        assertEquals(List.of(), FrequentItemsets.mine(BASKETS, 1).all());
        assertThrows(IllegalArgumentException.class, () -> FrequentItemsets.mine(BASKETS, 0.4, 0));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN})
    void aMinimumConfidenceOutsideZeroToOneIsRefused(double minimumConfidence) {
        assertThrows(IllegalArgumentException.class, () -> Criteria.singleItemConsequent(minimumConfidence));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY})
    void aNegativeOrUndefinedMinimumLiftIsRefused(double minimumLift) {
        assertThrows(IllegalArgumentException.class, () -> new Criteria(0.5, minimumLift, Consequents.SINGLE_ITEM));
    }

    private static void assertRule(List<AssociationRule> rules, List<String> antecedent, List<String> consequent,
            int count, double support, double confidence, double lift) {
        AssociationRule rule = rules.stream()
                .filter(candidate -> candidate.antecedent().equals(antecedent)
                        && candidate.consequent().equals(consequent))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + antecedent + " -> " + consequent + " in " + rules));
        assertEquals(count, rule.count(), rule + " count");
        assertEquals(support, rule.support(), EXACT, rule + " support");
        assertEquals(confidence, rule.confidence(), EXACT, rule + " confidence");
        assertEquals(lift, rule.lift(), EXACT, rule + " lift");
    }

    private static String arrow(AssociationRule rule) {
        return rule.antecedent() + " -> " + rule.consequent();
    }
}
