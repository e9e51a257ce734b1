package io.kizuna.segment;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import io.kizuna.error.KizunaException;

/** The strict checks every criterion makes of its fields; each failure names the kind and the field. */
final class Checks {
    static final int MAX_VALUES = 200;
    static final int MAX_WINDOW_DAYS = 3_660;
    static final int MAX_DAYS = 36_600;
    /** A SKU as the till may send it, minus whitespace: purchase_fact keeps a basket's SKUs space separated. */
    private static final Pattern SKU = Pattern.compile("\\S{1,64}");

    private Checks() {
    }

    /** A list of 1 to 200 distinct values, none null. */
    static <T> List<T> values(String kind, String field, List<T> values) {
        if (values == null || values.isEmpty() || values.size() > MAX_VALUES || values.contains(null)) {
            throw invalid(kind, field + " lists 1 to " + MAX_VALUES + " values");
        }
        if (new HashSet<>(values).size() != values.size()) {
            throw invalid(kind, field + " lists a value twice");
        }
        return List.copyOf(values);
    }

    static List<String> texts(String kind, String field, List<String> values, int maxLength) {
        List<String> checked = values(kind, field, values);
        for (String value : checked) {
            if (value.isBlank() || value.length() > maxLength) {
                throw invalid(kind, field + " holds a value that is blank or longer than " + maxLength
                        + " characters");
            }
        }
        return checked;
    }

    static List<String> skus(String kind, List<String> skus) {
        List<String> checked = values(kind, "skus", skus);
        if (!checked.stream().allMatch(sku -> SKU.matcher(sku).matches())) {
            throw invalid(kind, "skus are 1 to 64 characters without spaces");
        }
        return checked;
    }

    /** A range of which at least one end is given, both ends 0 to {@code limit}, min not above max. */
    static void range(String kind, String minField, Long min, String maxField, Long max, long limit) {
        if (min == null && max == null) {
            throw invalid(kind, "give " + minField + ", " + maxField + " or both");
        }
        for (Long end : new Long[] {min, max}) {
            if (end != null && (end < 0 || end > limit)) {
                throw invalid(kind, minField + " and " + maxField + " are 0 to " + limit);
            }
        }
        if (min != null && max != null && min > max) {
            throw invalid(kind, minField + " is above " + maxField);
        }
    }

    /** A range of decimals of which at least one end is given, both ends 0 to {@code limit}, min not above max. */
    static void fraction(String kind, Double min, Double max, double limit) {
        if (min == null && max == null) {
            throw invalid(kind, "give min, max or both");
        }
        for (Double end : new Double[] {min, max}) {
            if (end != null && !(end >= 0 && end <= limit)) {
                throw invalid(kind, "min and max are 0 to " + limit);
            }
        }
        if (min != null && max != null && min > max) {
            throw invalid(kind, "min is above max");
        }
    }

    static void window(String kind, Integer days, boolean required) {
        if (days == null && !required) {
            return;
        }
        if (days == null || days < 1 || days > MAX_WINDOW_DAYS) {
            throw invalid(kind, "days (the window: the last N days, today included) is 1 to " + MAX_WINDOW_DAYS);
        }
    }

    static void required(String kind, String field, Object value) {
        if (value == null) {
            throw invalid(kind, field + " is required");
        }
    }

    static KizunaException invalid(String kind, String problem) {
        return KizunaException.invalid("Criterion " + kind + ": " + problem + ".");
    }

    static Long wide(Integer value) {
        return value == null ? null : value.longValue();
    }
}
