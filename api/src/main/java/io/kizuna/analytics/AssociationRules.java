package io.kizuna.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Association rules X → Y from frequent itemsets: for every frequent itemset Z of two or more items, every split of Z
 * into a non-empty antecedent X and consequent Y. X and Y are subsets of a frequent itemset, so they are frequent
 * too and their counts are at hand; no basket is read again.
 *
 * <p>Cross-sell asks "what else to offer with this basket", so {@link Consequents#SINGLE_ITEM} is the usual choice;
 * {@link Consequents#ANY_SIZE} gives every split, as arules and mlxtend do.
 *
 * <p>Rules come by lift descending, then confidence descending, then count descending, then antecedent and
 * consequent in label order.
 */
public final class AssociationRules {
    /** The rules' order: strongest association first, then deterministic tie-breaks. */
    public static final Comparator<AssociationRule> ORDER = Comparator
            .comparingDouble(AssociationRule::lift).reversed()
            .thenComparing(Comparator.comparingDouble(AssociationRule::confidence).reversed())
            .thenComparing(Comparator.comparingInt(AssociationRule::count).reversed())
            .thenComparing(rule -> String.join("\u0000", rule.antecedent()))
            .thenComparing(rule -> String.join("\u0000", rule.consequent()));

    /** An itemset with more items would have more than 2^30 splits into antecedent and consequent. */
    private static final int MOST_ITEMS_FOR_ANY_SIZE = 30;

    /** Which consequents a rule may have. */
    public enum Consequents {
        SINGLE_ITEM,
        ANY_SIZE
    }

    /**
     * Which rules to keep.
     *
     * @param minimumConfidence in [0, 1]
     * @param minimumLift       at least 0; 0 keeps every lift, 1 keeps only positive associations
     * @param consequents       whether a consequent is always a single item
     */
    public record Criteria(double minimumConfidence, double minimumLift, Consequents consequents) {
        public Criteria {
            if (!(minimumConfidence >= 0 && minimumConfidence <= 1)) {
                throw new IllegalArgumentException("minimum confidence must be in [0, 1]: " + minimumConfidence);
            }
            if (!(minimumLift >= 0 && minimumLift < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("minimum lift must be finite and >= 0: " + minimumLift);
            }
            if (consequents == null) {
                throw new IllegalArgumentException("say which consequents a rule may have");
            }
        }

        /** Cross-sell rules: one item offered, at least this confidence, any lift. */
        public static Criteria singleItemConsequent(double minimumConfidence) {
            return new Criteria(minimumConfidence, 0, Consequents.SINGLE_ITEM);
        }
    }

    private AssociationRules() {
    }

    /** The rules from these itemsets that meet the criteria, in {@link #ORDER}. */
    public static List<AssociationRule> of(FrequentItemsets itemsets, Criteria criteria) {
        List<AssociationRule> rules = new ArrayList<>();
        for (FrequentItemset whole : itemsets.all()) {
            if (whole.size() < 2) {
                continue;
            }
            for (List<String> consequent : consequentsOf(whole.items(), criteria.consequents())) {
                List<String> antecedent = whole.items().stream().filter(item -> !consequent.contains(item)).toList();
                AssociationRule rule = rule(itemsets, whole, antecedent, consequent);
                if (rule.confidence() >= criteria.minimumConfidence() && rule.lift() >= criteria.minimumLift()) {
                    rules.add(rule);
                }
            }
        }
        rules.sort(ORDER);
        return rules;
    }

    private static AssociationRule rule(
            FrequentItemsets itemsets, FrequentItemset whole, List<String> antecedent, List<String> consequent) {
        int antecedentCount = countOf(itemsets, antecedent);
        int consequentCount = countOf(itemsets, consequent);
        double confidence = (double) whole.count() / antecedentCount;
        double lift = (double) whole.count() * itemsets.basketCount() / ((double) antecedentCount * consequentCount);
        return new AssociationRule(antecedent, consequent, whole.count(), whole.support(), confidence, lift);
    }

    private static int countOf(FrequentItemsets itemsets, List<String> items) {
        return itemsets.find(items).orElseThrow(() -> new IllegalStateException(
                "a subset of a frequent itemset is missing from the itemsets: " + items)).count();
    }

    /** The non-empty proper subsets of {@code items} allowed as consequents, each in label order. */
    private static List<List<String>> consequentsOf(List<String> items, Consequents consequents) {
        if (consequents == Consequents.SINGLE_ITEM) {
            return items.stream().map(List::of).toList();
        }
        if (items.size() > MOST_ITEMS_FOR_ANY_SIZE) {
            throw new IllegalArgumentException("an itemset of " + items.size() + " items has too many splits for "
                    + "consequents of any size; mine with a maximum itemset size or ask for single-item consequents");
        }
        List<List<String>> subsets = new ArrayList<>();
        for (int mask = 1; mask < (1 << items.size()) - 1; mask++) {
            List<String> subset = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    subset.add(items.get(i));
                }
            }
            subsets.add(subset);
        }
        return subsets;
    }
}
