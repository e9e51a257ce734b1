package io.kizuna.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.kizuna.error.KizunaException;

/**
 * What a segment is: criteria that must all hold (AND); an {@code anyOf} criterion is an OR group, an
 * {@code allOf} an AND group inside it. Checked as a whole when read: at most 100 criteria in all, groups nested at
 * most 3 deep, and no overlapping rules in an AND group.
 */
public record SegmentDefinition(List<Criterion> criteria) {
    static final int MAX_CRITERIA = 100;
    static final int MAX_DEPTH = 3;
    private static final Map<Class<?>, String> KINDS = Arrays.stream(
                    Criterion.class.getAnnotation(JsonSubTypes.class).value())
            .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));

    public SegmentDefinition {
        if (criteria == null || criteria.isEmpty() || criteria.contains(null)) {
            throw KizunaException.invalid("A definition needs criteria: a list of 1 or more criteria, all of which a"
                    + " member must meet.");
        }
        criteria = List.copyOf(criteria);
        if (count(criteria, 1) > MAX_CRITERIA) {
            throw KizunaException.invalid("A definition holds at most " + MAX_CRITERIA + " criteria in all.");
        }
        checkGroup(criteria, true);
    }

    /** The SQL condition over the member row {@code m} that the members of this segment meet. */
    public SqlCondition condition(Evaluation at) {
        return SqlCondition.join("AND", criteria.stream().map(criterion -> criterion.condition(at)).toList());
    }

    /** The kind of a criterion as JSON names it. */
    static String kind(Criterion criterion) {
        return KINDS.get(criterion.getClass());
    }

    /** The kinds there are, for messages. */
    static List<String> kinds() {
        return KINDS.values().stream().sorted().toList();
    }

    private static int count(List<Criterion> criteria, int depth) {
        if (depth > MAX_DEPTH) {
            throw KizunaException.invalid("anyOf groups nest at most " + MAX_DEPTH + " deep.");
        }
        int count = 0;
        for (Criterion criterion : criteria) {
            count += 1 + switch (criterion) {
                case Criterion.AnyOf group -> count(group.criteria(), depth + 1);
                case Criterion.AllOf group -> count(group.criteria(), depth + 1);
                default -> 0;
            };
        }
        return count;
    }

    /**
     * Refuses overlapping rules within an AND group (the top level, or an allOf): the same single-valued kind twice,
     * or the same category or SKU both bought and never bought, which nobody could ever meet. An OR group (anyOf)
     * may repeat a kind: two tenure ranges there are two ranges. Nested groups are checked the same way.
     */
    private static void checkGroup(List<Criterion> group, boolean all) {
        Set<Class<?>> singles = new HashSet<>();
        for (Criterion criterion : group) {
            if (all && !criterion.repeatable() && !singles.add(criterion.getClass())) {
                throw KizunaException.invalid("Criterion " + kind(criterion) + " appears twice in one group; give it"
                        + " once, with all its values or one range.");
            }
            switch (criterion) {
                case Criterion.AnyOf nested -> checkGroup(nested.criteria(), false);
                case Criterion.AllOf nested -> checkGroup(nested.criteria(), true);
                default -> {
                    // a single rule: checked when it was read
                }
            }
        }
        if (all) {
            overlap(group, "categories", Criterion.CategoriesBought.class, Criterion.CategoriesNotBought.class);
            overlap(group, "SKUs", Criterion.SkusBought.class, Criterion.SkusNotBought.class);
        }
    }

    private static void overlap(List<Criterion> group, String what, Class<?> bought, Class<?> notBought) {
        Set<String> yes = values(group, bought);
        yes.retainAll(values(group, notBought));
        if (!yes.isEmpty()) {
            throw KizunaException.invalid("The same " + what + " are both bought and not bought in one group: "
                    + yes + ".");
        }
    }

    private static Set<String> values(List<Criterion> group, Class<?> type) {
        Set<String> values = new HashSet<>();
        for (Criterion criterion : group) {
            if (type.isInstance(criterion)) {
                values.addAll(switch (criterion) {
                    case Criterion.CategoriesBought c -> c.categories();
                    case Criterion.CategoriesNotBought c -> c.categories();
                    case Criterion.SkusBought c -> c.skus();
                    case Criterion.SkusNotBought c -> c.skus();
                    default -> new ArrayList<String>();
                });
            }
        }
        return values;
    }
}
