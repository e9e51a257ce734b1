package io.kizuna.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.analytics.AnalyticsConfig;
import io.kizuna.analytics.Recompute;
import io.kizuna.campaign.CampaignDefinition;
import io.kizuna.campaign.CampaignState;
import io.kizuna.campaign.Campaigns;
import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import io.kizuna.db.EmbeddedMariaDb;
import io.kizuna.db.UuidConverter;
import io.kizuna.feed.FeedEvents;
import io.kizuna.feed.Outbox;
import io.kizuna.feed.ProjectionRebuild;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.LedgerConfig;
import io.kizuna.feed.Projections;
import io.kizuna.persistence.Entities;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.segment.SegmentDefinition;
import io.kizuna.segment.Segments;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.Role;
import io.kizuna.staff.Staff;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.tier.TierConfig;
import io.kizuna.tier.Tiers;
import io.kizuna.web.JsonMapper;
import jakarta.persistence.EntityManagerFactory;

/**
 * The CRM analytics at scale: a generated year of purchases (default 1,000,000 members and 20,000,000 purchase
 * lines) loaded into an embedded MariaDB, then each analytics stage timed with the JVM's peak heap: the projections
 * rebuilt from the receipts, the projections kept up to date event by event (a sample, as events per second), and
 * the recompute's stages. Run it in a JVM with the heap the target names (the profile gives it -Xmx4g).
 */
public final class AnalyticsBenchmark {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    /** The reports look at the data from the morning after its last day. */
    private static final Clock CALIBRATION_END = Clock.fixed(PurchaseHistoryGenerator.FIRST_DAY
            .plusDays(PurchaseHistoryGenerator.DAYS).atTime(6, 0).atZone(ZONE).toInstant(), ZONE);

    private record Settings(int members, long lines, long seed, int incrementalSample, Path folder) {
        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("analytics.members", 1_000_000),
                    Long.getLong("analytics.lines", 20_000_000L), Long.getLong("analytics.seed", 20261203L),
                    Integer.getInteger("analytics.incrementalSample", 100_000),
                    Path.of(System.getProperty("analytics.dataDir", "target/analytics-bench")).toAbsolutePath());
        }
    }

    private record Timing(String stage, Duration took, long peakHeapBytes) {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        System.out.printf("Analytics benchmark: %,d members, ~%,d purchase lines, seed %d (-Danalytics.seed);"
                        + " %d CPUs, max heap %,d MB%n", settings.members(), settings.lines(), settings.seed(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        deleteRecursively(settings.folder());
        List<String> serverOptions = List.of("--innodb-buffer-pool-size=8G", "--innodb-log-file-size=2G",
                "--innodb-flush-log-at-trx-commit=2", "--local-infile=1", "--tmp-table-size=1G",
                "--max-heap-table-size=1G", "--sort-buffer-size=64M");
        try (EmbeddedMariaDb server = EmbeddedMariaDb.start(settings.folder(), 0, serverOptions);
             Database database = Database.onSharedServer(server,
                     DatabaseConfig.embedded(settings.folder()).withSchema("analytics"));
             Database incremental = Database.onSharedServer(server,
                     DatabaseConfig.embedded(settings.folder()).withSchema("incremental"))) {
            List<Timing> timings = new ArrayList<>();
            load(settings, server, timings);
            long[] stageStart = {System.nanoTime()};
            timings.add(measure("projections: rebuilt from receipts", () ->
                    new ProjectionRebuild(database.dataSource(), ZONE).run(stage -> {
                        long now = System.nanoTime();
                        System.out.printf("    rebuild stage %-16s starts at %6.1f s%n", stage,
                                (now - stageStart[0]) / 1e9);
                    })));
            timings.addAll(recompute(database));
            timings.addAll(segments(database));
            timings.add(incrementalSample(settings, database, incremental));
            print(timings);
        }
    }

    private static void load(Settings settings, EmbeddedMariaDb server, List<Timing> timings) throws Exception {
        Path files = settings.folder().resolve("files");
        PurchaseHistoryGenerator.Written[] written = new PurchaseHistoryGenerator.Written[1];
        timings.add(measure("data: generated (not a target)", () -> written[0] =
                new PurchaseHistoryGenerator(settings.seed(), settings.members(), settings.lines()).write(files)));
        System.out.printf("Generated %,d members, %,d sale receipts, %,d purchase lines%n", written[0].members(),
                written[0].receipts(), written[0].lines());
        timings.add(measure("data: loaded (not a target)", () -> {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl("analytics")
                    + "?allowLoadLocalInfile=true&sslMode=DISABLED&connectionTimeZone=UTC", "root", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("LOAD DATA LOCAL INFILE '" + files.resolve("member.tsv") + "' INTO TABLE member"
                        + " (@id, status, birth_date, gender, prefecture, consent_marketing, consent_analytics,"
                        + " enrolled_at, updated_at) SET id = UNHEX(@id)");
                statement.execute("LOAD DATA LOCAL INFILE '" + files.resolve("receipt.tsv") + "' INTO TABLE receipt"
                        + " (@id, kind, store_code, terminal_code, business_day, receipt_number, @member, currency,"
                        + " total_amount, eligible_amount, points_earned, points_paid, created_at)"
                        + " SET id = UNHEX(@id), member_id = UNHEX(@member)");
                statement.execute("LOAD DATA LOCAL INFILE '" + files.resolve("receipt_line.tsv") + "'"
                        + " INTO TABLE receipt_line (@receipt, line_number, sku, category, quantity, unit_price,"
                        + " amount, discount, eligible) SET receipt_id = UNHEX(@receipt)");
            }
        }));
        deleteRecursively(files);
    }

    /** The background recompute, one timing per stage (RFM, lifetime value, cross-sell, member scores). */
    private static List<Timing> recompute(Database database) throws Exception {
        AnalyticsConfig config = AnalyticsConfig.from(Config.create(ConfigSources.classpath("application.yaml"))
                .get("kizuna.analytics"));
        Recompute recompute = new Recompute(database.dataSource(), CALIBRATION_END, ZONE, config,
                JsonMapper.create());
        List<Timing> stages = new ArrayList<>();
        String[] current = {null};
        long[] stageStart = {System.nanoTime()};
        Runnable endStage = () -> {
            if (current[0] != null) {
                stages.add(new Timing("recompute: " + current[0], Duration.ofNanos(System.nanoTime() - stageStart[0]),
                        peakHeap()));
                System.out.printf("  %-60s %8.1f s   peak heap %,6d MB%n", "recompute: " + current[0],
                        stages.getLast().took().toMillis() / 1000.0, stages.getLast().peakHeapBytes() >> 20);
            }
        };
        resetPeakHeap();
        Recompute.Summary summary = recompute.run((stage, percent) -> {
            if (!stage.equals(current[0])) {
                endStage.run();
                current[0] = stage;
                stageStart[0] = System.nanoTime();
                resetPeakHeap();
            }
        });
        endStage.run();
        System.out.printf("Recompute: %,d members scored, %,d cross-sell rules%n", summary.members(), summary.rules());
        return stages;
    }

    /**
     * Segment counts over every member, as a marketer's preview asks them; then a campaign on a segment of every
     * active member, its activation timed: the budget funded and the whole audience assigned to treatment and
     * control in one INSERT ... SELECT.
     */
    private static List<Timing> segments(Database database) throws Exception {
        EntityManagerFactory entityManagerFactory = database.entityManagerFactory(Entities.all());
        try {
            Transactions transactions = new Transactions(entityManagerFactory);
            ObjectMapper json = JsonMapper.create();
            AuditLog auditLog = new AuditLog(CALIBRATION_END, transactions);
            Tiers tiers = new Tiers(transactions, new Outbox(json, CALIBRATION_END), auditLog,
                    TierConfig.from(Config.create(ConfigSources.classpath("application.yaml")).get("kizuna.tiers")),
                    ZONE, json, CALIBRATION_END);
            Segments segments = new Segments(database.dataSource(), transactions, auditLog, json, ZONE,
                    CALIBRATION_END, tiers::segmentTerms);
            Map<String, String> definitions = new LinkedHashMap<>();
            definitions.put("regulars slipping away", """
                    {"criteria": [{"kind": "nthPurchaseReached", "n": 3},
                                  {"kind": "daysSinceLastPurchase", "minDays": 60}]}""");
            definitions.put("women 20-39 in Tokyo who buy C1, never C2", """
                    {"criteria": [{"kind": "ageBand", "bands": ["20-29", "30-39"]},
                                  {"kind": "gender", "genders": ["FEMALE"]},
                                  {"kind": "prefecture", "prefectures": ["Tokyo"]},
                                  {"kind": "categoriesBought", "categories": ["C1"]},
                                  {"kind": "categoriesNotBought", "categories": ["C2"]}]}""");
            definitions.put("spent 5,000 yen or more in 90 days", """
                    {"criteria": [{"kind": "spendInWindow", "days": 90, "min": 5000}]}""");
            definitions.put("RFM at risk or can't lose, still likely alive", """
                    {"criteria": [{"kind": "rfmSegment", "segments": ["AT_RISK", "CANT_LOSE_THEM"]},
                                  {"kind": "probabilityAlive", "min": 0.3}]}""");
            definitions.put("close to the next tier", """
                    {"criteria": [{"kind": "closeToUpgrade", "value": true}]}""");
            List<Timing> timings = new ArrayList<>();
            for (var definition : definitions.entrySet()) {
                SegmentDefinition parsed = json.readValue(definition.getValue(), SegmentDefinition.class);
                long[] count = new long[1];
                timings.add(measure("segment count: " + definition.getKey(),
                        () -> count[0] = segments.preview(parsed).count()));
                System.out.printf("    %,d members%n", count[0]);
            }
            timings.add(campaignAssignment(database.dataSource(), transactions, segments, auditLog, json));
            return timings;
        } finally {
            entityManagerFactory.close();
        }
    }

    private static Timing campaignAssignment(javax.sql.DataSource dataSource, Transactions transactions,
                                             Segments segments, AuditLog auditLog, ObjectMapper json)
            throws Exception {
        Caller caller = new Caller(new Staff(UUID.randomUUID(), "benchmark", Role.ADMIN), "benchmark");
        UUID everyone = segments.create(caller, new Segments.Save("Every active member", null,
                json.readValue("{\"criteria\": [{\"kind\": \"status\", \"statuses\": [\"ACTIVE\"]}]}",
                        SegmentDefinition.class))).id();
        Campaigns campaigns = new Campaigns(dataSource, transactions,
                new Ledger(CALIBRATION_END, LedgerConfig.defaults(), new Outbox(json, CALIBRATION_END)), segments,
                auditLog, json, CALIBRATION_END);
        Instant start = CALIBRATION_END.instant();
        UUID campaign = campaigns.create(caller, json.readValue("""
                {"code": "WINBACK", "name": "Come back", "audience": ["%s"], "startsAt": "%s", "endsAt": "%s",
                 "reward": {"kind": "fixedBonus", "points": 50}, "requiresEntry": false, "budget": 10000000,
                 "priority": 1, "holdout": 0.1}""".formatted(everyone, start, start.plus(Duration.ofDays(30))),
                CampaignDefinition.class)).id();
        campaigns.transition(caller, campaign, new Campaigns.Transition(CampaignState.SCHEDULED));
        Timing timing = measure("campaign activated: every active member assigned",
                () -> campaigns.transition(caller, campaign, new Campaigns.Transition(CampaignState.ACTIVE)));
        Campaigns.Campaign active = campaigns.get(campaign);
        System.out.printf("    treatment %,d members, control %,d%n", active.treatment().members(),
                active.control().members());
        return timing;
    }

    /**
     * Keeping the projections up to date event by event, as the dispatcher does: the sales of a sample of receipts
     * written as purchase events into a schema of their own, then applied. Answers events per second.
     */
    private static Timing incrementalSample(Settings settings, Database source, Database target) throws Exception {
        ObjectMapper json = JsonMapper.create();
        long events;
        try (Connection from = source.dataSource().getConnection();
             Connection to = target.dataSource().getConnection()) {
            to.setAutoCommit(false);
            events = writeEvents(json, from, to, settings.incrementalSample());
            to.commit();
        }
        Projections projections = new Projections(target.dataSource(), json, ZONE);
        long[] applied = new long[1];
        Timing timing = measure("projections: " + events + " purchase events applied one batch at a time",
                () -> applied[0] = projections.catchUp());
        System.out.printf("Incremental projections: %,d events in %.1f s = %,.0f events/s%n", applied[0],
                timing.took().toMillis() / 1000.0, applied[0] / (timing.took().toMillis() / 1000.0));
        return timing;
    }

    /** Writes the purchase events of the first {@code receipts} receipts, positioned; answers how many. */
    private static long writeEvents(ObjectMapper json, Connection from, Connection to, int receipts)
            throws Exception {
        Map<UUID, List<FeedEvents.PurchaseLine>> lines = new LinkedHashMap<>();
        try (PreparedStatement select = from.prepareStatement("SELECT l.receipt_id, l.line_number, l.sku,"
                + " l.category, l.quantity, l.amount FROM (SELECT id FROM receipt ORDER BY id LIMIT ?) r"
                + " JOIN receipt_line l ON l.receipt_id = r.id")) {
            select.setInt(1, receipts);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    lines.computeIfAbsent(UuidConverter.fromBytes(rows.getBytes(1)), id -> new ArrayList<>())
                            .add(new FeedEvents.PurchaseLine(rows.getInt(2), rows.getString(3), rows.getString(4),
                                    rows.getBigDecimal(5), rows.getLong(6), true));
                }
            }
        }
        long position = 0;
        try (PreparedStatement select = from.prepareStatement("SELECT id, store_code, business_day, receipt_number,"
                + " member_id, total_amount, points_earned, created_at FROM receipt ORDER BY id LIMIT ?");
             PreparedStatement insert = to.prepareStatement("INSERT INTO outbox_event (id, position, type,"
                     + " member_id, payload, created_at) VALUES (?, ?, 'purchase.recorded', ?, ?, ?)")) {
            select.setInt(1, receipts);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID receipt = UuidConverter.fromBytes(rows.getBytes(1));
                    Instant soldAt = rows.getObject(8, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    FeedEvents.PurchaseRecorded sale = new FeedEvents.PurchaseRecorded(receipt.toString(),
                            rows.getString(2), "01", rows.getObject(3, LocalDate.class), rows.getString(4), soldAt,
                            "JPY", rows.getLong(6), rows.getLong(6), rows.getLong(7), 0, lines.get(receipt),
                            List.of(new FeedEvents.RuleGiven("base", rows.getLong(7))), null);
                    insert.setBytes(1, UuidConverter.toBytes(Ids.next()));
                    insert.setLong(2, ++position);
                    insert.setBytes(3, rows.getBytes(5));
                    insert.setString(4, json.writeValueAsString(sale));
                    insert.setObject(5, LocalDateTime.ofInstant(soldAt, ZoneOffset.UTC));
                    insert.addBatch();
                    if (position % 1_000 == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
        }
        return position;
    }

    @FunctionalInterface
    interface Stage {
        void run() throws Exception;
    }

    /** Runs a stage and answers how long it took and the most heap it held (sum of the heap pools' peaks). */
    static Timing measure(String name, Stage stage) throws Exception {
        resetPeakHeap();
        long start = System.nanoTime();
        stage.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long peak = peakHeap();
        System.out.printf("  %-60s %8.2f s   peak heap %,6d MB%n", name, took.toMillis() / 1000.0, peak >> 20);
        return new Timing(name, took, peak);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    private static void resetPeakHeap() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since the last reset: an upper bound of the heap held at any one time. */
    private static long peakHeap() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static void print(List<Timing> timings) {
        System.out.println();
        System.out.println("stage                                                          seconds   peak heap MB");
        Duration targets = Duration.ZERO;
        long peak = 0;
        for (Timing timing : timings) {
            System.out.printf("%-60s %10.1f %14d%n", timing.stage(), timing.took().toMillis() / 1000.0,
                    timing.peakHeapBytes() >> 20);
            if (!timing.stage().contains("not a target") && !timing.stage().contains("events applied")
                    && !timing.stage().startsWith("segment") && !timing.stage().startsWith("campaign")) {
                targets = targets.plus(timing.took());
                peak = Math.max(peak, timing.peakHeapBytes());
            }
        }
        System.out.printf("Targeted stages together: %.1f s (target < 300 s), peak heap %,d MB (target < 4,096 MB)%n",
                targets.toMillis() / 1000.0, peak >> 20);
        System.out.printf("Load average now %.1f (2 CPUs: above 2, something else was running too)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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

    private AnalyticsBenchmark() {
    }
}
