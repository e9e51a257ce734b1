package io.kizuna.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.bench.TillTraffic.Lane;
import io.kizuna.bench.TillTraffic.Mix;
import io.kizuna.bench.TillTraffic.Operation;
import io.kizuna.bench.TillTraffic.Product;
import io.kizuna.bench.TillTraffic.Tally;
import io.kizuna.bench.TillTraffic.Window;
import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import org.HdrHistogram.Histogram;

/**
 * How the till holds up when a store's terminals all sell at once. N simulated terminals drive realistic checkout
 * traffic over real HTTP (about five lines a sale, 10% paid partly with points through a hold, 2% returns of an
 * earlier sale) back to back, which finds the most the server sustains, and at a pace, a customer per terminal
 * every {@code load.pacedIntervalMillis} on average, which shows the latency a till sees when the server is busy
 * but not saturated. Then the terminals sell nothing but plain sales back to back, and the same number of
 * plain-JDBC callers do the database work of exactly those sales against the same database: the ceiling the
 * service is measured against, like for like.
 *
 * <p>Not a test. Run from the repository root with {@code mvn -B -q -pl api -am -Ptill-load process-test-classes}
 * (JDK 21+; about three minutes). System properties, passed to that command with {@code -D}:
 * {@code load.terminals} (64), {@code load.members} (4096), {@code load.products} (400),
 * {@code load.warmupSeconds} (10), {@code load.measureSeconds} (30), {@code load.pacedIntervalMillis} (500; 0 skips
 * the paced run), {@code load.dataDir} (the profile sets {@code api/target/till-load-mariadb}; deleted first).
 * Without {@code load.url} it starts Kizuna in-process on an embedded MariaDB; with {@code load.url=http://host:port}
 * and {@code load.adminKey} it loads that server instead, and compares with plain JDBC only when
 * {@code load.jdbcUrl} (with {@code load.jdbcUser}, {@code load.jdbcPassword}, {@code load.jdbcPoolSize}) names its
 * database.
 */
public final class TillLoadHarness {
    private static final String ADMIN_KEY = "kz_till-load-admin-key-0123456789abcdef";
    private static final ZoneId PROGRAM_ZONE = ZoneId.of("Asia/Tokyo");
    private static final double TARGET_RATIO = 0.50;
    private static final double TARGET_P99_MILLIS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TillLoadHarness() {
    }

    record Settings(int terminals, int members, int products, Duration warmup, Duration measure,
                    Duration pacedInterval, Path dataDir, Optional<String> url, String adminKey,
                    Optional<String> jdbcUrl) {
        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("load.terminals", 64),
                    Integer.getInteger("load.members", 4096),
                    Integer.getInteger("load.products", 400),
                    Duration.ofSeconds(Long.getLong("load.warmupSeconds", 10)),
                    Duration.ofSeconds(Long.getLong("load.measureSeconds", 30)),
                    Duration.ofMillis(Long.getLong("load.pacedIntervalMillis", 500)),
                    Path.of(System.getProperty("load.dataDir", "target/till-load-mariadb")).toAbsolutePath(),
                    Optional.ofNullable(System.getProperty("load.url")).filter(url -> !url.isBlank()),
                    System.getProperty("load.adminKey", ADMIN_KEY),
                    Optional.ofNullable(System.getProperty("load.jdbcUrl")).filter(url -> !url.isBlank()));
        }
    }

    /** The Kizuna under load, and its database when the harness can reach it. */
    record Target(URI base, String adminKey, Optional<DataSource> database, String description,
                  AutoCloseable resources) implements AutoCloseable {
        static Target open(Settings settings) throws IOException {
            return settings.url().isPresent() ? remote(settings) : inProcess(settings);
        }

        private static Target inProcess(Settings settings) throws IOException {
            deleteRecursively(settings.dataDir());
            Config config = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.create(Map.of(
                                    "server.port", "0",
                                    "server.host", "127.0.0.1",
                                    "kizuna.security.bootstrap-admin-key", ADMIN_KEY,
                                    "kizuna.db.embedded.dir", settings.dataDir().toString(),
                                    "kizuna.db.pool-size", System.getProperty("load.poolSize", "24"),
                                    "kizuna.ledger.expiry-interval", "PT1H")),
                            ConfigSources.classpath("application.yaml"))
                    .build();
            Database database = Database.start(DatabaseConfig.from(config.get("kizuna.db")));
            Kizuna kizuna = Kizuna.start(config, database, Clock.systemUTC());
            return new Target(URI.create("http://127.0.0.1:" + kizuna.port()), ADMIN_KEY,
                    Optional.of(database.dataSource()), "in-process Kizuna, " + database.describe()
                    + ", pool of " + poolSize(database.dataSource()), kizuna);
        }

        private static Target remote(Settings settings) {
            Optional<HikariDataSource> pool = settings.jdbcUrl().map(TillLoadHarness::jdbcPool);
            return new Target(URI.create(settings.url().orElseThrow()), settings.adminKey(),
                    pool.map(DataSource.class::cast), "Kizuna at " + settings.url().orElseThrow()
                    + pool.map(p -> ", JDBC pool of " + p.getMaximumPoolSize()).orElse(""),
                    () -> pool.ifPresent(HikariDataSource::close));
        }

        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    /** What the harness created before the load: one store, its lanes and the products they sell. */
    record Shop(String storeCode, List<Lane> lanes, List<Product> catalogue, LocalDate businessDay) {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        try (Target target = Target.open(settings)) {
            run(settings, target);
        }
    }

    private static void run(Settings settings, Target target) throws Exception {
        Admin admin = new Admin(target.base(), target.adminKey());
        long setUpBegan = System.nanoTime();
        Shop shop = setUp(settings, admin);
        System.out.printf("%nTill load: %d terminals of store %s, %d members, %d products; %s; %d CPUs.%n",
                settings.terminals(), shop.storeCode(), settings.members(), shop.catalogue().size(),
                target.description(), Runtime.getRuntime().availableProcessors());
        System.out.printf("  Set up over HTTP in %.1f s. Per path %d s warm-up, then %d s measured.%n",
                (System.nanoTime() - setUpBegan) / 1e9, settings.warmup().toSeconds(),
                settings.measure().toSeconds());

        Tally service = driveTerminals(target, shop, settings, Mix.REALISTIC, Duration.ZERO, "");
        printServiceTable("Service over HTTP, realistic traffic, every terminal back to back (saturation)", service,
                settings.measure());
        Optional<Tally> paced = Optional.empty();
        if (!settings.pacedInterval().isZero()) {
            paced = Optional.of(driveTerminals(target, shop, settings, Mix.REALISTIC, settings.pacedInterval(),
                    "P"));
            printServiceTable("Service over HTTP, realistic traffic, each terminal a customer every "
                    + settings.pacedInterval().toMillis() + " ms on average (Poisson; latency from the customer's"
                    + " arrival)", paced.get(), settings.measure());
        }
        Tally plain = driveTerminals(target, shop, settings, Mix.PLAIN_SALES, Duration.ZERO, "S");
        printServiceTable("Service over HTTP, plain sales only (the plain-JDBC run's work), back to back", plain,
                settings.measure());
        double serviceSales = salesPerSecond(plain, settings.measure());
        Optional<JdbcResult> jdbc = target.database().isPresent()
                ? Optional.of(jdbcCeiling(target, shop, settings))
                : Optional.empty();
        if (jdbc.isEmpty()) {
            System.out.println("\nPlain-JDBC comparison skipped: pass -Dload.jdbcUrl (and -Dload.jdbcUser,"
                    + " -Dload.jdbcPassword) to name the database of the Kizuna at " + target.base() + ".");
        }
        long errors = service.totalErrors() + paced.map(Tally::totalErrors).orElse(0L) + plain.totalErrors();
        printVerdict(serviceSales, p99Millis(service), paced.map(TillLoadHarness::p99Millis), errors, jdbc,
                settings);
        audit(admin);
    }

    // --- setting up over HTTP ------------------------------------------------------------------------------------

    private static Shop setUp(Settings settings, Admin admin) throws Exception {
        String storeCode = "LOAD-" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        admin.send("POST", "/api/v1/stores", "{\"code\": \"" + storeCode + "\", \"name\": \"Load test store\"}");
        List<Product> catalogue = putCatalogue(admin, settings.products());
        List<String> cards = enrollMembers(admin, settings.members());
        List<Lane> lanes = new ArrayList<>();
        for (int lane = 0; lane < settings.terminals(); lane++) {
            String code = String.format("T%03d", lane + 1);
            String key = admin.send("POST", "/api/v1/stores/" + storeCode + "/terminals",
                    "{\"code\": \"" + code + "\"}").path("key").asText();
            lanes.add(new Lane(code, key, shareOf(cards, lane, settings.terminals())));
        }
        return new Shop(storeCode, lanes, catalogue, LocalDate.now(PROGRAM_ZONE));
    }

    /** Every n-th card from this lane's position on: lanes never share a member, so they never wait on a wallet. */
    private static List<String> shareOf(List<String> cards, int lane, int lanes) {
        return IntStream.range(0, cards.size()).filter(i -> i % lanes == lane).mapToObj(cards::get).toList();
    }

    /** Mostly groceries; one product in twenty is tobacco (never earns), one in fifty excluded by itself. */
    private static List<Product> putCatalogue(Admin admin, int count) throws Exception {
        Random random = new Random(42);
        List<Product> catalogue = new ArrayList<>();
        List<String> categories = List.of("FOOD", "DRINK", "DELI", "HOUSEHOLD", "COSMETICS");
        for (int i = 0; i < count; i++) {
            String category = i % 20 == 0 ? "TOBACCO" : categories.get(random.nextInt(categories.size()));
            catalogue.add(new Product(String.format("49%010d", i), category, 80 + random.nextInt(60) * 10L));
        }
        inParallel(catalogue.stream().map(product -> (Callable<JsonNode>) () -> admin.send("PUT",
                "/api/v1/products/" + product.sku(), "{\"name\": \"Product " + product.sku() + "\", \"category\": \""
                        + product.category() + "\", \"excludedFromEarning\": "
                        + (catalogue.indexOf(product) % 50 == 7) + "}")).toList());
        return List.copyOf(catalogue);
    }

    private static List<String> enrollMembers(Admin admin, int count) throws Exception {
        return inParallel(IntStream.range(0, count).mapToObj(i -> (Callable<JsonNode>) () -> admin.send("POST",
                        "/api/v1/members", "{\"profile\": {\"name\": \"Load Member " + i + "\"}, \"card\": \"VIRTUAL\"}"))
                .toList())
                .stream().map(reply -> reply.at("/member/cards/0/number").asText()).toList();
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        try (ExecutorService executor = Executors.newFixedThreadPool(16)) {
            List<T> results = new ArrayList<>();
            for (Future<T> result : executor.invokeAll(tasks)) {
                results.add(result.get());
            }
            return results;
        }
    }

    /** The admin side of the HTTP API; anything but success stops the harness. */
    private record Admin(URI base, String key) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        }
    }

    // --- the service under load ----------------------------------------------------------------------------------

    /** The shop's lanes as terminals, back to back ({@code pace} zero) or with customers arriving at that pace. */
    private static Tally driveTerminals(Target target, Shop shop, Settings settings, Mix mix, Duration pace,
                                        String receiptPrefix) throws Exception {
        Window window = Window.after(settings.warmup(), settings.measure());
        List<Callable<Tally>> terminals = new ArrayList<>();
        for (int lane = 0; lane < shop.lanes().size(); lane++) {
            TillTraffic.Terminal terminal = new TillTraffic.Terminal(target.base(), shop.lanes().get(lane),
                    shop.catalogue(), shop.businessDay(), receiptPrefix, mix, lane);
            terminals.add(() -> terminal.serve(window, pace));
        }
        Tally total = new Tally();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Tally> terminal : executor.invokeAll(terminals)) {
                total.add(terminal.get());
            }
        }
        return total;
    }

    private static double salesPerSecond(Tally tally, Duration window) {
        return (tally.count(Operation.SALE) + tally.count(Operation.POINTS_SALE)) * 1e9 / window.toNanos();
    }

    private static double p99Millis(Tally tally) {
        return millis(tally.overall().getValueAtPercentile(99));
    }

    // --- the plain-JDBC ceiling ----------------------------------------------------------------------------------

    record JdbcResult(double salesPerSecond, Histogram latencyNanos, long errors, String firstError,
                      boolean sameStatements) {
    }

    private static JdbcResult jdbcCeiling(Target target, Shop shop, Settings settings) throws Exception {
        DataSource dataSource = target.database().orElseThrow();
        JdbcSales jdbc = new JdbcSales(dataSource, shop.businessDay());
        boolean same = false;
        try {
            same = compareStatements(dataSource, target, shop, jdbc);
        } catch (SQLException e) {
            System.out.println("\nStatement comparison skipped: the general log is out of reach (" + e.getMessage()
                    + "); the JDBC path is not checked against the service.");
        }
        Window window = Window.after(settings.warmup(), settings.measure());
        List<Callable<JdbcSales.Caller>> callers = new ArrayList<>();
        for (int lane = 0; lane < shop.lanes().size(); lane++) {
            JdbcSales.Caller caller = jdbc.caller(shop.lanes().get(lane), shop.catalogue(), "J", lane);
            callers.add(() -> caller.sell(window));
        }
        Histogram latencies = TillTraffic.newHistogram();
        long errors = 0;
        String firstError = null;
        try (ExecutorService executor = Executors.newFixedThreadPool(callers.size())) {
            for (Future<JdbcSales.Caller> done : executor.invokeAll(callers)) {
                JdbcSales.Caller caller = done.get();
                latencies.add(caller.latencyNanos());
                errors += caller.errors();
                firstError = firstError == null ? caller.firstError() : firstError;
            }
        }
        JdbcResult result = new JdbcResult(latencies.getTotalCount() * 1e9 / settings.measure().toNanos(),
                latencies, errors, firstError, same);
        printJdbcRow(result, settings.terminals());
        return result;
    }

    /** One plain sale through the service and one through JDBC, each recorded in the general log, side by side. */
    private static boolean compareStatements(DataSource dataSource, Target target, Shop shop, JdbcSales jdbc)
            throws Exception {
        Lane lane = shop.lanes().getFirst();
        TillTraffic.Terminal terminal = new TillTraffic.Terminal(target.base(), lane, shop.catalogue(),
                shop.businessDay(), "TRACE", Mix.PLAIN_SALES, 4242);
        JdbcSales.Caller caller = jdbc.caller(lane, shop.catalogue(), "JTRACE", 4242);
        // A first sale on each path, unrecorded, so that both trust the terminal's key as a busy till's server does.
        terminal.sellOnce();
        caller.sellOnce();
        List<String> service = StatementLog.record(dataSource, terminal::sellOnce);
        terminal.close();
        List<String> plain = StatementLog.record(dataSource, caller::sellOnce);
        System.out.printf("%nStatements the database received for one plain sale (literals as ?, c1.. = which"
                + " connection; service %d, JDBC %d):%n", service.size(), plain.size());
        for (int i = 0; i < Math.max(service.size(), plain.size()); i++) {
            String fromService = i < service.size() ? service.get(i) : "-";
            String fromJdbc = i < plain.size() ? plain.get(i) : "-";
            System.out.printf("  %2d service %s%n", i + 1, fromService);
            if (!fromJdbc.equals(fromService)) {
                System.out.printf("     JDBC    %s%n", fromJdbc);
            }
        }
        boolean same = service.equals(plain);
        System.out.println(same
                ? "  The JDBC path sends the same statements, in the same order, on the same connections."
                : "  WARNING: the JDBC path differs from the service; read its numbers with that in mind.");
        return same;
    }

    // --- reporting -----------------------------------------------------------------------------------------------

    private static void printServiceTable(String title, Tally tally, Duration window) {
        System.out.printf("%n%s, measured %d s:%n", title, window.toSeconds());
        System.out.printf("  %-18s %9s %9s | %-34s | %s%n", "operation", "count", "per s",
                "latency ms p50 / p90 / p99 / max", "errors");
        for (Operation operation : Operation.values()) {
            Histogram latencies = tally.latencyNanos.get(operation);
            System.out.printf("  %-18s %9d %9.1f | %s | %d%n", operation.label, latencies.getTotalCount(),
                    latencies.getTotalCount() * 1e9 / window.toNanos(), latencies(latencies),
                    tally.errors.get(operation));
        }
        Histogram overall = tally.overall();
        System.out.printf("  %-18s %9d %9.1f | %s | %d%n", "all requests", overall.getTotalCount(),
                overall.getTotalCount() * 1e9 / window.toNanos(), latencies(overall), tally.totalErrors());
        System.out.printf("  Sales (plain and with points) per second: %.1f. Load average now %.1f.%n",
                salesPerSecond(tally, window), loadAverage());
        if (tally.firstError != null) {
            System.out.println("  First error: " + tally.firstError);
        }
    }

    private static void printJdbcRow(JdbcResult result, int callers) {
        System.out.printf("%nPlain JDBC, %d callers, the database work of a plain sale:%n", callers);
        System.out.printf("  %-18s %9d %9.1f | %s | %d%n", "sale (JDBC)", result.latencyNanos().getTotalCount(),
                result.salesPerSecond(), latencies(result.latencyNanos()), result.errors());
        if (result.firstError() != null) {
            System.out.println("  First error: " + result.firstError());
        }
    }

    private static void printVerdict(double serviceSales, double saturatedP99, Optional<Double> pacedP99,
                                     long errors, Optional<JdbcResult> jdbc, Settings settings) {
        System.out.printf("%nTargets at %d terminals:%n", settings.terminals());
        jdbc.ifPresentOrElse(ceiling -> {
            double ratio = serviceSales / ceiling.salesPerSecond();
            System.out.printf("  plain sales: service %.1f/s vs plain JDBC %.1f/s = %.0f%% (target >= %.0f%%): %s%s%n",
                    serviceSales, ceiling.salesPerSecond(), 100 * ratio, 100 * TARGET_RATIO,
                    ratio >= TARGET_RATIO ? "met" : "NOT met",
                    ceiling.sameStatements() ? "" : " (JDBC path differs from the service, see above)");
        }, () -> System.out.println("  ratio to plain JDBC: not measured"));
        pacedP99.ifPresentOrElse(p99 -> System.out.printf("  p99 over all requests, a customer every %d ms per"
                        + " terminal: %.1f ms (target <= %.0f ms): %s%n", settings.pacedInterval().toMillis(), p99,
                TARGET_P99_MILLIS, p99 <= TARGET_P99_MILLIS ? "met" : "NOT met"),
                () -> System.out.println("  p99 at a realistic pace: not measured (load.pacedIntervalMillis=0)"));
        System.out.printf("  (at saturation, terminals back to back, p99 is %.1f ms: there latency is queueing)%n",
                saturatedP99);
        System.out.printf("  errors: %d%s%n", errors, errors == 0 ? "" : " (there must be none)");
    }

    private static void audit(Admin admin) throws Exception {
        JsonNode report = admin.send("GET", "/api/v1/ledger/audit", null);
        boolean balanced = report.path("balanced").asBoolean();
        System.out.printf("Ledger audit after the run: %s, %d transfers, %d lots%s%n",
                balanced ? "balanced" : "VIOLATIONS", report.path("transfers").asLong(), report.path("lots").asLong(),
                balanced ? "" : ": " + report.path("violations"));
    }

    private static String latencies(Histogram nanos) {
        return String.format("%6.1f %6.1f %7.1f %8.1f", millis(nanos.getValueAtPercentile(50)),
                millis(nanos.getValueAtPercentile(90)), millis(nanos.getValueAtPercentile(99)),
                millis(nanos.getMaxValue()));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    // --- plumbing ------------------------------------------------------------------------------------------------

    private static HikariDataSource jdbcPool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(System.getProperty("load.jdbcUser", "root"));
        config.setPassword(System.getProperty("load.jdbcPassword", ""));
        config.setMaximumPoolSize(Integer.getInteger("load.jdbcPoolSize", 24));
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // The driver settings of io.kizuna.db.Database's pool, so that both paths talk to the database alike.
        Map.of("connectionTimeZone", "UTC", "forceConnectionTimeZoneToSession", "true",
                "rewriteBatchedStatements", "true", "cachePrepStmts", "true", "prepStmtCacheSize", "256",
                "prepStmtCacheSqlLimit", "2048", "useLocalSessionState", "true", "useLocalTransactionState", "true",
                "elideSetAutoCommits", "true", "cacheServerConfiguration", "true")
                .forEach(config::addDataSourceProperty);
        config.addDataSourceProperty("maintainTimeStats", "false");
        return new HikariDataSource(config);
    }

    private static int poolSize(DataSource dataSource) {
        return dataSource instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : 0;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
