package io.kizuna.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * Where the database is and how to reach it. With no {@code url}, Kizuna runs its own embedded MariaDB.
 *
 * @param url             JDBC URL of an external MySQL 8.0+ / MariaDB 10.6+, empty for the embedded database
 * @param user            database user for the external database
 * @param password        database password for the external database
 * @param embeddedDataDir where the embedded MariaDB keeps its binaries and data across restarts
 * @param embeddedPort    port of the embedded MariaDB; 0 picks a free one
 * @param schema          schema (database) name inside the embedded MariaDB
 * @param poolSize        maximum connections in the pool
 * @param connectTimeout  how long to wait for the database before giving up
 */
public record DatabaseConfig(Optional<String> url,
                             String user,
                             String password,
                             Path embeddedDataDir,
                             int embeddedPort,
                             String schema,
                             int poolSize,
                             Duration connectTimeout) {

    /** Reads the {@code kizuna.db} subtree. */
    public static DatabaseConfig from(Config db) {
        return new DatabaseConfig(
                db.get("url").asString().asOptional().filter(url -> !url.isBlank()),
                db.get("user").asString().orElse("root"),
                db.get("password").asString().orElse(""),
                Path.of(db.get("embedded.dir").asString().orElse("data")),
                db.get("embedded.port").asInt().orElse(0),
                db.get("embedded.schema").asString().orElse("kizuna"),
                db.get("pool-size").asInt().orElse(24),
                db.get("connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)));
    }

    /** An embedded database in the given folder on a free port: what tests and benchmarks use. */
    public static DatabaseConfig embedded(Path dataDir) {
        return new DatabaseConfig(Optional.empty(), "root", "", dataDir, 0, "kizuna", 40, Duration.ofSeconds(10));
    }

    public DatabaseConfig withSchema(String otherSchema) {
        return new DatabaseConfig(url, user, password, embeddedDataDir, embeddedPort, otherSchema, poolSize,
                connectTimeout);
    }

    public boolean isEmbedded() {
        return url.isEmpty();
    }
}
