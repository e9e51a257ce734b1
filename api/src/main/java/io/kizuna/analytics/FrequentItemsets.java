package io.kizuna.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every itemset bought together in at least a minimum share of the baskets, found by FP-Growth (Han, Pei and Yin
 * 2000): one pass counts the items, a second builds an {@link FpTree} of each basket's frequent items, and each
 * item's conditional tree is mined recursively for the itemsets that end in it.
 *
 * <p>A basket is a set of labels (SKUs or categories, taken as given, so the caller decides on trimming or case); a
 * label repeated within a basket counts once, and an empty basket still counts towards the number of baskets. An
 * itemset is frequent when its count reaches {@code minimumSupport} times the number of baskets, rounded up, the
 * product taken in decimal so that 0.6 of 5 baskets is 3 and not the 3.0000000000000004 of binary arithmetic.
 *
 * <p>{@link #all()} lists the itemsets by size, then count descending, then items in order.
 */
public final class FrequentItemsets {
    /** Size, then count descending, then the items compared label by label. */
    public static final Comparator<FrequentItemset> ORDER = Comparator.comparingInt(FrequentItemset::size)
            .thenComparing(Comparator.comparingInt(FrequentItemset::count).reversed())
            .thenComparing(FrequentItemset::items, FrequentItemsets::compareItems);

    private final int basketCount;
    private final List<FrequentItemset> itemsets;
    private final Map<List<String>, FrequentItemset> byItems;

    private FrequentItemsets(int basketCount, List<FrequentItemset> itemsets) {
        this.basketCount = basketCount;
        this.itemsets = List.copyOf(itemsets);
        this.byItems = new HashMap<>();
        for (FrequentItemset itemset : itemsets) {
            byItems.put(itemset.items(), itemset);
        }
    }

    /** The frequent itemsets of any size. */
    public static FrequentItemsets mine(Collection<? extends Collection<String>> baskets, double minimumSupport) {
        return mine(baskets, minimumSupport, Integer.MAX_VALUE);
    }

    /**
     * The frequent itemsets of at most {@code maximumSize} items.
     *
     * @param minimumSupport the share of baskets an itemset must reach, in (0, 1]
     * @param maximumSize    the most items an itemset may have, at least 1
     */
    public static FrequentItemsets mine(
            Collection<? extends Collection<String>> baskets, double minimumSupport, int maximumSize) {
        if (!(minimumSupport > 0 && minimumSupport <= 1)) {
            throw new IllegalArgumentException("minimum support must be in (0, 1]: " + minimumSupport);
        }
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximum itemset size must be at least 1: " + maximumSize);
        }
        int minimumCount = Math.max(1, BigDecimal.valueOf(minimumSupport).multiply(BigDecimal.valueOf(baskets.size()))
                .setScale(0, RoundingMode.CEILING).intValueExact());
        return new Miner(baskets, minimumCount, maximumSize).mine();
    }

    /** How many baskets were mined, the denominator of every support. */
    public int basketCount() {
        return basketCount;
    }

    /** Every frequent itemset, in {@link #ORDER}. */
    public List<FrequentItemset> all() {
        return itemsets;
    }

    /** The itemset of exactly these items, if it was frequent (and within the maximum size). */
    public Optional<FrequentItemset> find(Collection<String> items) {
        return Optional.ofNullable(byItems.get(new HashSet<>(items).stream().sorted().toList()));
    }

    private static int compareItems(List<String> left, List<String> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = left.get(i).compareTo(right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    /** One mining run: items numbered by descending count, the tree built, then FP-Growth's recursion. */
    private static final class Miner {
        private final Collection<? extends Collection<String>> baskets;
        private final int minimumCount;
        private final int maximumSize;
        private final List<FrequentItemset> found = new ArrayList<>();
        private String[] labelOfItem;

        Miner(Collection<? extends Collection<String>> baskets, int minimumCount, int maximumSize) {
            this.baskets = baskets;
            this.minimumCount = minimumCount;
            this.maximumSize = maximumSize;
        }

        FrequentItemsets mine() {
            Map<String, Integer> itemOfLabel = numberFrequentLabels();
            FpTree tree = new FpTree(labelOfItem.length);
            int[] path = new int[labelOfItem.length];
            for (Collection<String> basket : baskets) {
                int length = 0;
                for (String label : new HashSet<>(basket)) {
                    Integer item = itemOfLabel.get(label);
                    if (item != null) {
                        path[length++] = item;
                    }
                }
                Arrays.sort(path, 0, length);
                tree.add(path, length, 1);
            }
            growFrom(tree, new int[Math.min(maximumSize, labelOfItem.length)], 0);
            found.sort(ORDER);
            return new FrequentItemsets(baskets.size(), found);
        }

        /** Numbers the frequent labels 0, 1, ... by descending count, ties by label, and remembers the labels. */
        private Map<String, Integer> numberFrequentLabels() {
            Map<String, Integer> countOfLabel = new HashMap<>();
            for (Collection<String> basket : baskets) {
                Set<String> distinct = new HashSet<>(basket);
                for (String label : distinct) {
                    countOfLabel.merge(label, 1, Integer::sum);
                }
            }
            labelOfItem = countOfLabel.entrySet().stream()
                    .filter(entry -> entry.getValue() >= minimumCount)
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey)
                    .toArray(String[]::new);
            Map<String, Integer> itemOfLabel = new HashMap<>();
            for (int item = 0; item < labelOfItem.length; item++) {
                itemOfLabel.put(labelOfItem[item], item);
            }
            return itemOfLabel;
        }

        /**
         * Reports every frequent itemset made of {@code suffix} and items of {@code tree}, which is the conditional
         * tree of the suffix (the whole tree when the suffix is empty).
         */
        private void growFrom(FpTree tree, int[] suffix, int suffixLength) {
            for (int item = tree.itemCount() - 1; item >= 0; item--) {
                int count = tree.countOf(item);
                if (count < minimumCount) {
                    continue;
                }
                suffix[suffixLength] = item;
                report(suffix, suffixLength + 1, count);
                if (suffixLength + 1 < suffix.length) {
                    FpTree conditional = tree.conditionalOn(item, minimumCount);
                    if (!conditional.isEmpty()) {
                        growFrom(conditional, suffix, suffixLength + 1);
                    }
                }
            }
        }

        private void report(int[] items, int length, int count) {
            String[] labels = new String[length];
            for (int i = 0; i < length; i++) {
                labels[i] = labelOfItem[items[i]];
            }
            Arrays.sort(labels);
            found.add(new FrequentItemset(List.of(labels), count, (double) count / baskets.size()));
        }
    }
}
