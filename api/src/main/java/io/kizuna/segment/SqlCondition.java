package io.kizuna.segment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A piece of SQL with its parameters, bound in order. A criterion's condition is a boolean expression over the
 * member row, which is always aliased {@code m}; a segment's member query ({@link Segments#memberIdsSql}) is a
 * whole SELECT that a campaign can embed in INSERT ... SELECT.
 */
public record SqlCondition(String sql, List<Object> parameters) {
    public SqlCondition {
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }

    public static SqlCondition of(String sql, Object... parameters) {
        return new SqlCondition(sql, List.of(parameters));
    }

    /** "?, ?, ?" for an IN list of {@code count} values. */
    static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** All of {@code conditions} joined by {@code operator} ("AND", "OR"), in parentheses. */
    static SqlCondition join(String operator, List<SqlCondition> conditions) {
        StringBuilder sql = new StringBuilder("(");
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i == 0 ? "" : " " + operator + " ").append(conditions.get(i).sql());
            parameters.addAll(conditions.get(i).parameters());
        }
        return new SqlCondition(sql.append(")").toString(), parameters);
    }
}
