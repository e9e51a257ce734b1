package io.kizuna.analytics;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;

import io.kizuna.error.KizunaException;
import io.kizuna.member.AgeBand;

/**
 * How a report splits its numbers ({@code ?by=}): a member attribute, or the store. Queries group by the raw column
 * ({@link #column}) and {@link #label} turns each raw value into the slice it belongs to, so an age band is
 * {@link AgeBand}'s, whatever the birth dates are. A missing value (or an anonymous sale) is "unknown".
 */
public enum Slice {
    ALL("all"),
    AGE_BAND("ageBand"),
    GENDER("gender"),
    REGION("region"),
    STORE("store"),
    /** The tier the member holds now; members without a tier row hold the lowest tier. */
    TIER("tier");

    public static final String UNKNOWN = "unknown";

    private final String parameter;

    Slice(String parameter) {
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }

    /**
     * The slice of {@code ?by=} among those a report allows; no parameter is {@link #ALL}.
     *
     * @throws KizunaException (400) for an unknown or unsupported slice
     */
    static Slice parse(String value, Set<Slice> allowed) {
        if (value == null) {
            return ALL;
        }
        Slice slice = Arrays.stream(values()).filter(candidate -> candidate.parameter.equals(value)).findFirst()
                .filter(allowed::contains)
                .orElseThrow(() -> KizunaException.invalid("This report can be sliced by "
                        + allowed.stream().filter(candidate -> candidate != ALL).map(Slice::parameter).toList()
                        + ", not '" + value + "'."));
        return slice;
    }

    /**
     * The SQL expression of the raw value to group by, given the member table's alias, the store column that fits
     * the report (the sale's store, or the member's first store) and the lowest tier's code (upper-case letters,
     * digits and _, as tier codes are checked to be, so it can stand in the SQL as a literal).
     */
    String column(String member, String store, String lowestTier) {
        if (this == TIER && !lowestTier.matches("[A-Z0-9_]{1,32}")) {
            throw new IllegalStateException("not a tier code");
        }
        return switch (this) {
            case ALL -> "NULL";
            case AGE_BAND -> member + ".birth_date";
            case GENDER -> member + ".gender";
            case REGION -> member + ".prefecture";
            case STORE -> store;
            case TIER -> "CASE WHEN " + member + ".id IS NULL THEN NULL ELSE COALESCE((SELECT t.tier_code"
                    + " FROM member_tier t WHERE t.member_id = " + member + ".id), '" + lowestTier + "') END";
        };
    }

    /** The slice a raw value belongs to, on {@code today} (age bands move with time). */
    String label(Object raw, LocalDate today) {
        if (this == ALL) {
            return "all";
        }
        if (this == AGE_BAND) {
            return raw == null ? UNKNOWN : AgeBand.of(toDate(raw), today);
        }
        return raw == null ? UNKNOWN : raw.toString();
    }

    private static LocalDate toDate(Object raw) {
        return raw instanceof LocalDate date ? date : raw instanceof Date date ? date.toLocalDate()
                : LocalDate.parse(raw.toString());
    }
}
