package io.kizuna.testing;

import java.time.Instant;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;

/**
 * The real Kizuna server (same wiring as Main) on a fresh schema of the test MariaDB, on a free port, with a
 * clock the tests move. Started once per test JVM and shared: tests create their own members and cards.
 */
public final class TestServer {
    public static final String ADMIN_KEY = "kz_test-bootstrap-admin-key-0123456789";
    public static final String APP_TOKEN_SECRET = "test-app-token-secret-0123456789abcdef";
    public static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-04-01T01:00:00Z"));
    private static Kizuna kizuna;

    private TestServer() {
    }

    public static synchronized Kizuna get() {
        if (kizuna == null) {
            Config config = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.create(Map.of(
                            "server.port", "0",
                            "server.host", "127.0.0.1",
                            "kizuna.security.bootstrap-admin-key", ADMIN_KEY,
                            "kizuna.http.max-json-bytes", "16384",
                            "kizuna.ledger.expiry-interval", "PT1H",
                            // Tests run the dispatcher themselves, when their scenario says so.
                            "kizuna.feed.dispatch-interval", "PT1H",
                            "kizuna.app.token-secret", APP_TOKEN_SECRET,
                            // A cheap Argon2id cost keeps the tests fast; production uses application.yaml's.
                            "kizuna.app.argon2.memory-kib", "1024",
                            "kizuna.app.argon2.iterations", "1",
                            "kizuna.app.client-address-header", "X-Forwarded-For")),
                            ConfigSources.classpath("application.yaml"))
                    .build();
            kizuna = Kizuna.start(config, TestDatabases.freshSchema("http"), CLOCK);
            Runtime.getRuntime().addShutdownHook(new Thread(kizuna::close));
        }
        return kizuna;
    }

    /**
     * A Kizuna of its own on the schema {@code schema} (created if new, found again if not), for tests that need
     * exact numbers over the whole database or a restart; its dispatcher runs only when the test says so.
     */
    public static Kizuna startOwn(String schema) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1",
                                "kizuna.security.bootstrap-admin-key", ADMIN_KEY,
                                "kizuna.ledger.expiry-interval", "PT1H",
                                "kizuna.feed.dispatch-interval", "PT1H")),
                        ConfigSources.classpath("application.yaml"))
                .build();
        return Kizuna.start(config, TestDatabases.open(schema), CLOCK);
    }

    public static ApiClient admin() {
        return new ApiClient(get().port(), ADMIN_KEY);
    }

    public static ApiClient as(String key) {
        return new ApiClient(get().port(), key);
    }

    /** A client of another server in the test, on its own port. */
    public static ApiClient client(int port, String key) {
        return new ApiClient(port, key);
    }
}
