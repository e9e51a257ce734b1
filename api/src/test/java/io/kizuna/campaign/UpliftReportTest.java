package io.kizuna.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.Kizuna;
import io.kizuna.campaign.UpliftStatistics.Difference;
import io.kizuna.campaign.UpliftStatistics.Sample;
import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Ids;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.RowCounts;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GET /api/v1/campaigns/{id}/uplift on a Kizuna of its own: exact numbers for a handful of members, then a generated
 * population of 20,000 Gold members at risk of downgrade with a year of purchases, where the report must find the
 * effect the generator planted in one campaign's treatment group and no effect in a campaign where none was planted.
 * The population comes from a printed seed; {@code -Dkizuna.seed=<seed>} replays it, and the default seed is fixed, so
 * the tests are deterministic. Each 95% interval misses its truth 5% of the time by design: the tests check a dozen
 * (three of the planted window's, nine of the unplanted campaign's, partly overlapping), so about a third of other
 * seeds miss one of them by a little, by chance. A report that counted wrong would miss by far, and would first fail
 * the exact totals, which the generator counts by the report's rules and every seed must match.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpliftReportTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static int priority = 500;
    private static Population population;

    @BeforeAll
    static void start() {
        kizuna = TestServer.startOwn("uplift" + System.nanoTime());
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        kizuna.close();
    }

    /**
     * Three members per arm with hand-placed purchase days: days before the window, before a member's assignment
     * (in the program's zone: assigned at 08:30 in Tokyo, 23:30 the day before in UTC) and after the follow-up do not
     * count; a fully returned purchase is a visit with no spend.
     */
    @Test
    @Order(1)
    void aSmallCampaignCountsExactlyFromTheLaterOfTheWindowStartAndTheAssignment() throws SQLException {
        String segment = segment("Members without marketing consent", false);
        Instant startsAt = LocalDate.parse("2025-06-01").atStartOfDay(ZONE).toInstant();
        Instant endsAt = LocalDate.parse("2025-06-11").atStartOfDay(ZONE).toInstant();
        UUID campaign = create("EXACT", "Exact counts", segment, startsAt, endsAt, "0.5");
        BigDecimal holdout = new BigDecimal("0.5");
        UUID[] treatment = new UUID[3];
        UUID[] control = new UUID[3];
        int treated = 0;
        int controlled = 0;
        while (treated < 3 || controlled < 3) {
            UUID member = Ids.next();
            if (Arms.isControl(campaign, member, holdout) && controlled < 3) {
                control[controlled++] = member;
            } else if (!Arms.isControl(campaign, member, holdout) && treated < 3) {
                treatment[treated++] = member;
            }
        }
        insertMembers(List.of(treatment[0], treatment[1], treatment[2], control[0], control[1], control[2]), false,
                startsAt);
        activateAndEnd(campaign, 3, 3);
        execute("UPDATE campaign_member SET assigned_at = ? WHERE campaign_id = ?", utc(startsAt),
                bytes(campaign));
        execute("UPDATE campaign_member SET assigned_at = ? WHERE campaign_id = ? AND member_id = ?",
                LocalDateTime.parse("2025-06-04T23:30:00"), bytes(campaign), bytes(treatment[1]));
        execute("UPDATE campaign_member SET points_awarded = 25 WHERE member_id = ?", bytes(treatment[0]));
        execute("UPDATE campaign_member SET points_awarded = 12 WHERE member_id = ?", bytes(treatment[1]));
        day(treatment[0], "2025-05-31", 1, 1000);
        day(treatment[0], "2025-06-01", 1, 2000);
        day(treatment[0], "2025-06-10", 1, 500);
        day(treatment[0], "2025-06-11", 1, 300);
        day(treatment[0], "2025-06-16", 1, 999);
        day(treatment[1], "2025-06-04", 1, 700);
        day(treatment[1], "2025-06-05", 2, 1200);
        day(control[0], "2025-06-02", 1, 1500);
        day(control[0], "2025-06-12", 1, 400);
        day(control[1], "2025-06-03", 1, 0);
        day(control[2], "2025-06-15", 1, 800);

        Reply report = admin.get("/api/v1/campaigns/" + campaign + "/uplift?followUpDays=5").expect(200);
        assertEquals("campaignUplift", report.at("/report"));
        assertEquals("EXACT", report.at("/code"));
        assertFalse(report.at("/asOf").isEmpty(), "the projections' time: " + report.text());
        assertEquals(5, report.number("/followUpDays"));
        assertTrue(report.json().at("/followUpComplete").asBoolean());
        assertEquals(3, report.number("/treatmentMembers"));
        assertEquals(3, report.number("/controlMembers"));
        assertEquals(14, report.json().at("/rows").size(), "6 window rows, 4 follow-up, 4 both");
        assertCounts(report, "window", "2025-06-01", "2025-06-10", new long[] {2, 3, 3700}, new long[] {2, 2, 1500});
        assertCounts(report, "followUp", "2025-06-11", "2025-06-15", new long[] {1, 1, 300}, new long[] {2, 2, 1200});
        assertCounts(report, "windowAndFollowUp", "2025-06-01", "2025-06-15", new long[] {2, 4, 4000},
                new long[] {3, 4, 2700});

        JsonNode spend = row(report, "window", "spend");
        Difference expected = UpliftStatistics.means(sample(2500, 1200, 0), sample(1500, 0, 0));
        assertEquals(3700 / 3.0, spend.get("treatment").asDouble(), 1e-9);
        assertEquals(expected.estimate(), spend.get("difference").asDouble(), 1e-9);
        assertEquals(expected.lower(), spend.get("lower95").asDouble(), 1e-9);
        assertEquals(expected.upper(), spend.get("upper95").asDouble(), 1e-9);
        assertEquals(expected.pValue(), spend.get("pValue").asDouble(), 1e-12);
        assertEquals("welchT", spend.get("test").asText());
        JsonNode perPoint = row(report, "window", "incrementalSpendPerPoint");
        assertEquals(2200.0 / 37, perPoint.get("difference").asDouble(), 1e-9);
        assertEquals(expected.lower() * 3 / 37, perPoint.get("lower95").asDouble(), 1e-9);
        assertEquals(expected.pValue(), perPoint.get("pValue").asDouble(), 1e-12);
        JsonNode points = row(report, "window", "pointsIssued");
        assertEquals(37, points.get("treatmentTotal").asLong());
        assertEquals(0, points.get("controlTotal").asLong());
        assertTrue(points.get("lower95").isNull(), "points are counted, not estimated");
        assertEquals(37, row(report, "window", "pointsCost").get("treatmentTotal").asDouble(), 1e-9,
                "at the default 1 yen per point");
        JsonNode purchased = row(report, "window", "purchased");
        assertEquals(0, purchased.get("difference").asDouble(), 1e-12);
        assertEquals(1, purchased.get("pValue").asDouble(), 1e-12);
        assertEquals("twoProportionZ", purchased.get("test").asText());

        Reply byDefault = admin.get("/api/v1/campaigns/" + campaign + "/uplift").expect(200);
        assertEquals(30, byDefault.number("/followUpDays"), "kizuna.campaigns.follow-up is P30D");
        assertEquals("2025-07-10", row(byDefault, "followUp", "spend").get("lastDay").asText());
        assertEquals(6, admin.get("/api/v1/campaigns/" + campaign + "/uplift?followUpDays=0").expect(200)
                .json().at("/rows").size(), "no follow-up: the window's rows only");

        Reply csv = admin.get("/api/v1/campaigns/" + campaign + "/uplift?followUpDays=5&format=csv").expect(200);
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        String[] lines = csv.text().split("\r\n");
        assertEquals(15, lines.length, csv.text());
        assertEquals(String.join(",", UpliftReport.COLUMNS), lines[0]);
        assertTrue(csv.text().contains("\r\nwindow,2025-06-01,2025-06-10,spend,3,3,3700,1500,"), csv.text());
        assertBalanced();
    }

    /** (a) The planted effect: the window's intervals exclude 0 and contain what the generator planted. */
    @Test
    @Order(2)
    void theReportRecoversAnEffectPlantedInTheTreatmentGroup() throws SQLException {
        Population generated = population();
        Reply report = admin.get("/api/v1/campaigns/" + generated.planted.id + "/uplift").expect(200);
        System.out.println("UpliftReportTest planted: " + report.text());
        assertHoldout(report, generated.members);
        assertTallies(report, generated.planted);
        PopulationGenerator.Campaign planted = generated.planted;
        for (String metric : List.of("purchased", "visits", "spend", "incrementalSpendPerPoint")) {
            JsonNode row = row(report, "window", metric);
            double truth = planted.plantedEffect(metric);
            assertTrue(row.get("lower95").asDouble() > 0, "the window's " + metric + " excludes 0: " + row);
            assertTrue(row.get("lower95").asDouble() <= truth && truth <= row.get("upper95").asDouble(),
                    "the window's " + metric + " interval contains the planted " + truth + ": " + row
                            + generated.replay());
            assertTrue(row.get("pValue").asDouble() < 0.001, row.toString());
        }
        assertEquals(planted.points(), row(report, "window", "pointsIssued").get("treatmentTotal").asLong());
        assertEquals(planted.points(), row(report, "window", "pointsCost").get("treatmentTotal").asDouble(), 1e-6);
    }

    /** (b) No planted effect: every interval contains 0, though the treatment group was awarded points. */
    @Test
    @Order(3)
    void theReportFindsNoEffectWhereNoneWasPlanted() throws SQLException {
        Population generated = population();
        Reply report = admin.get("/api/v1/campaigns/" + generated.unplanted.id + "/uplift").expect(200);
        System.out.println("UpliftReportTest unplanted: " + report.text());
        assertHoldout(report, generated.members);
        assertTallies(report, generated.unplanted);
        assertTrue(generated.unplanted.points() > 0, "the treatment group got points");
        for (String period : List.of("window", "followUp", "windowAndFollowUp")) {
            for (String metric : List.of("purchased", "visits", "spend", "incrementalSpendPerPoint")) {
                assertContainsZero(row(report, period, metric), generated);
            }
        }
    }

    @Test
    @Order(4)
    void badRequestsAreProblemsAndChangeNothing() throws SQLException {
        String segment = segment("Problem cases", false);
        Instant now = TestServer.CLOCK.instant();
        UUID campaign = create("PROBLEMS", "Problem cases", segment, now.plusSeconds(86_400),
                now.plusSeconds(2 * 86_400), "0.1");
        String auditorKey = admin.post("/api/v1/staff/credentials", "{\"name\": \"auditor\", \"role\": \"AUDITOR\"}")
                .expect(201).at("/key");
        Map<String, Long> before = counts();
        String uplift = "/api/v1/campaigns/" + campaign + "/uplift";
        admin.get("/api/v1/campaigns/" + UUID.randomUUID() + "/uplift").problem(404, "not_found");
        admin.get("/api/v1/campaigns/not-an-id/uplift").problem(404, "not_found");
        for (String query : List.of("followUpDays=-1", "followUpDays=367", "followUpDays=ten", "followUpDays=1.5",
                "format=xml", "from=2026-01-01", "followUpDays=3&by=store")) {
            admin.get(uplift + "?" + query).problem(400, "invalid_request");
        }
        TestServer.client(kizuna.port(), null).get(uplift).problem(401, "unauthenticated");
        TestServer.client(kizuna.port(), auditorKey).get(uplift).problem(403, "forbidden");
        assertEquals(before, counts(), "bad input changed nothing");
        Reply draft = admin.get(uplift).expect(200);
        assertEquals(0, draft.number("/treatmentMembers"), "a draft has no members yet");
        JsonNode empty = row(draft, "window", "spend");
        assertTrue(empty.get("difference").isNull());
        assertEquals("no estimate: both arms are empty", empty.get("note").asText());
        assertTrue(draft.json().at("/controlShare").isNull());
    }

    // --- the generated population ---------------------------------------------------------------------------

    /** The population and its two campaigns, generated once for the tests that read them. */
    private record Population(long seed, int members, PopulationGenerator.Campaign planted,
                              PopulationGenerator.Campaign unplanted) {
        String replay() {
            return " [seed " + seed + ", replay with -Dkizuna.seed=" + seed + "]";
        }
    }

    /**
     * Members and campaign ids come from the seed, so that the arms (a hash of the two) and with them every number
     * replay exactly. The campaigns are written as SCHEDULED rows (the API would give them ids of its own), and the
     * schedule job does the rest as in production: activation funds them and assigns the audience by the hash, and
     * as their windows are over it ends them in the same run.
     */
    private static synchronized Population population() throws SQLException {
        if (population != null) {
            return population;
        }
        long seed = Long.getLong("kizuna.seed", 20261203L);
        System.out.println("UpliftReportTest: seed " + seed + " (replay with -Dkizuna.seed=" + seed + ")");
        int size = 20_000;
        LocalDate today = TestServer.CLOCK.instant().atZone(ZONE).toLocalDate();
        PopulationGenerator generator = new PopulationGenerator(seed, ZONE, today.minusDays(365), today);
        String segment = admin.post("/api/v1/segments", "{\"name\": \"Gold members at risk of downgrade\","
                + " \"definition\": {\"criteria\": [{\"kind\": \"tier\", \"tiers\": [\"GOLD\"]},"
                + " {\"kind\": \"tierAtRisk\", \"value\": true},"
                // The exact-count test's six members are at-risk Gold too; they gave no marketing consent.
                + " {\"kind\": \"marketingConsent\", \"given\": true}]}}").expect(201).at("/id");
        LocalDate plantedStart = today.minusDays(120);
        LocalDate unplantedStart = today.minusDays(300);
        UUID planted = generator.nextId();
        UUID unplanted = generator.nextId();
        long started = System.nanoTime();
        List<UUID> ids = new java.util.ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ids.add(generator.nextId());
        }
        insertMembers(ids, true, today.minusDays(400).atStartOfDay(ZONE).toInstant());
        schedule(planted, "GOLD-RESCUE", "Gold members at risk of downgrade", segment, plantedStart);
        schedule(unplanted, "GOLD-RESCUE-NULL", "Gold members at risk of downgrade, no effect", segment,
                unplantedStart);
        kizuna.core().campaigns.runSchedule();
        for (UUID campaign : List.of(planted, unplanted)) {
            Reply ended = admin.get("/api/v1/campaigns/" + campaign).expect(200);
            assertEquals("ENDED", ended.at("/state"));
            assertEquals(size, ended.number("/treatment/members") + ended.number("/control/members"));
        }
        DataSource data = kizuna.database().dataSource();
        PopulationGenerator.Campaign plantedArms = generator.campaign(data, planted, plantedStart, true);
        PopulationGenerator.Campaign unplantedArms = generator.campaign(data, unplanted, unplantedStart, false);
        long rows = generator.generate(data, ids, List.of(plantedArms, unplantedArms));
        System.out.printf("UpliftReportTest: %d members, %d member_day rows in %d ms%n", size, rows,
                (System.nanoTime() - started) / 1_000_000);
        population = new Population(seed, size, plantedArms, unplantedArms);
        return population;
    }

    /** A 30-day campaign from {@code firstDay}, scheduled, as POST /api/v1/campaigns would save it. */
    private static void schedule(UUID id, String code, String name, String segment, LocalDate firstDay)
            throws SQLException {
        LocalDateTime now = utc(TestServer.CLOCK.instant());
        execute("INSERT INTO campaign (id, code, name, state, audience, starts_at, ends_at, reward, requires_entry,"
                        + " budget, member_cap, priority, holdout, account_id, created_at, updated_at)"
                        + " VALUES (?, ?, ?, 'SCHEDULED', ?, ?, ?, '{\"kind\":\"multiplier\",\"multiplier\":2}',"
                        + " FALSE, 100000000, NULL, ?, 0.2, NULL, ?, ?)",
                bytes(id), code, name, "[\"" + segment + "\"]", utc(firstDay.atStartOfDay(ZONE).toInstant()),
                utc(firstDay.plusDays(PopulationGenerator.WINDOW_DAYS).atStartOfDay(ZONE).toInstant()), priority++,
                now, now);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static void assertHoldout(Reply report, int members) {
        long control = report.number("/controlMembers");
        assertEquals(members, control + report.number("/treatmentMembers"), "every member is in one arm");
        double standardError = Math.sqrt(members * 0.2 * 0.8);
        assertTrue(Math.abs(control - 0.2 * members) <= 3 * standardError,
                control + " of " + members + " in control, expected " + 0.2 * members + " ± " + 3 * standardError);
        assertEquals((double) control / members, report.json().at("/controlShare").asDouble(), 1e-12);
    }

    /** The report's sizes and totals are exactly what the generator counted by the same rules. */
    private static void assertTallies(Reply report, PopulationGenerator.Campaign campaign) {
        for (PopulationGenerator.Period period : PopulationGenerator.Period.values()) {
            long[][] tally = campaign.tally(period);
            for (int metric = 0; metric < 3; metric++) {
                JsonNode row = row(report, period.label, List.of("purchased", "visits", "spend").get(metric));
                String what = period.label + " " + row.get("metric").asText();
                assertEquals(tally[0][3], row.get("treatmentMembers").asLong(), what);
                assertEquals(tally[1][3], row.get("controlMembers").asLong(), what);
                assertEquals(tally[0][metric], row.get("treatmentTotal").asLong(), what);
                assertEquals(tally[1][metric], row.get("controlTotal").asLong(), what);
            }
        }
    }

    private static void assertContainsZero(JsonNode row, Population generated) {
        assertTrue(row.get("lower95").asDouble() <= 0 && 0 <= row.get("upper95").asDouble(),
                "no effect was planted, so the interval contains 0: " + row + generated.replay());
        assertTrue(row.get("pValue").asDouble() > 0.05, row.toString());
    }

    /** Purchasers, visits and spend of each arm, and the period's first and last day. */
    private static void assertCounts(Reply report, String period, String firstDay, String lastDay, long[] treatment,
                                     long[] control) {
        List<String> metrics = List.of("purchased", "visits", "spend");
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode row = row(report, period, metrics.get(i));
            assertEquals(firstDay, row.get("firstDay").asText());
            assertEquals(lastDay, row.get("lastDay").asText());
            assertEquals(3, row.get("treatmentMembers").asLong());
            assertEquals(3, row.get("controlMembers").asLong());
            assertEquals(treatment[i], row.get("treatmentTotal").asLong(), period + " " + metrics.get(i));
            assertEquals(control[i], row.get("controlTotal").asLong(), period + " " + metrics.get(i));
            assertEquals(treatment[i] / 3.0 - control[i] / 3.0, row.get("difference").asDouble(), 1e-9);
        }
    }

    private static JsonNode row(Reply report, String period, String metric) {
        for (JsonNode row : report.json().at("/rows")) {
            if (row.get("period").asText().equals(period) && row.get("metric").asText().equals(metric)) {
                return row;
            }
        }
        throw new AssertionError("no " + period + " " + metric + " row in " + report.text());
    }

    private static String segment(String name, boolean marketingConsent) {
        return admin.post("/api/v1/segments", "{\"name\": \"" + name + "\", \"definition\": {\"criteria\":"
                + " [{\"kind\": \"marketingConsent\", \"given\": " + marketingConsent + "}]}}").expect(201).at("/id");
    }

    private static UUID create(String code, String name, String segment, Instant startsAt, Instant endsAt,
                               String holdout) {
        return UUID.fromString(admin.post("/api/v1/campaigns", "{\"code\": \"" + code + "\", \"name\": \"" + name
                + "\", \"audience\": [\"" + segment + "\"], \"startsAt\": \"" + startsAt + "\", \"endsAt\": \""
                + endsAt + "\", \"reward\": {\"kind\": \"multiplier\", \"multiplier\": 2}, \"budget\": 100000000,"
                + " \"priority\": " + (priority++) + ", \"holdout\": " + holdout + "}").expect(201).at("/id"));
    }

    /**
     * Schedules a campaign whose window is over: the schedule job activates it (assigning its audience by the hash)
     * and ends it in one run. Checks the arms' sizes.
     */
    private static void activateAndEnd(UUID campaign, long treatment, long control) {
        admin.post("/api/v1/campaigns/" + campaign + "/transitions", "{\"to\": \"SCHEDULED\"}").expect(200);
        kizuna.core().campaigns.runSchedule();
        Reply ended = admin.get("/api/v1/campaigns/" + campaign).expect(200);
        assertEquals("ENDED", ended.at("/state"));
        assertEquals(treatment, ended.number("/treatment/members"));
        assertEquals(control, ended.number("/control/members"));
    }

    private static void insertMembers(List<UUID> ids, boolean marketingConsent, Instant enrolledAt)
            throws SQLException {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement member = connection.prepareStatement("INSERT INTO member (id, status,"
                     + " consent_marketing, consent_analytics, enrolled_at, updated_at)"
                     + " VALUES (?, 'ACTIVE', ?, TRUE, ?, ?)");
             PreparedStatement tier = connection.prepareStatement("INSERT INTO member_tier (member_id, tier_code,"
                     + " since, below_since) VALUES (?, 'GOLD', ?, ?)")) {
            connection.setAutoCommit(false);
            LocalDateTime enrolled = utc(enrolledAt);
            for (UUID id : ids) {
                member.setBytes(1, bytes(id));
                member.setBoolean(2, marketingConsent);
                member.setObject(3, enrolled);
                member.setObject(4, enrolled);
                member.addBatch();
                // Gold, and below Gold's threshold since a month ago: at risk of downgrade at the next review.
                tier.setBytes(1, bytes(id));
                tier.setObject(2, enrolled);
                tier.setObject(3, utc(TestServer.CLOCK.instant().minusSeconds(30L * 86_400)));
                tier.addBatch();
            }
            member.executeBatch();
            tier.executeBatch();
            connection.commit();
        }
    }

    private static void day(UUID member, String day, int purchases, long spend) throws SQLException {
        execute("INSERT INTO member_day (member_id, day, purchases, spend) VALUES (?, ?, ?, ?)", bytes(member),
                LocalDate.parse(day), purchases, spend);
    }

    private static void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = new HashMap<>(RowCounts.snapshot(kizuna.database().dataSource()));
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT (SELECT COUNT(*) FROM campaign),"
                     + " (SELECT COUNT(*) FROM campaign_member), (SELECT COUNT(*) FROM member_day)");
             ResultSet row = select.executeQuery()) {
            row.next();
            counts.put("campaign", row.getLong(1));
            counts.put("campaign_member", row.getLong(2));
            counts.put("member_day", row.getLong(3));
        }
        return counts;
    }

    private static void assertBalanced() {
        Reply audit = admin.get("/api/v1/ledger/audit").expect(200);
        assertTrue(audit.json().at("/balanced").asBoolean(), () -> "audit: " + audit.text());
        assertEquals(0, audit.number("/sumOfAllBalances"));
    }

    private static Sample sample(double... values) {
        Sample sample = new Sample();
        for (double value : values) {
            sample.add(value);
        }
        return sample;
    }

    static byte[] bytes(UUID id) {
        return UuidConverter.toBytes(id);
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static LocalDateTime utc(LocalDate day, LocalTime time, ZoneId zone) {
        return utc(day.atTime(time).atZone(zone).toInstant());
    }
}
