package io.kizuna.analytics;

import java.util.List;

/**
 * A set of item labels bought together often enough: in {@code count} of the baskets mined, a share {@code support}
 * of them.
 *
 * @param items   the labels, in ascending order and distinct, so that equal sets have equal lists
 * @param count   how many baskets hold every one of the items
 * @param support count divided by the number of baskets mined
 */
public record FrequentItemset(List<String> items, int count, double support) {
    public FrequentItemset {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an itemset needs at least one item");
        }
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i - 1).compareTo(items.get(i)) >= 0) {
                throw new IllegalArgumentException("items must be distinct and in ascending order: " + items);
            }
        }
        if (count < 1 || !(support > 0 && support <= 1)) {
            throw new IllegalArgumentException("need count >= 1 and 0 < support <= 1: " + count + ", " + support);
        }
    }

    public int size() {
        return items.size();
    }
}
