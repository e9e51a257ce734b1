package io.kizuna.analytics;

import java.util.List;

/**
 * A cross-sell rule "baskets with the antecedent also hold the consequent", X → Y, read from frequent itemsets.
 *
 * @param antecedent X, labels in ascending order
 * @param consequent Y, labels in ascending order, none of them in X
 * @param count      how many baskets hold X ∪ Y
 * @param support    supp(X ∪ Y): count divided by the number of baskets
 * @param confidence supp(X ∪ Y) / supp(X): the share of baskets with X that also hold Y
 * @param lift       confidence / supp(Y): how many times likelier Y is in a basket with X than in any basket
 */
public record AssociationRule(
        List<String> antecedent, List<String> consequent, int count, double support, double confidence, double lift) {
    public AssociationRule {
        antecedent = List.copyOf(antecedent);
        consequent = List.copyOf(consequent);
        if (antecedent.isEmpty() || consequent.isEmpty()) {
            throw new IllegalArgumentException("a rule needs a non-empty antecedent and consequent");
        }
        if (antecedent.stream().anyMatch(consequent::contains)) {
            throw new IllegalArgumentException("antecedent and consequent overlap: " + antecedent + ", " + consequent);
        }
    }

    @Override
    public String toString() {
        return antecedent + " -> " + consequent + " (count " + count + ", support " + support + ", confidence "
                + confidence + ", lift " + lift + ")";
    }
}
