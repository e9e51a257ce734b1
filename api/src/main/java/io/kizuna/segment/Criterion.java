package io.kizuna.segment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kizuna.analytics.RfmSegment;
import io.kizuna.member.AgeBand;
import io.kizuna.member.MemberStatus;
import io.kizuna.member.Profile;

/**
 * One rule of a segment definition, named in JSON by its {@code kind}. Each kind checks its fields strictly when
 * it is read (a bad one is a 400 and nothing is saved) and turns itself into a boolean SQL condition over the
 * member row {@code m}, reading the member record or the analytics projections, never the hot purchase tables.
 *
 * <p>Adding a kind is one record here (its fields, checks in the compact constructor, its {@link #condition})
 * plus its line in {@link JsonSubTypes}, and its schema in the OpenAPI document.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Criterion.AgeBands.class, name = "ageBand"),
        @JsonSubTypes.Type(value = Criterion.Genders.class, name = "gender"),
        @JsonSubTypes.Type(value = Criterion.Prefectures.class, name = "prefecture"),
        @JsonSubTypes.Type(value = Criterion.Tenure.class, name = "tenure"),
        @JsonSubTypes.Type(value = Criterion.Statuses.class, name = "status"),
        @JsonSubTypes.Type(value = Criterion.MarketingConsent.class, name = "marketingConsent"),
        @JsonSubTypes.Type(value = Criterion.DaysSinceLastPurchase.class, name = "daysSinceLastPurchase"),
        @JsonSubTypes.Type(value = Criterion.PurchasesInWindow.class, name = "purchasesInWindow"),
        @JsonSubTypes.Type(value = Criterion.SpendInWindow.class, name = "spendInWindow"),
        @JsonSubTypes.Type(value = Criterion.CategoriesBought.class, name = "categoriesBought"),
        @JsonSubTypes.Type(value = Criterion.CategoriesNotBought.class, name = "categoriesNotBought"),
        @JsonSubTypes.Type(value = Criterion.SkusBought.class, name = "skusBought"),
        @JsonSubTypes.Type(value = Criterion.SkusNotBought.class, name = "skusNotBought"),
        @JsonSubTypes.Type(value = Criterion.NthPurchaseReached.class, name = "nthPurchaseReached"),
        @JsonSubTypes.Type(value = Criterion.NthPurchaseNotReached.class, name = "nthPurchaseNotReached"),
        @JsonSubTypes.Type(value = Criterion.Tiers.class, name = "tier"),
        @JsonSubTypes.Type(value = Criterion.TierAtRisk.class, name = "tierAtRisk"),
        @JsonSubTypes.Type(value = Criterion.CloseToUpgrade.class, name = "closeToUpgrade"),
        @JsonSubTypes.Type(value = Criterion.RfmSegments.class, name = "rfmSegment"),
        @JsonSubTypes.Type(value = Criterion.ProbabilityAlive.class, name = "probabilityAlive"),
        @JsonSubTypes.Type(value = Criterion.PredictedValue.class, name = "predictedValue"),
        @JsonSubTypes.Type(value = Criterion.CrossSell.class, name = "crossSell"),
        @JsonSubTypes.Type(value = Criterion.AnyOf.class, name = "anyOf"),
        @JsonSubTypes.Type(value = Criterion.AllOf.class, name = "allOf")})
public sealed interface Criterion {
    /** A boolean SQL expression over the member row {@code m} (table member). */
    SqlCondition condition(Evaluation at);

    /**
     * Whether the kind may appear twice in one AND group. Kinds with a single range or value list may not: two of
     * them overlap, and the marketer meant one (merge the lists, narrow the range).
     */
    default boolean repeatable() {
        return false;
    }

    /** Age bands as reports slice members ({@link AgeBand}), computed from the birth date against today. */
    record AgeBands(List<String> bands) implements Criterion {
        static final List<String> KNOWN = List.of("under 20", "20-29", "30-39", "40-49", "50-59", "60-69", "70+",
                AgeBand.UNKNOWN);

        public AgeBands {
            bands = Checks.values("ageBand", "bands", bands);
            if (!KNOWN.containsAll(bands)) {
                throw Checks.invalid("ageBand", "bands are " + KNOWN);
            }
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            List<SqlCondition> any = new ArrayList<>();
            for (String band : bands) {
                any.add(band(band, at.today()));
            }
            return SqlCondition.join("OR", any);
        }

        private static SqlCondition band(String band, LocalDate today) {
            Born born = born(band, today);
            if (band.equals(AgeBand.UNKNOWN)) {
                return SqlCondition.of("m.birth_date IS NULL");
            }
            List<String> sql = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            if (born.after() != null) {
                sql.add("m.birth_date > ?");
                parameters.add(born.after());
            }
            if (born.onOrBefore() != null) {
                sql.add("m.birth_date <= ?");
                parameters.add(born.onOrBefore());
            }
            return new SqlCondition("(" + String.join(" AND ", sql) + ")", parameters);
        }

        /** The birth dates of a band today: after one date (null: no limit) and on or before another (null: none). */
        record Born(LocalDate after, LocalDate onOrBefore) {
        }

        /** Age {@code a} or more today is "born on or before today minus a years", as {@link AgeBand} counts. */
        static Born born(String band, LocalDate today) {
            return switch (band) {
                case AgeBand.UNKNOWN -> new Born(null, null);
                case "under 20" -> new Born(today.minusYears(20), null);
                case "70+" -> new Born(null, today.minusYears(70));
                default -> {
                    int from = Integer.parseInt(band.substring(0, 2));
                    yield new Born(today.minusYears(from + 10), today.minusYears(from));
                }
            };
        }
    }

    record Genders(List<Profile.Gender> genders) implements Criterion {
        public Genders {
            genders = Checks.values("gender", "genders", genders);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return new SqlCondition("m.gender IN (" + SqlCondition.marks(genders.size()) + ")",
                    genders.stream().map(gender -> (Object) gender.name()).toList());
        }
    }

    record Prefectures(List<String> prefectures) implements Criterion {
        public Prefectures {
            prefectures = Checks.texts("prefecture", "prefectures", prefectures, 40);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return new SqlCondition("m.prefecture IN (" + SqlCondition.marks(prefectures.size()) + ")",
                    List.copyOf(prefectures));
        }
    }

    /** Days since enrolment (the enrolment day is day 0), in the program's zone. */
    record Tenure(Integer minDays, Integer maxDays) implements Criterion {
        public Tenure {
            Checks.range("tenure", "minDays", Checks.wide(minDays), "maxDays", Checks.wide(maxDays),
                    Checks.MAX_DAYS);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.daysAgo("m.enrolled_at", minDays, maxDays, at);
        }
    }

    /** Merged member records never belong to a segment, so MERGED is not a status one can ask for. */
    record Statuses(List<MemberStatus> statuses) implements Criterion {
        public Statuses {
            statuses = Checks.values("status", "statuses", statuses);
            if (statuses.contains(MemberStatus.MERGED)) {
                throw Checks.invalid("status", "statuses are ACTIVE, SUSPENDED or CLOSED");
            }
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return new SqlCondition("m.status IN (" + SqlCondition.marks(statuses.size()) + ")",
                    statuses.stream().map(status -> (Object) status.name()).toList());
        }
    }

    /** Whether the member agreed to marketing messages. */
    record MarketingConsent(Boolean given) implements Criterion {
        public MarketingConsent {
            Checks.required("marketingConsent", "given", given);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return SqlCondition.of("m.consent_marketing = ?", given);
        }
    }

    /** The tier held now; members without a tier row hold the lowest tier. */
    record Tiers(List<String> tiers) implements Criterion {
        public Tiers {
            tiers = Checks.texts("tier", "tiers", tiers, 32);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            SqlCondition held = new SqlCondition("m.id IN (SELECT t.member_id FROM member_tier t WHERE t.tier_code IN ("
                    + SqlCondition.marks(tiers.size()) + "))", List.copyOf(tiers));
            if (!tiers.contains(at.tiers().lowestTierCode())) {
                return held;
            }
            return SqlCondition.join("OR", List.of(held,
                    SqlCondition.of("m.id NOT IN (SELECT t.member_id FROM member_tier t)")));
        }
    }

    /** At risk of losing the tier at the next review (the tiers feature's rule), or not. */
    record TierAtRisk(Boolean value) implements Criterion {
        public TierAtRisk {
            Checks.required("tierAtRisk", "value", value);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.memberIn(at.tiers().atRiskMemberIds(), value);
        }
    }

    /** Close to the next tier (within the configured share of its threshold), or not. */
    record CloseToUpgrade(Boolean value) implements Criterion {
        public CloseToUpgrade {
            Checks.required("closeToUpgrade", "value", value);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.memberIn(at.tiers().closeToUpgradeMemberIds(), value);
        }
    }

    /** The RFM segment of the last analytics recompute (member_score); members never scored do not match. */
    record RfmSegments(List<RfmSegment> segments) implements Criterion {
        public RfmSegments {
            segments = Checks.values("rfmSegment", "segments", segments);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return new SqlCondition("m.id IN (SELECT sc.member_id FROM member_score sc WHERE sc.rfm_segment IN ("
                    + SqlCondition.marks(segments.size()) + "))",
                    segments.stream().map(segment -> (Object) segment.name()).toList());
        }
    }

    /** The BG/NBD probability of being alive (0 to 1) of the last recompute; members never scored do not match. */
    record ProbabilityAlive(Double min, Double max) implements Criterion {
        public ProbabilityAlive {
            Checks.fraction("probabilityAlive", min, max, 1);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.scoreBetween("probability_alive", min, max);
        }
    }

    /** Predicted value in yen over the recompute's horizon (BG/NBD x Gamma-Gamma); the never scored do not match. */
    record PredictedValue(Double min, Double max) implements Criterion {
        public PredictedValue {
            Checks.fraction("predictedValue", min, max, 1e12);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.scoreBetween("predicted_value", min, max);
        }
    }

    /**
     * A cross-sell opening, from the last recompute's category rules (cross_sell_rule): bought a rule's antecedent
     * category, never its consequent, for rules at least this strong. Members match again as the rules change.
     */
    record CrossSell(Double minLift, Double minConfidence) implements Criterion {
        public CrossSell {
            if (minLift == null || !(minLift >= 0)) {
                throw Checks.invalid("crossSell", "minLift, 0 or more, is required");
            }
            if (minConfidence != null && !(minConfidence >= 0 && minConfidence <= 1)) {
                throw Checks.invalid("crossSell", "minConfidence is 0 to 1");
            }
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return SqlCondition.of("m.id IN (SELECT mc.member_id FROM member_category mc JOIN cross_sell_rule r"
                    + " ON r.kind = 'category' AND r.antecedent = mc.category WHERE r.lift >= ? AND r.confidence >= ?"
                    + " AND NOT EXISTS (SELECT 1 FROM member_category x WHERE x.member_id = mc.member_id"
                    + " AND x.category = r.consequent))", minLift, minConfidence == null ? 0.0 : minConfidence);
        }
    }

    /** Days since the last purchase (its day is day 0); members who never bought do not match. */
    record DaysSinceLastPurchase(Integer minDays, Integer maxDays) implements Criterion {
        public DaysSinceLastPurchase {
            Checks.range("daysSinceLastPurchase", "minDays", Checks.wide(minDays), "maxDays", Checks.wide(maxDays),
                    Checks.MAX_DAYS);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            SqlCondition last = Conditions.daysAgo("s.last_purchase_at", minDays, maxDays, at);
            return new SqlCondition("m.id IN (SELECT s.member_id FROM member_stats s WHERE " + last.sql() + ")",
                    last.parameters());
        }
    }

    /** Sales in the last {@code days} days, today included (member_day); none counts as 0. */
    record PurchasesInWindow(Integer days, Integer min, Integer max) implements Criterion {
        public PurchasesInWindow {
            Checks.window("purchasesInWindow", days, true);
            Checks.range("purchasesInWindow", "min", Checks.wide(min), "max", Checks.wide(max), 1_000_000);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.windowTotal("purchases", days, Checks.wide(min), Checks.wide(max), at);
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** Net spend (after returns) in yen in the last {@code days} days, today included (member_day). */
    record SpendInWindow(Integer days, Long min, Long max) implements Criterion {
        public SpendInWindow {
            Checks.window("spendInWindow", days, true);
            Checks.range("spendInWindow", "min", min, "max", max, 1_000_000_000_000L);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.windowTotal("spend", days, min, max, at);
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** Bought at least one of the categories, ever (member_category; a later return does not undo it). */
    record CategoriesBought(List<String> categories) implements Criterion {
        public CategoriesBought {
            categories = Checks.texts("categoriesBought", "categories", categories, 64);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.categories("IN", categories);
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** Never bought any of the categories. */
    record CategoriesNotBought(List<String> categories) implements Criterion {
        public CategoriesNotBought {
            categories = Checks.texts("categoriesNotBought", "categories", categories, 64);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.categories("NOT IN", categories);
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** Bought at least one of the SKUs, ever or within the last {@code days} days (purchase_fact by member). */
    record SkusBought(List<String> skus, Integer days) implements Criterion {
        public SkusBought {
            skus = Checks.skus("skusBought", skus);
            Checks.window("skusBought", days, false);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.skus("EXISTS", skus, days, at);
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** Bought none of the SKUs, ever or within the last {@code days} days. */
    record SkusNotBought(List<String> skus, Integer days) implements Criterion {
        public SkusNotBought {
            skus = Checks.skus("skusNotBought", skus);
            Checks.window("skusNotBought", days, false);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return Conditions.skus("NOT EXISTS", skus, days, at);
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** Made purchases on at least {@code n} different days (member_stats.purchase_days, as the drop-off counts). */
    record NthPurchaseReached(Integer n) implements Criterion {
        public NthPurchaseReached {
            checkN("nthPurchaseReached", n);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return SqlCondition.of("m.id IN (SELECT s.member_id FROM member_stats s WHERE s.purchase_days >= ?)", n);
        }
    }

    /** Made purchases on fewer than {@code n} different days (never bought included). */
    record NthPurchaseNotReached(Integer n) implements Criterion {
        public NthPurchaseNotReached {
            checkN("nthPurchaseNotReached", n);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return SqlCondition.of("m.id NOT IN (SELECT s.member_id FROM member_stats s WHERE s.purchase_days >= ?)",
                    n);
        }
    }

    /** At least one of its criteria holds (OR); nested groups are checked like the top level. */
    record AnyOf(List<Criterion> criteria) implements Criterion {
        public AnyOf {
            criteria = Checks.values("anyOf", "criteria", criteria);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return SqlCondition.join("OR", criteria.stream().map(criterion -> criterion.condition(at)).toList());
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    /** All of its criteria hold (AND): the way to put "this and that" inside an anyOf. */
    record AllOf(List<Criterion> criteria) implements Criterion {
        public AllOf {
            criteria = Checks.values("allOf", "criteria", criteria);
        }

        @Override
        public SqlCondition condition(Evaluation at) {
            return SqlCondition.join("AND", criteria.stream().map(criterion -> criterion.condition(at)).toList());
        }

        @Override
        public boolean repeatable() {
            return true;
        }
    }

    private static void checkN(String kind, Integer n) {
        if (n == null || n < 1 || n > 10_000) {
            throw Checks.invalid(kind, "n is 1 to 10000");
        }
    }
}
