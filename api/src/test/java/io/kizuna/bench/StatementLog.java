package io.kizuna.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * What one action sent to the database, read from MariaDB's general log: the statements with literal values
 * replaced by {@code ?}, each prefixed with the connection that sent it. Both benchmarks use it to show that their
 * plain-JDBC ceiling sends the service's statements and no fewer.
 */
final class StatementLog {
    private StatementLog() {
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** The shapes of the statements {@code action} caused, from every connection but the recording one. */
    static List<String> record(DataSource dataSource, Action action) throws Exception {
        try (Connection control = dataSource.getConnection(); Statement statement = control.createStatement()) {
            statement.execute("SET GLOBAL log_output = 'TABLE'");
            statement.execute("TRUNCATE TABLE mysql.general_log");
            statement.execute("SET GLOBAL general_log = 1");
            try {
                action.run();
            } finally {
                statement.execute("SET GLOBAL general_log = 0");
            }
            return loggedStatements(statement);
        }
    }

    private static List<String> loggedStatements(Statement statement) throws SQLException {
        List<String> statements = new ArrayList<>();
        List<Long> connections = new ArrayList<>();
        try (ResultSet logged = statement.executeQuery("SELECT thread_id, argument FROM mysql.general_log"
                + " WHERE command_type = 'Query' AND thread_id <> CONNECTION_ID()")) {
            while (logged.next()) {
                if (!connections.contains(logged.getLong(1))) {
                    connections.add(logged.getLong(1));
                }
                statements.add("c" + (connections.indexOf(logged.getLong(1)) + 1) + " "
                        + shape(new String(logged.getBytes(2), StandardCharsets.ISO_8859_1)));
            }
        }
        return statements;
    }

    /** The statement in lower case with every literal (string, binary, number) replaced by {@code ?}. */
    static String shape(String sql) {
        StringBuilder shaped = new StringBuilder();
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            boolean startsWord = i == 0 || !isWordCharacter(sql.charAt(i - 1));
            if (c == '\'') {
                i = endOfQuoted(sql, i);
                shaped.append('?');
            } else if (startsWord && Character.isDigit(c)) {
                while (i + 1 < sql.length() && (Character.isDigit(sql.charAt(i + 1)) || sql.charAt(i + 1) == '.')) {
                    i++;
                }
                shaped.append('?');
            } else if (startsWord && (c == 'x' || c == 'X') && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                continue; // x'0123...': a hex literal, the quoted part follows
            } else {
                shaped.append(Character.toLowerCase(c));
            }
        }
        return shaped.toString().replace("_binary?", "?").replaceAll("\\s+", " ").strip();
    }

    private static int endOfQuoted(String sql, int opening) {
        for (int i = opening + 1; i < sql.length(); i++) {
            if (sql.charAt(i) == '\\') {
                i++;
            } else if (sql.charAt(i) == '\'') {
                return i;
            }
        }
        return sql.length();
    }

    private static boolean isWordCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
