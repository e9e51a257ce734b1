package io.kizuna.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.kizuna.feed.Outbox;
import io.kizuna.web.JsonMapper;
import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import io.kizuna.db.EmbeddedMariaDb;
import io.kizuna.db.UuidConverter;
import io.kizuna.ledger.AccountEntity;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.AuditReport;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.LedgerAudit;
import io.kizuna.ledger.LedgerConfig;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.Points;
import io.kizuna.ledger.PointsService;
import io.kizuna.persistence.Entities;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.web.IdempotencyKey;
import io.kizuna.web.JsonMapper;
import jakarta.persistence.EntityManagerFactory;
import org.HdrHistogram.Histogram;

/**
 * How many posted EARN transfers per second the ledger service sustains with 1 to 32 concurrent callers, next to
 * the same database writes done by hand over plain JDBC: the ceiling the service is measured against.
 *
 * <p>Not a test. Run from the repository root with
 * {@code mvn -B -q -pl api -am -Pbenchmark process-test-classes} (JDK 21+; about four minutes). System properties,
 * passed to that command with {@code -D}: {@code bench.jitWarmupSeconds} (20), {@code bench.warmupSeconds} (5),
 * {@code bench.measureSeconds} (10), {@code bench.callers} (1,8,32), {@code bench.sharedWalletCallers} (32; 0 leaves
 * out the row where every caller earns into one wallet) and {@code bench.dataDir} (the profile sets
 * {@code api/target/bench-mariadb}; it is deleted first, so every run starts from an empty database).
 *
 * <p>Both paths run in one JVM against the same schema through the same connection pool. Before measuring, one
 * earn of each path runs with the server's general log on, and the statements each sent are printed and compared,
 * so that the ceiling keeps doing exactly the service's database work. Afterwards the ledger audit checks what
 * both paths wrote.
 */
public final class LedgerBenchmark {
    private static final long EARNED_POINTS = 10;
    private static final String RECEIPT = "bench-receipt";
    private static final double TARGET_RATIO = 0.60;
    private static final Clock CLOCK = Clock.systemUTC();

    private LedgerBenchmark() {
    }

    /** One earn by one caller into one wallet; throws when the earn failed. */
    @FunctionalInterface
    private interface EarnPath {
        void earn(AccountId wallet) throws Exception;
    }

    private record Settings(Duration jitWarmup, Duration warmup, Duration measure, List<Integer> callers,
                            int sharedWalletCallers) {
        static Settings fromSystemProperties() {
            List<Integer> callers = Arrays.stream(System.getProperty("bench.callers", "1,8,32").split(","))
                    .map(String::strip)
                    .map(Integer::parseInt)
                    .toList();
            return new Settings(Duration.ofSeconds(Long.getLong("bench.jitWarmupSeconds", 20)),
                    Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 5)),
                    Duration.ofSeconds(Long.getLong("bench.measureSeconds", 10)),
                    callers,
                    Integer.getInteger("bench.sharedWalletCallers", 32));
        }

        List<Scenario> scenarios() {
            List<Scenario> scenarios = new ArrayList<>(callers.stream().map(n -> new Scenario(n, false)).toList());
            if (sharedWalletCallers > 0) {
                scenarios.add(new Scenario(sharedWalletCallers, true));
            }
            return scenarios;
        }
    }

    private record Scenario(int callers, boolean sharedWallet) {
    }

    /**
     * What one path achieved in one scenario's measured window. {@code cpuNanosPerEarn} is the CPU time the
     * calling thread spent per earn in this JVM: the service's own cost, not the database's, and less at the mercy
     * of other load on the machine than throughput is.
     */
    private record Outcome(double opsPerSecond, Histogram latencyNanos, long cpuNanosPerEarn, long errors,
                           String firstError) {
    }

    private record Row(Scenario scenario, Outcome service, Outcome jdbc) {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        // A server of its own, not TestDatabases': that one stops only in a shutdown hook, and exec:java waits for
        // the server's process thread to end before it lets the JVM exit.
        Path folder = Path.of(System.getProperty("bench.dataDir", "target/bench-mariadb")).toAbsolutePath();
        deleteRecursively(folder);
        try (EmbeddedMariaDb server = EmbeddedMariaDb.start(folder, 0);
             Database database = Database.onSharedServer(server, DatabaseConfig.embedded(folder).withSchema("bench"))) {
            EntityManagerFactory entityManagerFactory = database.entityManagerFactory(Entities.all());
            try {
                run(settings, database, new Transactions(entityManagerFactory));
            } finally {
                entityManagerFactory.close();
            }
        }
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

    private static void run(Settings settings, Database database, Transactions transactions) throws Exception {
        PointsService points = new PointsService(transactions, new Idempotency(JsonMapper.create(), CLOCK),
                new Ledger(CLOCK, LedgerConfig.defaults(), new Outbox(JsonMapper.create(), CLOCK)),
                CLOCK);
        EarnPath service = wallet -> points.earn(new IdempotencyKey(Ids.next().toString()),
                Earn.posted(wallet, Points.of(EARNED_POINTS), Memo.reference(RECEIPT)));
        EarnPath jdbc = new JdbcEarns(database.dataSource(), LedgerConfig.defaults())::earn;
        int poolSize = database.dataSource() instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : 0;
        int mostCallers = settings.scenarios().stream().mapToInt(Scenario::callers).max().orElse(1);
        if (poolSize <= mostCallers) {
            throw new IllegalStateException("A pool of " + poolSize + " cannot serve " + mostCallers
                    + " callers and the statement trace's own connection.");
        }
        printHeader(settings, database, poolSize);
        awaitFullPool(database.dataSource());
        StatementTrace.compare(database.dataSource(), transactions, service, jdbc);

        // EclipseLink takes thousands of earns to be compiled: without this, the first row would measure the JIT.
        Scenario jitWarmUp = new Scenario(mostCallers, false);
        measure(jitWarmUp, service, transactions, settings.jitWarmup(), Duration.ZERO);
        measure(jitWarmUp, jdbc, transactions, settings.jitWarmup(), Duration.ZERO);

        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : settings.scenarios()) {
            Outcome serviceOutcome = measure(scenario, service, transactions, settings.warmup(), settings.measure());
            Outcome jdbcOutcome = measure(scenario, jdbc, transactions, settings.warmup(), settings.measure());
            rows.add(new Row(scenario, serviceOutcome, jdbcOutcome));
            System.out.printf("  measured %d caller(s)%s%n", scenario.callers(),
                    scenario.sharedWallet() ? " on one shared wallet" : "");
        }
        printTable(rows);
        printVerdict(rows);
        audit(database.dataSource());
    }

    /** The pool opens its connections in the background: wait for all of them, so that no earn waits for one. */
    private static void awaitFullPool(DataSource dataSource) throws InterruptedException {
        if (dataSource instanceof HikariDataSource hikari) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hikari.getHikariPoolMXBean().getTotalConnections() < hikari.getMaximumPoolSize()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }

    // --- measuring ---------------------------------------------------------------------------------------------

    /** Runs the callers through a warm-up and then a measured window; counts earns that completed inside it. */
    private static Outcome measure(Scenario scenario, EarnPath path, Transactions transactions, Duration warmup,
                                   Duration window) throws Exception {
        List<AccountId> wallets = newWallets(transactions, scenario.sharedWallet() ? 1 : scenario.callers());
        long start = System.nanoTime() + warmup.toNanos();
        long end = start + window.toNanos();
        ExecutorService executor = Executors.newFixedThreadPool(scenario.callers());
        try {
            List<Future<Tally>> callers = new ArrayList<>();
            for (int caller = 0; caller < scenario.callers(); caller++) {
                AccountId wallet = wallets.get(caller % wallets.size());
                callers.add(executor.submit(() -> call(path, wallet, start, end)));
            }
            Tally total = new Tally();
            for (Future<Tally> caller : callers) {
                total.add(caller.get());
            }
            return total.outcome(window);
        } finally {
            executor.shutdownNow();
        }
    }

    private static Tally call(EarnPath path, AccountId wallet, long start, long end) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Tally tally = new Tally();
        while (System.nanoTime() < end) {
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long began = System.nanoTime();
            try {
                path.earn(wallet);
            } catch (Exception e) {
                tally.failed(e);
                continue;
            }
            long finished = System.nanoTime();
            if (finished >= start && finished < end) {
                tally.completed(finished - began, threads.getCurrentThreadCpuTime() - cpuBefore);
            }
        }
        return tally;
    }

    /** One caller's count of earns in the measured window, then the sum over all callers. */
    private static final class Tally {
        private final Histogram latencyNanos = newHistogram();
        private long cpuNanos;
        private long errors;
        private String firstError;

        void completed(long latency, long cpu) {
            latencyNanos.recordValue(latency);
            cpuNanos += cpu;
        }

        void failed(Exception e) {
            errors++;
            firstError = firstError == null ? e.toString() : firstError;
        }

        void add(Tally other) {
            latencyNanos.add(other.latencyNanos);
            cpuNanos += other.cpuNanos;
            errors += other.errors;
            firstError = firstError == null ? other.firstError : firstError;
        }

        Outcome outcome(Duration window) {
            long count = latencyNanos.getTotalCount();
            return new Outcome(window.isZero() ? 0 : count * 1e9 / window.toNanos(), latencyNanos,
                    count == 0 ? 0 : cpuNanos / count, errors, firstError);
        }
    }

    private static Histogram newHistogram() {
        return new Histogram(Duration.ofMinutes(1).toNanos(), 3);
    }

    private static List<AccountId> newWallets(Transactions transactions, int count) {
        return transactions.inTransaction(em -> {
            List<AccountId> wallets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                AccountEntity wallet = AccountEntity.memberWallet(Ids.next(), Ids.next(), CLOCK.instant());
                em.persist(wallet);
                wallets.add(wallet.id());
            }
            return wallets;
        });
    }

    // --- reporting ---------------------------------------------------------------------------------------------

    private static void printHeader(Settings settings, Database database, int poolSize) throws SQLException {
        String server;
        try (Connection connection = database.dataSource().getConnection()) {
            server = connection.getMetaData().getDatabaseProductVersion();
        }
        System.out.printf("%nLedger EARN benchmark: posted earns of %d points, a fresh IdempotencyKey per call.%n",
                EARNED_POINTS);
        System.out.println("  JPA  = PointsService.earn (idempotency + Ledger.earn in one EclipseLink transaction)");
        System.out.println("  JDBC = the same statements written by hand, on the same pool: the ceiling");
        System.out.println("  Each caller earns into its own wallet, except in the row marked 'one shared', where all");
        System.out.println("  callers earn into a single wallet and its row lock serialises them.");
        System.out.printf("  MariaDB %s (embedded, %s), pool of %d, %d CPUs, load average %.1f.%n", server,
                database.describe(), poolSize, Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf("  JIT warm-up %d s per path, then per row and path %d s warm-up and %d s measured.%n",
                settings.jitWarmup().toSeconds(), settings.warmup().toSeconds(), settings.measure().toSeconds());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.printf("%7s  %-10s %10s %10s %8s | %-31s | %-31s | %s%n", "callers", "wallets", "JPA ops/s",
                "JDBC ops/s", "JPA/JDBC", "JPA ms p50 / p90 / p99 / max", "JDBC ms p50 / p90 / p99 / max",
                "client CPU us/earn JPA / JDBC");
        for (Row row : rows) {
            System.out.printf("%7d  %-10s %10.0f %10.0f %7.0f%% | %s | %s | %6d / %d%n", row.scenario().callers(),
                    row.scenario().sharedWallet() ? "one shared" : "own each", row.service().opsPerSecond(),
                    row.jdbc().opsPerSecond(), 100 * row.service().opsPerSecond() / row.jdbc().opsPerSecond(),
                    latencies(row.service().latencyNanos()), latencies(row.jdbc().latencyNanos()),
                    row.service().cpuNanosPerEarn() / 1000, row.jdbc().cpuNanosPerEarn() / 1000);
        }
        System.out.printf("Latencies in ms. Client CPU: CPU time of the calling thread in this JVM per earn (ORM, JSON,"
                + " driver), not the database's. Load average now %.1f.%n", loadAverage());
        for (Row row : rows) {
            reportErrors("JPA", row.scenario(), row.service());
            reportErrors("JDBC", row.scenario(), row.jdbc());
        }
    }

    private static String latencies(Histogram nanos) {
        return String.format("%6.2f %6.2f %7.2f %8.2f", millis(nanos.getValueAtPercentile(50)),
                millis(nanos.getValueAtPercentile(90)), millis(nanos.getValueAtPercentile(99)),
                millis(nanos.getMaxValue()));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static void reportErrors(String path, Scenario scenario, Outcome outcome) {
        if (outcome.errors() > 0) {
            System.out.printf("  %s, %d callers: %d earns failed, first: %s%n", path, scenario.callers(),
                    outcome.errors(), outcome.firstError());
        }
    }

    private static void printVerdict(List<Row> rows) {
        rows.stream()
                .filter(row -> !row.scenario().sharedWallet())
                .filter(row -> row.scenario().callers() == 32)
                .findFirst()
                .ifPresent(row -> {
                    double ratio = row.service().opsPerSecond() / row.jdbc().opsPerSecond();
                    System.out.printf("%nTarget: the service reaches %.0f%% of the JDBC ceiling at 32 callers;"
                            + " measured %.0f%%: %s%n", 100 * TARGET_RATIO, 100 * ratio,
                            ratio >= TARGET_RATIO ? "met" : "NOT met");
                });
    }

    /** Both paths wrote into one ledger; the audit proves the hand-written one kept the same invariants. */
    private static void audit(DataSource dataSource) {
        AuditReport report = new LedgerAudit(dataSource, CLOCK).run();
        System.out.printf("Ledger audit after the run: %s, %d transfers, %d lots%s%n",
                report.balanced() ? "balanced" : "VIOLATIONS", report.transfers(), report.lots(),
                report.balanced() ? "" : ": " + report.violations().stream().limit(5).toList());
    }

    // --- the JDBC ceiling ------------------------------------------------------------------------------------

    /**
     * A posted earn written by hand: the statements EclipseLink sends for {@link PointsService#earn}, in its order,
     * on one connection of the same pool (READ COMMITTED). Like EclipseLink, it reads the idempotency record before
     * it opens the database transaction, and writes the wallet's update before the inserts. Keep it in step with
     * the statement trace.
     */
    private static final class JdbcEarns {
        private static final String SCOPE = "ledger:";
        private final DataSource dataSource;
        private final LedgerConfig config;

        JdbcEarns(DataSource dataSource, LedgerConfig config) {
            this.dataSource = dataSource;
            this.config = config;
        }

        void earn(AccountId wallet) throws SQLException {
            String key = SCOPE + Ids.next();
            try (Connection connection = dataSource.getConnection()) {
                if (EarnRows.recordExists(connection, key)) {
                    throw new IllegalStateException("Idempotency key " + key + " was used before");
                }
                connection.setAutoCommit(false);
                try {
                    write(connection, key, wallet);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }

        private void write(Connection connection, String key, AccountId wallet) throws SQLException {
            byte[] walletId = UuidConverter.toBytes(wallet.value());
            EarnRows.LockedWallet locked = lockWallet(connection, walletId);
            Instant now = CLOCK.instant();
            UUID transferId = EarnRows.postEarn(connection, locked, EARNED_POINTS, RECEIPT, now, config);
            EarnRows.insertRecord(connection, key, now, key,
                    receiptJson(transferId, wallet, locked.posted() + EARNED_POINTS));
        }

        /** Locks the wallet row and answers it as read. */
        private static EarnRows.LockedWallet lockWallet(Connection connection, byte[] walletId) throws SQLException {
            try (PreparedStatement lock = connection.prepareStatement(EarnRows.LOCK_WALLET)) {
                lock.setBytes(1, walletId);
                try (ResultSet wallet = lock.executeQuery()) {
                    if (!wallet.next() || !wallet.getString("kind").endsWith("_WALLET")) {
                        throw new IllegalStateException("Not a wallet");
                    }
                    return EarnRows.LockedWallet.of(walletId, wallet);
                }
            }
        }

        /** The stored receipt: the same fields and size as the service's JSON, without a JSON library. */
        private static String receiptJson(UUID transferId, AccountId wallet, long posted) {
            return "{\"transferId\":\"" + transferId + "\",\"code\":\"EARN\",\"phase\":\"SINGLE\",\"points\":"
                    + EARNED_POINTS + ",\"wallet\":\"" + wallet + "\",\"balance\":{\"available\":" + posted
                    + ",\"pending\":0,\"held\":0},\"replay\":false}";
        }
    }

    // --- what each path sends ------------------------------------------------------------------------------------

    /**
     * Records one earn of each path in MariaDB's general log and prints the statements the server received, with
     * literal values replaced by {@code ?}, so a reader sees that the ceiling does the service's work and no less.
     */
    private static final class StatementTrace {
        private StatementTrace() {
        }

        static void compare(DataSource dataSource, Transactions transactions, EarnPath service, EarnPath jdbc)
                throws Exception {
            AccountId wallet = newWallets(transactions, 1).getFirst();
            for (int i = 0; i < 3; i++) {
                service.earn(wallet);
                jdbc.earn(wallet);
            }
            List<String> serviceStatements = StatementLog.record(dataSource, () -> service.earn(wallet));
            String serviceResponse = latestResponse(dataSource);
            List<String> jdbcStatements = StatementLog.record(dataSource, () -> jdbc.earn(wallet));
            String jdbcResponse = latestResponse(dataSource);
            System.out.printf("%nStatements the server received for one earn, literals as ?, c1/c2 = which"
                    + " connection (JPA %d, JDBC %d):%n", serviceStatements.size(), jdbcStatements.size());
            for (int i = 0; i < Math.max(serviceStatements.size(), jdbcStatements.size()); i++) {
                String fromService = i < serviceStatements.size() ? serviceStatements.get(i) : "-";
                String fromJdbc = i < jdbcStatements.size() ? jdbcStatements.get(i) : "-";
                System.out.printf("  %2d JPA  %s%n", i + 1, fromService);
                if (!fromJdbc.equals(fromService)) {
                    System.out.printf("     JDBC %s%n", fromJdbc);
                }
            }
            System.out.println(serviceStatements.equals(jdbcStatements)
                    ? "  The JDBC path sends the same statements, in the same order, on the same connections."
                    : "  WARNING: the JDBC path differs from the service; its numbers are not the service's ceiling.");
            System.out.printf("  Stored response JSON: JPA %d characters, JDBC %d characters.%n",
                    serviceResponse.length(), jdbcResponse.length());
        }

        /** The response stored with the newest idempotency key (keys are time-ordered ids). */
        private static String latestResponse(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet newest = statement.executeQuery("SELECT response_json FROM idempotency_record"
                         + " ORDER BY idempotency_key DESC LIMIT 1")) {
                return newest.next() ? newest.getString(1) : "";
            }
        }
    }
}
