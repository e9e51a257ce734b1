package io.kizuna.analytics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A report as the API answers it: a header (which report, as of when, computed when, its parameters and any
 * report-specific values) and a table. JSON carries the header fields and the rows as objects; CSV carries the same
 * rows under a header row of the column names. Cells are strings, numbers or null only, so both say the same thing.
 *
 * @param header  name to value, in the order they are answered
 * @param columns the column names
 * @param rows    each row has one cell per column
 */
public record Report(Map<String, Object> header, List<String> columns, List<List<Object>> rows) {
    public Report {
        header = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(header));
        columns = List.copyOf(columns);
        List<List<Object>> copied = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells for " + columns.size()
                        + " columns");
            }
            copied.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copied);
    }

    /** Builds a report row by row. */
    static final class Builder {
        private final Map<String, Object> header = new LinkedHashMap<>();
        private final List<String> columns;
        private final List<List<Object>> rows = new ArrayList<>();

        Builder(String name, String... columns) {
            header.put("report", name);
            this.columns = List.of(columns);
        }

        Builder header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        Builder row(Object... cells) {
            rows.add(Arrays.asList(cells));
            return this;
        }

        Report build() {
            return new Report(header, columns, rows);
        }
    }

    /** The JSON answer: the header's fields, then {@code rows}, each row an object of column name to cell. */
    public Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>(header);
        List<Map<String, Object>> objects = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                object.put(columns.get(i), row.get(i));
            }
            objects.add(object);
        }
        body.put("rows", objects);
        return body;
    }

    /** RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break. */
    public String csv() {
        StringBuilder text = new StringBuilder();
        appendLine(text, new ArrayList<>(columns));
        for (List<Object> row : rows) {
            appendLine(text, row);
        }
        return text.toString();
    }

    private static void appendLine(StringBuilder text, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            String cell = Objects.toString(cells.get(i), "");
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                cell = "\"" + cell.replace("\"", "\"\"") + "\"";
            }
            text.append(cell);
        }
        text.append("\r\n");
    }
}
