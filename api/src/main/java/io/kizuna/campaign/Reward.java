package io.kizuna.campaign;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kizuna.error.KizunaException;

/**
 * A campaign's reward rule, named in JSON by its {@code kind} and checked strictly when read: a bad rule is a 400
 * and nothing is saved. Each kind answers the bonus points for one sale of a treatment member; the budget and the
 * per-member cap are applied after it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Reward.Multiplier.class, name = "multiplier"),
        @JsonSubTypes.Type(value = Reward.FixedBonus.class, name = "fixedBonus"),
        @JsonSubTypes.Type(value = Reward.ItemBonus.class, name = "itemBonus"),
        @JsonSubTypes.Type(value = Reward.NthVisit.class, name = "nthVisit"),
        @JsonSubTypes.Type(value = Reward.BirthdayMonth.class, name = "birthdayMonth"),
        @JsonSubTypes.Type(value = Reward.TimeOfDay.class, name = "timeOfDay"),
        @JsonSubTypes.Type(value = Reward.Dormancy.class, name = "dormancy")})
public sealed interface Reward {
    long MAX_POINTS = 1_000_000;
    BigDecimal MAX_MULTIPLIER = BigDecimal.TEN;

    static String kinds() {
        return "multiplier, fixedBonus, itemBonus, nthVisit, birthdayMonth, timeOfDay, dormancy";
    }

    /** The bonus points this rule gives for {@code sale}, before the budget and the cap. */
    long points(Sale sale);

    /** What a rule looks at. {@code visit} and {@code daysSincePreviousPurchase} are read only for kinds that ask. */
    record Sale(long eligibleSpend, long basePoints, long yenPerPoint, List<Item> items, ZonedDateTime at,
                LocalDate birthDate, long visit, Long daysSincePreviousPurchase) {
    }

    /** An eligible line: what it is and what it cost after discounts. */
    record Item(String sku, String category, BigDecimal quantity, long net) {
    }

    /** Fixed points, or a multiple of the sale's base points (2 doubles them: the bonus is the base again). */
    record Bonus(Long points, BigDecimal multiplier) {
        public Bonus {
            if ((points == null) == (multiplier == null)) {
                throw KizunaException.invalid("A bonus has either points or a multiplier, not both or neither.");
            }
            if (points != null && (points < 1 || points > MAX_POINTS)) {
                throw KizunaException.invalid("Bonus points are 1 to " + MAX_POINTS + ".");
            }
            if (multiplier != null) {
                checkMultiplier(multiplier);
            }
        }

        long of(long basePoints) {
            return points != null ? points : extra(basePoints, multiplier);
        }
    }

    /** Multiplies the sale's base points. */
    record Multiplier(BigDecimal multiplier) implements Reward {
        public Multiplier {
            checkMultiplier(multiplier);
        }

        @Override
        public long points(Sale sale) {
            return extra(sale.basePoints(), multiplier);
        }
    }

    /** Fixed points for every sale with at least {@code minimumSpend} of eligible spend (0 when not given). */
    record FixedBonus(long points, Long minimumSpend) implements Reward {
        public FixedBonus {
            if (points < 1 || points > MAX_POINTS) {
                throw KizunaException.invalid("fixedBonus points are 1 to " + MAX_POINTS + ".");
            }
            if (minimumSpend != null && minimumSpend < 0) {
                throw KizunaException.invalid("fixedBonus minimumSpend must not be negative.");
            }
        }

        @Override
        public long points(Sale sale) {
            return sale.eligibleSpend() >= (minimumSpend == null ? 0 : minimumSpend) ? points : 0;
        }
    }

    /** Bonuses on chosen SKUs or categories; a line matching a SKU entry is not counted again by its category. */
    record ItemBonus(List<ItemRule> items) implements Reward {
        private static final int MAX_ITEMS = 100;

        public ItemBonus {
            if (items == null || items.isEmpty() || items.size() > MAX_ITEMS || items.contains(null)) {
                throw KizunaException.invalid("itemBonus needs 1 to " + MAX_ITEMS + " items.");
            }
            Set<String> seen = new HashSet<>();
            for (ItemRule item : items) {
                String key = item.sku() != null ? "sku " + item.sku() : "category " + item.category();
                if (!seen.add(key)) {
                    throw KizunaException.invalid("itemBonus names " + key + " twice: the rules overlap.");
                }
            }
            items = List.copyOf(items);
        }

        @Override
        public long points(Sale sale) {
            long points = 0;
            for (ItemRule rule : items) {
                List<Item> matching = sale.items().stream().filter(item -> rule.sku() != null
                        ? rule.sku().equals(item.sku())
                        : rule.category().equals(item.category()) && !namedBySku(item)).toList();
                if (rule.pointsPerItem() != null) {
                    long count = matching.stream().mapToLong(item -> item.quantity().longValue()).sum();
                    points += count * rule.pointsPerItem();
                } else {
                    long spend = matching.stream().mapToLong(Item::net).sum();
                    points += extra(spend / sale.yenPerPoint(), rule.multiplier());
                }
            }
            return points;
        }

        private boolean namedBySku(Item item) {
            return items.stream().anyMatch(rule -> rule.sku() != null && rule.sku().equals(item.sku()));
        }
    }

    /** One SKU or one category, with points per item or a multiplier on that spend's base points. */
    record ItemRule(String sku, String category, Long pointsPerItem, BigDecimal multiplier) {
        public ItemRule {
            if ((sku == null) == (category == null)) {
                throw KizunaException.invalid("An itemBonus item names either a sku or a category.");
            }
            if (sku != null && (sku.isBlank() || sku.length() > 64)
                    || category != null && (category.isBlank() || category.length() > 64)) {
                throw KizunaException.invalid("An itemBonus sku or category is 1 to 64 characters.");
            }
            if ((pointsPerItem == null) == (multiplier == null)) {
                throw KizunaException.invalid("An itemBonus item has either pointsPerItem or a multiplier.");
            }
            if (pointsPerItem != null && (pointsPerItem < 1 || pointsPerItem > MAX_POINTS)) {
                throw KizunaException.invalid("pointsPerItem is 1 to " + MAX_POINTS + ".");
            }
            if (multiplier != null) {
                checkMultiplier(multiplier);
            }
        }
    }

    /** A bonus on the member's {@code visit}-th purchase within the campaign's window. */
    record NthVisit(int visit, Bonus bonus) implements Reward {
        public NthVisit {
            if (visit < 1 || visit > 1000) {
                throw KizunaException.invalid("nthVisit visit is 1 to 1000.");
            }
            requireBonus(bonus);
        }

        @Override
        public long points(Sale sale) {
            return sale.visit() == visit ? bonus.of(sale.basePoints()) : 0;
        }
    }

    /** A bonus on every purchase in the month of the member's birthday (from the profile's birth date). */
    record BirthdayMonth(Bonus bonus) implements Reward {
        public BirthdayMonth {
            requireBonus(bonus);
        }

        @Override
        public long points(Sale sale) {
            return sale.birthDate() != null && sale.birthDate().getMonth() == sale.at().getMonth()
                    ? bonus.of(sale.basePoints()) : 0;
        }
    }

    /** A bonus between {@code from} (inclusive) and {@code to} (exclusive), program time; may span midnight. */
    record TimeOfDay(LocalTime from, LocalTime to, Bonus bonus) implements Reward {
        public TimeOfDay {
            if (from == null || to == null || from.equals(to)) {
                throw KizunaException.invalid("timeOfDay needs from and to, and they must differ.");
            }
            requireBonus(bonus);
        }

        @Override
        public long points(Sale sale) {
            LocalTime time = sale.at().toLocalTime();
            boolean inside = from.isBefore(to)
                    ? !time.isBefore(from) && time.isBefore(to)
                    : !time.isBefore(from) || time.isBefore(to);
            return inside ? bonus.of(sale.basePoints()) : 0;
        }
    }

    /** A bonus on the first purchase after at least {@code days} days without one; a first purchase ever is not. */
    record Dormancy(int days, Bonus bonus) implements Reward {
        public Dormancy {
            if (days < 1 || days > 3650) {
                throw KizunaException.invalid("dormancy days are 1 to 3650.");
            }
            requireBonus(bonus);
        }

        @Override
        public long points(Sale sale) {
            Long since = sale.daysSincePreviousPurchase();
            return since != null && since >= days ? bonus.of(sale.basePoints()) : 0;
        }
    }

    private static void requireBonus(Bonus bonus) {
        if (bonus == null) {
            throw KizunaException.invalid("The reward needs a bonus: {\"points\": n} or {\"multiplier\": m}.");
        }
    }

    private static void checkMultiplier(BigDecimal multiplier) {
        if (multiplier == null || multiplier.compareTo(BigDecimal.ONE) <= 0
                || multiplier.compareTo(MAX_MULTIPLIER) > 0 || multiplier.scale() > 2) {
            throw KizunaException.invalid("A multiplier is more than 1 and at most " + MAX_MULTIPLIER
                    + ", with at most 2 decimals.");
        }
    }

    /** The points a multiplier adds to {@code base}: 10 at ×1.5 adds 5, rounded down. */
    private static long extra(long base, BigDecimal multiplier) {
        return BigDecimal.valueOf(base).multiply(multiplier.subtract(BigDecimal.ONE))
                .setScale(0, RoundingMode.DOWN).longValueExact();
    }
}
