package io.kizuna.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.TestDatabases;
import io.kizuna.testing.TestServer;

/** A central Kizuna of its own on a fixed port, which a test can stop and start again on the same data. */
final class CentralServer implements AutoCloseable {
    static final String ADMIN_KEY = "kz_edge-test-central-admin-key-0123456789";
    private final String schema = "edge_central_" + System.nanoTime();
    private final int port = freePort();
    private Kizuna kizuna;

    CentralServer start() {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of(
                        "server.port", String.valueOf(port),
                        "server.host", "127.0.0.1",
                        "kizuna.security.bootstrap-admin-key", ADMIN_KEY)),
                        ConfigSources.classpath("application.yaml"))
                .build();
        kizuna = Kizuna.start(config, TestDatabases.open(schema), TestServer.CLOCK);
        return this;
    }

    void stop() {
        kizuna.close();
        kizuna = null;
    }

    int port() {
        return port;
    }

    ApiClient admin() {
        return TestServer.client(port, ADMIN_KEY);
    }

    /** Receipts of one store as the central database holds them. */
    long receipts(String store) {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM receipt WHERE store_code = ?")) {
            query.setString(1, store);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (kizuna != null) {
            stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
