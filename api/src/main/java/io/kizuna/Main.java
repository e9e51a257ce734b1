package io.kizuna;

import java.time.Clock;
import java.time.Duration;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import io.kizuna.db.DatabaseUnavailableException;

/** Starts Kizuna: its embedded MariaDB (unless KIZUNA_DB_URL names another database), the schema, the server. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        Database database;
        try {
            database = Database.start(DatabaseConfig.from(config.get("kizuna.db")));
        } catch (DatabaseUnavailableException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        // Microseconds: what DATETIME(6) keeps, so an instant reads back exactly as it was written.
        Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
        Kizuna kizuna = Kizuna.start(config, database, clock);
        Runtime.getRuntime().addShutdownHook(new Thread(kizuna::close, "kizuna-shutdown"));
    }
}
