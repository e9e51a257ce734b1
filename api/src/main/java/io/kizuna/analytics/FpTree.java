package io.kizuna.analytics;

/**
 * The frequent-pattern tree of Han, Pei and Yin (2000), "Mining Frequent Patterns without Candidate Generation": the
 * baskets' frequent items, each basket as a path from the root in a fixed item order, so baskets sharing a prefix
 * share nodes. The header table links every node of an item, which is how the item's conditional pattern base (the
 * prefix paths leading to it) is found without scanning the baskets again.
 *
 * <p>Items are numbered 0..itemCount-1 by the caller; a path is always added in ascending item number, so a node's
 * ancestors all have smaller numbers. Numbering by descending frequency keeps the tree small.
 */
final class FpTree {
    private static final class Node {
        final int item;
        final Node parent;
        int count;
        Node firstChild;
        Node nextSibling;
        /** The next node of the same item: the header table's chain. */
        Node nextOfItem;

        Node(int item, Node parent) {
            this.item = item;
            this.parent = parent;
        }

        Node child(int childItem) {
            for (Node child = firstChild; child != null; child = child.nextSibling) {
                if (child.item == childItem) {
                    return child;
                }
            }
            return null;
        }
    }

    private final Node root = new Node(-1, null);
    private final Node[] firstNodeOfItem;
    private final int[] countOfItem;

    FpTree(int itemCount) {
        firstNodeOfItem = new Node[itemCount];
        countOfItem = new int[itemCount];
    }

    int itemCount() {
        return countOfItem.length;
    }

    /** How many baskets (or prefix paths, in a conditional tree) hold this item. */
    int countOf(int item) {
        return countOfItem[item];
    }

    boolean isEmpty() {
        return root.firstChild == null;
    }

    /** Adds the first {@code length} items of {@code path}, in strictly ascending order, {@code count} times. */
    void add(int[] path, int length, int count) {
        Node node = root;
        for (int i = 0; i < length; i++) {
            int item = path[i];
            Node child = node.child(item);
            if (child == null) {
                child = new Node(item, node);
                child.nextSibling = node.firstChild;
                node.firstChild = child;
                child.nextOfItem = firstNodeOfItem[item];
                firstNodeOfItem[item] = child;
            }
            child.count += count;
            countOfItem[item] += count;
            node = child;
        }
    }

    /**
     * The tree of {@code item}'s conditional pattern base: every prefix path leading to a node of the item, weighted
     * by that node's count, keeping only the items that reach {@code minimumCount} within the base.
     */
    FpTree conditionalOn(int item, int minimumCount) {
        int[] countInBase = new int[item];
        for (Node node = firstNodeOfItem[item]; node != null; node = node.nextOfItem) {
            for (Node ancestor = node.parent; ancestor != root; ancestor = ancestor.parent) {
                countInBase[ancestor.item] += node.count;
            }
        }
        FpTree conditional = new FpTree(item);
        int[] path = new int[item];
        for (Node node = firstNodeOfItem[item]; node != null; node = node.nextOfItem) {
            int length = 0;
            for (Node ancestor = node.parent; ancestor != root; ancestor = ancestor.parent) {
                if (countInBase[ancestor.item] >= minimumCount) {
                    path[length++] = ancestor.item;
                }
            }
            reverse(path, length);
            conditional.add(path, length, node.count);
        }
        return conditional;
    }

    private static void reverse(int[] values, int length) {
        for (int i = 0, j = length - 1; i < j; i++, j--) {
            int value = values[i];
            values[i] = values[j];
            values[j] = value;
        }
    }
}
