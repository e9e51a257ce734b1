package io.kizuna.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import jakarta.persistence.EntityManagerFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Kizuna's database: the pool, the migrated schema, and (when no external database is configured) the embedded
 * MariaDB it runs on. Entity classes belong to the core, which hands them to {@link #entityManagerFactory(List)}.
 */
public final class Database implements AutoCloseable {
    private final Optional<EmbeddedMariaDb> embedded;
    private final HikariDataSource dataSource;
    private final String url;

    private Database(Optional<EmbeddedMariaDb> embedded, HikariDataSource dataSource, String url) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.url = url;
    }

    /** Starts the embedded database if none is configured, connects the pool and migrates the schema. */
    public static Database start(DatabaseConfig config) {
        if (!config.isEmbedded()) {
            return open(Optional.empty(), config.url().orElseThrow(), config);
        }
        EmbeddedMariaDb server = EmbeddedMariaDb.start(config.embeddedDataDir(), config.embeddedPort());
        try {
            server.createSchema(config.schema());
            return open(Optional.of(server), server.jdbcUrl(config.schema()), config);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Connects to one schema of an embedded server that somebody else owns (tests use one server, many schemas).
     * Closing this database leaves the server running.
     */
    public static Database onSharedServer(EmbeddedMariaDb server, DatabaseConfig config) {
        server.createSchema(config.schema());
        return open(Optional.empty(), server.jdbcUrl(config.schema()), config);
    }

    private static Database open(Optional<EmbeddedMariaDb> embedded, String url, DatabaseConfig config) {
        HikariDataSource pool = connect(url, config, embedded.isPresent());
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new DatabaseUnavailableException("Kizuna could not migrate its database schema at "
                    + redact(url) + ": " + e.getMessage(), e);
        }
        return new Database(embedded, pool, url);
    }

    private static HikariDataSource connect(String url, DatabaseConfig config, boolean embedded) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("kizuna");
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hikari.setConnectionTimeout(config.connectTimeout().toMillis());
        hikari.setInitializationFailTimeout(config.connectTimeout().toMillis());
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(config.connectTimeout().toMillis()));
        // Instants are stored as UTC wall-clock time, whatever the JVM's or server's zone.
        hikari.addDataSourceProperty("connectionTimeZone", "UTC");
        hikari.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        hikari.addDataSourceProperty("rewriteBatchedStatements", "true");
        hikari.addDataSourceProperty("cachePrepStmts", "true");
        hikari.addDataSourceProperty("prepStmtCacheSize", "256");
        hikari.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        hikari.addDataSourceProperty("useLocalSessionState", "true");
        hikari.addDataSourceProperty("useLocalTransactionState", "true");
        hikari.addDataSourceProperty("elideSetAutoCommits", "true");
        hikari.addDataSourceProperty("cacheServerConfiguration", "true");
        hikari.addDataSourceProperty("maintainTimeStats", "false");
        if (embedded) {
            hikari.addDataSourceProperty("sslMode", "DISABLED");
            hikari.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        }
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseUnavailableException("Kizuna cannot reach its database at " + redact(url)
                    + " (" + rootMessage(e) + "); check KIZUNA_DB_URL, KIZUNA_DB_USER and KIZUNA_DB_PASSWORD.", e);
        }
    }

    /** An EntityManagerFactory over this database for the given entity classes, without CDI or persistence.xml. */
    public EntityManagerFactory entityManagerFactory(List<Class<?>> entityClasses) {
        return PersistenceUnits.create("kizuna", dataSource, entityClasses);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether a connection can be taken from the pool and answers within a second. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    public String describe() {
        return embedded.map(server -> "embedded MariaDB on port " + server.port()).orElse(redact(url));
    }

    @Override
    public void close() {
        dataSource.close();
        embedded.ifPresent(EmbeddedMariaDb::close);
    }

    private static String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
