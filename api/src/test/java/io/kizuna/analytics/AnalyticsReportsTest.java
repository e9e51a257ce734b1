package io.kizuna.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.db.UuidConverter;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.MutableClock;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestDatabases;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every CRM report over a small data set built through real sales on a Kizuna of its own (a fresh schema and a
 * clock of its own, so the numbers are exact), checked against numbers worked out by hand below.
 *
 * <p>The data set (program zone Asia/Tokyo; "today" is Monday 2026-06-15; 1 point per 100 yen):
 * <pre>
 *  sale  member  day (weekday)     hour  store  lines (category amount)           total  net   points
 *   1    A       2026-04-06 (Mon)  10    S1     FOOD 1000 (sku F), DRINK 200 (D)   1200   1200  12
 *   4    B       2026-04-07 (Tue)  18    S1     DRINK 400                           400    400   4
 *   5    B       2026-04-07 (Tue)  19    S1     FOOD 600                            600    600   6
 *   2    A       2026-05-04 (Mon)  10    S1     FOOD 800                            800    800   8
 *   6    C       2026-05-05 (Tue)  10    S2     FOOD 2000, DRINK 1000              3000   2000  30
 *        C returns sale 6's DRINK line on 2026-05-06: 1000 yen, 30 * 1000 / 3000 = 10 points reversed
 *   3    A       2026-06-01 (Mon)  18    S2     FOOD 500, DRINK 300                 800    800   8
 *   7    D       2026-06-02 (Tue)  12    S2     SNACK 300 (sku S)                   300    300   3
 *   8    (none)  2026-06-02 (Tue)  12    S1     FOOD 100, SNACK 100                 200    200   -
 * </pre>
 * Members: A female, born 1990-05-01 (36: "30-39"), Tokyo; B male, 1980-01-01 (46: "40-49"), Osaka; C female,
 * 1995-03-03 (31: "30-39"), Tokyo; D gave no birth date, gender or prefecture ("unknown"). NPS answers: A 10 on
 * 2026-05-10, B 6 on 2026-05-11, C 9 on 2026-05-20, D 8 on 2026-06-03.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsReportsTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String FOOD = "4901234567894";
    private static final String DRINK = "4909999999990";
    private static final String SNACK = "4900000000009";
    private static final MutableClock CLOCK = new MutableClock(at("2026-04-01", 9));
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static Shop.Member a;
    private static Shop.Member b;
    private static Shop.Member c;
    private static Shop.Member d;

    @BeforeAll
    static void sellToTheHandComputedDataSet() throws SQLException {
        kizuna = start("analyticsreports" + System.nanoTime());
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        a = enroll("\"birthDate\": \"1990-05-01\", \"gender\": \"FEMALE\", \"prefecture\": \"Tokyo\"");
        b = enroll("\"birthDate\": \"1980-01-01\", \"gender\": \"MALE\", \"prefecture\": \"Osaka\"");
        c = enroll("\"birthDate\": \"1995-03-03\", \"gender\": \"FEMALE\", \"prefecture\": \"Tokyo\"");
        d = enroll("\"name\": \"No Details\"");
        Shop s1 = Shop.open(admin);
        Shop s2 = Shop.open(admin);
        sale(s1, a.card(), "2026-04-06", 10, Shop.line(FOOD, "FOOD", 1000), Shop.line(DRINK, "DRINK", 200));
        sale(s1, b.card(), "2026-04-07", 18, Shop.line(DRINK, "DRINK", 400));
        sale(s1, b.card(), "2026-04-07", 19, Shop.line(FOOD, "FOOD", 600));
        sale(s1, a.card(), "2026-05-04", 10, Shop.line(FOOD, "FOOD", 800));
        Shop.Sale sixth = sale(s2, c.card(), "2026-05-05", 10, Shop.line(FOOD, "FOOD", 2000),
                Shop.line(DRINK, "DRINK", 1000));
        CLOCK.set(at("2026-05-06", 11));
        assertEquals(10, Math.abs(s2.returnLine(sixth, 2, LocalDate.parse("2026-05-06"))
                .number("/pointsReversed")), "30 * 1000 / 3000 points come back");
        sale(s2, a.card(), "2026-06-01", 18, Shop.line(FOOD, "FOOD", 500), Shop.line(DRINK, "DRINK", 300));
        sale(s2, d.card(), "2026-06-02", 12, Shop.line(SNACK, "SNACK", 300));
        sale(s1, null, "2026-06-02", 12, Shop.line(FOOD, "FOOD", 100), Shop.line(SNACK, "SNACK", 100));
        answer(a, 10, "2026-05-10");
        answer(b, 6, "2026-05-11");
        answer(c, 9, "2026-05-20");
        answer(d, 8, "2026-06-03");
        CLOCK.set(at("2026-06-15", 12));
        kizuna.core().dispatcher.run();
    }

    @AfterAll
    static void stop() {
        if (kizuna != null) {
            kizuna.close();
        }
    }

    @Test
    @Order(1)
    void kpisOverTheWholePeriodAndByGender() {
        Reply all = admin.get("/api/v1/analytics/kpis?from=2026-04-01&to=2026-06-15").expect(200);
        assertEquals("2026-06-02T03:00:00Z", all.at("/asOf"), "the last event applied: sale 8, 12:00 in Tokyo");
        // Members A (3 sales on 3 days), B (2 sales, 1 day), C (1), D (1): 4 active, only A bought on 2+ days.
        // 8 sales, net 1200 + 400 + 600 + 800 + 2000 + 800 + 300 + 200 = 6300 yen; 6300 / 8 = 787.5.
        // Points: issued 12 + 4 + 6 + 8 + 30 + 8 + 3 = 71, outstanding 71 - 10 = 61; nothing redeemed or expired,
        // so breakage has no base yet.
        assertEquals(List.of(
                "all|activeMembers|4", "all|repeatRate|0.25", "all|purchaseFrequency|1.75", "all|sales|8",
                "all|revenue|6300", "all|averageBasket|787.5",
                "all|pointsIssued|71", "all|pointsRedeemed|0", "all|pointsExpired|0", "all|pointsOutstanding|61",
                "all|breakageRate|null", "all|expectedBreakage|null"), cells(all));
        // FEMALE: A and C, 1 of 2 repeat, (3 + 1) / 2 purchases each, sales 1200 + 800 + 2000 + 800 = 4800 / 4.
        // MALE: B, 2 purchases, 400 + 600 = 1000 / 2. unknown: D (300) and the anonymous sale (200): 500 / 2.
        Reply byGender = admin.get("/api/v1/analytics/kpis?from=2026-04-01&to=2026-06-15&by=gender").expect(200);
        assertEquals(List.of(
                "FEMALE|activeMembers|2", "FEMALE|repeatRate|0.5", "FEMALE|purchaseFrequency|2.0", "FEMALE|sales|4",
                "FEMALE|revenue|4800", "FEMALE|averageBasket|1200.0",
                "MALE|activeMembers|1", "MALE|repeatRate|0.0", "MALE|purchaseFrequency|2.0", "MALE|sales|2",
                "MALE|revenue|1000", "MALE|averageBasket|500.0",
                "unknown|activeMembers|1", "unknown|repeatRate|0.0", "unknown|purchaseFrequency|1.0",
                "unknown|sales|2", "unknown|revenue|500", "unknown|averageBasket|250.0"),
                cells(byGender).subList(0, 18));
        // By tier: nobody spent Silver's 30,000 yen, so the four members are Regular; the anonymous sale is unknown.
        Reply byTier = admin.get("/api/v1/analytics/kpis?from=2026-04-01&to=2026-06-15&by=tier").expect(200);
        assertEquals(List.of("REGULAR|activeMembers|4", "REGULAR|repeatRate|0.25", "REGULAR|purchaseFrequency|1.75",
                "REGULAR|sales|7", "REGULAR|revenue|6100"), cells(byTier).subList(0, 5));
        // Up to 2026-05-05 (before the return): 12 + 4 + 6 + 8 + 30 = 60 points out there.
        Reply early = admin.get("/api/v1/analytics/kpis?from=2026-05-01&to=2026-05-05").expect(200);
        assertTrue(cells(early).contains("all|pointsOutstanding|60"), () -> early.text());
        assertTrue(cells(early).contains("all|pointsIssued|38"), "8 + 30 issued in May up to the 5th");
        assertCsvMatchesJson("/api/v1/analytics/kpis?from=2026-04-01&to=2026-06-15&by=gender");
        Reply audit = admin.get("/api/v1/ledger/audit").expect(200);
        assertTrue(audit.json().at("/balanced").asBoolean(), audit.text());
        assertEquals(61, audit.number("/totals/outstanding"), "the ledger agrees with the liability report");
    }

    @Test
    @Order(2)
    void heatmapPriceBandsDropOffCohortsAndNps() {
        // Monday 10:00: sales 1 and 2 (1200 + 800); Monday 18:00: sale 3; Tuesday 10:00: sale 6 (net 2000),
        // 12:00: sales 7 and 8 (300 + 200), 18:00: sale 4, 19:00: sale 5.
        assertEquals(List.of("all|1|10|2|2000", "all|1|18|1|800", "all|2|10|1|2000", "all|2|12|2|500",
                "all|2|18|1|400", "all|2|19|1|600"), cells(admin.get("/api/v1/analytics/heatmap").expect(200)));
        // Net amounts 1200, 400, 600, 800, 2000, 800, 300, 200: under 500: 400, 300, 200; 500-999: 600, 800, 800;
        // 1000-1999: 1200; 2000-2999: 2000. Shares of 8.
        assertEquals(List.of("all|0-499|0|499|3|0.375", "all|500-999|500|999|3|0.375",
                "all|1000-1999|1000|1999|1|0.125", "all|2000-2999|2000|2999|1|0.125"),
                cells(admin.get("/api/v1/analytics/price-bands").expect(200)));
        // Purchase days: A 3, B 1 (two sales, one day), C 1, D 1. n=1: 4 members, 1 came back; n=2: 1 of 1;
        // n=3: 0 of 1; nobody made 4.
        List<String> dropOff = cells(admin.get("/api/v1/analytics/drop-off").expect(200));
        assertEquals(List.of("all|1|4|1|0.25", "all|2|1|1|1.0", "all|3|1|0|0.0", "all|4|0|0|null"),
                dropOff.subList(0, 4));
        assertEquals(10, dropOff.size(), "n = 1 to 10");
        assertEquals(List.of(), cells(admin.get("/api/v1/analytics/cohorts").expect(200)),
                "cohorts come from the recompute, which has not run yet");
        // By age band: "30-39" is A and C; "40-49" B; D unknown.
        assertEquals(List.of("30-39|1|2|1|0.5", "40-49|1|1|0|0.0", "unknown|1|1|0|0.0"),
                cells(admin.get("/api/v1/analytics/drop-off?by=ageBand").expect(200)).stream()
                        .filter(row -> row.split("\\|")[1].equals("1")).toList());
        // By first store: A, B started at S1; C, D at S2.
        assertEquals(2, cells(admin.get("/api/v1/analytics/drop-off?by=store").expect(200)).stream()
                .filter(row -> row.endsWith("|1|2|1|0.5") || row.endsWith("|1|2|0|0.0")).count());
        // NPS: May 10 (promoter), 6 (detractor), 9 (promoter): 100 * (2 - 1) / 3; June: 8 (passive) = 0.
        assertEquals(List.of("all|2026-05|3|2|0|1|" + 100.0 * (2 - 1) / 3, "all|2026-06|1|0|1|0|0.0"),
                cells(admin.get("/api/v1/analytics/nps").expect(200)));
        assertEquals(List.of("FEMALE|2026-05|2|2|0|0|100.0", "MALE|2026-05|1|0|0|1|-100.0",
                "unknown|2026-06|1|0|1|0|0.0"), cells(admin.get("/api/v1/analytics/nps?by=gender").expect(200)));
        for (String path : List.of("heatmap?by=store", "price-bands?by=region", "drop-off", "nps?by=gender")) {
            assertCsvMatchesJson("/api/v1/analytics/" + path);
        }
    }

    @Test
    @Order(3)
    void aRecomputeRunsInTheBackgroundAndASecondRequestGetsTheRunningOne() {
        List<Runnable> held = new ArrayList<>();
        kizuna.core().analytics.recomputes.runOn(held::add);
        try {
            holdARunBackAndLetItGo(held);
        } finally {
            kizuna.core().analytics.recomputes.runOn(Runnable::run);
        }
    }

    private static void holdARunBackAndLetItGo(List<Runnable> held) {
        Reply first = admin.post("/api/v1/analytics/recomputes", "{}").expect(202);
        String id = first.at("/id");
        assertEquals("running", first.at("/status"));
        assertEquals("queued", first.at("/stage"));
        assertEquals(0, first.number("/percent"));
        assertEquals(id, admin.post("/api/v1/analytics/recomputes", "{}").expect(202).at("/id"),
                "a second request while it runs answers the same run");
        assertEquals(1, held.size(), "and starts nothing");
        assertNull(admin.get("/api/v1/analytics/rfm").expect(200).json().get("computedAt").textValue(),
                "nothing is computed yet");

        held.getFirst().run();
        Reply done = admin.get("/api/v1/analytics/recomputes/" + id).expect(200);
        assertEquals("done", done.at("/status"), done.text());
        assertEquals("done", done.at("/stage"));
        assertEquals(100, done.number("/percent"));
        assertEquals("2026-06-15T03:00:00Z", done.at("/finishedAt"));
        Reply rfm = admin.get("/api/v1/analytics/rfm").expect(200);
        assertEquals("2026-06-15T03:00:00Z", rfm.at("/computedAt"), "when the recompute ran");
        assertEquals("2026-06-02T03:00:00Z", rfm.at("/asOf"), "as of the projections it read");
    }

    @Test
    @Order(4)
    void anotherNodesRunningRecomputeIsAnsweredAndAnAbandonedOneIsReplaced() throws SQLException {
        UUID theirs = UUID.randomUUID();
        sql("UPDATE job_lease SET owner = 'other-node', lease_until = ? WHERE name = 'analytics-recompute'",
                LocalDateTime.parse("2026-06-15T03:05:00"));
        sql("INSERT INTO analytics_recompute (id, status, stage, percent, node, started_at) VALUES"
                + " (?, 'running', 'clv', 40, 'other-node', ?)", UuidConverter.toBytes(theirs),
                LocalDateTime.parse("2026-06-15T03:01:00"));
        Reply answer = admin.post("/api/v1/analytics/recomputes", "{}").expect(202);
        assertEquals(theirs.toString(), answer.at("/id"), "the other node holds the lease: its run is the one");
        assertEquals("clv", answer.at("/stage"));
        assertEquals(40, answer.number("/percent"));

        CLOCK.set(Instant.parse("2026-06-15T03:06:00Z")); // the other node stopped renewing its lease
        Reply replaced = admin.post("/api/v1/analytics/recomputes", "{}").expect(202);
        assertFalse(theirs.toString().equals(replaced.at("/id")), "a new run starts");
        Reply abandoned = admin.get("/api/v1/analytics/recomputes/" + theirs).expect(200);
        assertEquals("failed", abandoned.at("/status"));
        assertTrue(abandoned.at("/error").contains("abandoned"));
        assertEquals("done", admin.get("/api/v1/analytics/recomputes/" + replaced.at("/id")).expect(200)
                .at("/status"), "this test runs recomputes on the calling thread");
        long runs = count("SELECT COUNT(*) FROM analytics_recompute");
        assertTrue(kizuna.core().analytics.recomputes.startIfDue(java.time.Duration.ofDays(1))
                .contains(replaced.at("/id")), "the schedule finds a run from minutes ago and starts none");
        assertEquals(runs, count("SELECT COUNT(*) FROM analytics_recompute"));
    }

    @Test
    @Order(5)
    void theRecomputeReportsEachStageUpTo100Percent() {
        List<String> progress = new ArrayList<>();
        kizuna.core().analytics.recompute.run(UUID.randomUUID(), (stage, percent) -> progress.add(stage + " "
                + percent));
        assertEquals("rfm 0", progress.getFirst());
        assertEquals("scores 100", progress.getLast());
        assertEquals(List.of("rfm", "clv", "cross-sell", "scores"), progress.stream().map(step -> step.split(" ")[0])
                .distinct().toList());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(Integer.parseInt(progress.get(i).split(" ")[1])
                    >= Integer.parseInt(progress.get(i - 1).split(" ")[1]), "percent never goes back: " + progress);
        }
    }

    @Test
    @Order(6)
    void rfmScoresAndSegments() {
        // Analysis date 2026-06-15. Recency days / orders / net spend:
        //   A 14 (06-01) / 3 / 2800;  B 69 (04-07) / 2 / 1000;  C 41 (05-05) / 1 / 3000 - 1000 = 2000;
        //   D 13 (06-02) / 1 / 300.
        // Score = 1 + floor(5 * w / 4), w = members strictly worse:
        //   recency (longer is worse): B w=0 -> 1, C w=1 -> 2, A w=2 -> 3, D w=3 -> 4
        //   frequency: C, D tie at w=0 -> 1, B w=2 -> 3, A w=3 -> 4
        //   monetary: D w=0 -> 1, B w=1 -> 2, C w=2 -> 3, A w=3 -> 4
        // Segments by the priority table: A 3/4/4 Loyal Customers (row 2); B 1/3/2 At Risk (row 11);
        // C 2/1/3 At Risk (row 13, nothing before matches); D 4/1/1 New Customers (row 3).
        Reply rfm = admin.get("/api/v1/analytics/rfm").expect(200);
        assertEquals("2026-06-15", rfm.at("/analysisDate"));
        assertEquals(List.of("all|Champions|0|0.0", "all|Loyal Customers|1|0.25", "all|Potential Loyalist|0|0.0",
                "all|New Customers|1|0.25", "all|Promising|0|0.0", "all|Need Attention|0|0.0",
                "all|About To Sleep|0|0.0", "all|At Risk|2|0.5", "all|Can't Lose Them|0|0.0",
                "all|Hibernating|0|0.0", "all|Lost|0|0.0"), cells(rfm));
        Reply members = admin.get("/api/v1/analytics/rfm/members?limit=1000").expect(200);
        List<String> expected = new ArrayList<>(List.of(
                a.id() + "|14|3|2800|3|4|4|Loyal Customers", b.id() + "|69|2|1000|1|3|2|At Risk",
                c.id() + "|41|1|2000|2|1|3|At Risk", d.id() + "|13|1|300|4|1|1|New Customers"));
        expected.sort(null);
        assertEquals(expected, cells(members), "in member id order");
        assertNull(members.json().get("next").textValue(), "one page holds them all");
        Reply page = admin.get("/api/v1/analytics/rfm/members?limit=1&segment=AT_RISK").expect(200);
        String firstAtRisk = b.id().compareTo(c.id()) < 0 ? b.id() : c.id();
        assertEquals(firstAtRisk, page.at("/rows/0/memberId"));
        assertEquals(firstAtRisk, page.at("/next"));
        assertEquals(1, admin.get("/api/v1/analytics/rfm/members?segment=AT_RISK&after=" + firstAtRisk).expect(200)
                .json().get("rows").size());
        assertEquals(List.of("memberId", "recencyDays", "frequency", "monetary", "recencyScore", "frequencyScore",
                "monetaryScore", "segment"), fieldNames(members.json().at("/rows/0")),
                "only the member's id identifies them: no name, email or card");
        assertFalse(members.text().contains(a.card()));
        assertEquals(List.of("FEMALE|Loyal Customers|1|0.5", "FEMALE|At Risk|1|0.5", "MALE|At Risk|1|1.0",
                "unknown|New Customers|1|1.0"), cells(admin.get("/api/v1/analytics/rfm?by=gender").expect(200))
                .stream().filter(row -> !row.contains("|0|0.0")).toList());
        MemberScores.MemberScore score = kizuna.core().analytics.scores.of(UUID.fromString(a.id())).orElseThrow();
        assertEquals(RfmSegment.LOYAL_CUSTOMERS, score.segment(), "campaigns and segments read the same scores");
        assertCsvMatchesJson("/api/v1/analytics/rfm?by=ageBand");
        assertCsvMatchesJson("/api/v1/analytics/rfm/members");
    }

    @Test
    @Order(7)
    void lifetimeValueIsTheFitOfTheHandSummarisedHistories() {
        // Purchase days up to 2026-06-15, weeks = days / 7:
        //   A: 04-06, 05-04, 06-01 -> x = 2, t_x = 56 / 7 = 8, T = 70 / 7 = 10, m = (800 + 800) / 2 = 800
        //   B: 04-07 (two sales, one day) -> x = 0, t_x = 0, T = 69 / 7
        //   C: 05-05 -> x = 0, T = 41 / 7;   D: 06-02 -> x = 0, T = 13 / 7
        CustomerSummary summaryA = new CustomerSummary("a", 2, 8, 10, 800);
        List<CustomerSummary> customers = List.of(summaryA, new CustomerSummary("b", 0, 0, 69 / 7.0, 0),
                new CustomerSummary("c", 0, 0, 41 / 7.0, 0), new CustomerSummary("d", 0, 0, 13 / 7.0, 0));
        BgNbd model = BgNbd.fit(customers);
        Reply clv = admin.get("/api/v1/analytics/clv").expect(200);
        assertEquals(52.0, clv.json().get("horizonWeeks").asDouble());
        assertEquals(model.r(), clv.json().at("/bgNbd/r").asDouble());
        assertEquals(model.alpha(), clv.json().at("/bgNbd/alpha").asDouble());
        assertEquals(model.a(), clv.json().at("/bgNbd/a").asDouble());
        assertEquals(model.b(), clv.json().at("/bgNbd/b").asDouble());
        assertEquals(model.logLikelihood(customers), clv.json().at("/bgNbd/logLikelihood").asDouble());
        assertEquals(4, clv.json().at("/bgNbd/members").asInt());
        assertEquals(4, clv.json().at("/rows/0/members").asInt());
        Map<String, JsonNode> byMember = new java.util.HashMap<>();
        admin.get("/api/v1/analytics/clv/members").expect(200).json().get("rows")
                .forEach(row -> byMember.put(row.get("memberId").asText(), row));
        assertEquals(model.probabilityAlive(summaryA), byMember.get(a.id()).get("probabilityAlive").asDouble(),
                1e-12);
        assertEquals(1.0, byMember.get(b.id()).get("probabilityAlive").asDouble(), "no repeat: cannot have left");
        assertEquals(model.expectedPurchases(summaryA, 52), byMember.get(a.id()).get("expectedPurchases")
                .asDouble(), 1e-9);
        assertCsvMatchesJson("/api/v1/analytics/clv?by=gender");
        assertCsvMatchesJson("/api/v1/analytics/clv/members");
    }

    @Test
    @Order(8)
    void crossSellRulesByCategoryAndSku() {
        // Category baskets: {FOOD, DRINK} x3 (sales 1, 3, 6), {FOOD} x2, {DRINK}, {SNACK}, {FOOD, SNACK}.
        // FOOD 6, DRINK 4, SNACK 2, FOOD+DRINK 3, FOOD+SNACK 1 of 8 baskets. Mined at support 0.25 (2 baskets)
        // and confidence 0.5: DRINK -> FOOD: 3/4 = 0.75, lift 3 * 8 / (4 * 6) = 1.0; FOOD -> DRINK: 3/6 = 0.5.
        Reply category = admin.get("/api/v1/analytics/cross-sell").expect(200);
        assertEquals(8, category.json().get("baskets").asInt());
        assertEquals(List.of("DRINK|FOOD|3|0.375|0.75|1.0", "FOOD|DRINK|3|0.375|0.5|1.0"), cells(category));
        assertEquals(List.of("DRINK|FOOD|3|0.375|0.75|1.0"),
                cells(admin.get("/api/v1/analytics/cross-sell?minConfidence=0.6").expect(200)));
        assertEquals(List.of(DRINK + "|" + FOOD + "|3|0.375|0.75|1.0", FOOD + "|" + DRINK + "|3|0.375|0.5|1.0"),
                cells(admin.get("/api/v1/analytics/cross-sell?by=sku&minSupport=0.3").expect(200)),
                "every SKU here is its category's only one");
        assertCsvMatchesJson("/api/v1/analytics/cross-sell?by=sku");
    }

    @Test
    @Order(9)
    void badParametersAreProblemsAndStartNothing() throws SQLException {
        long runs = count("SELECT COUNT(*) FROM analytics_recompute");
        for (String path : List.of("kpis?by=shoeSize", "kpis?from=yesterday",
                "kpis?from=2026-06-02&to=2026-06-01", "heatmap?format=xml", "price-bands?color=red",
                "drop-off?from=2026-01-01", "rfm/members?limit=0", "rfm/members?limit=1001",
                "rfm/members?after=someone", "rfm/members?segment=Champions", "clv/members?limit=x",
                "cross-sell?by=brand", "cross-sell?minSupport=0", "cross-sell?minSupport=2",
                "cross-sell?minConfidence=-1", "cross-sell?minSupport=0.1",
                "recomputes/not-a-uuid")) {
            admin.get("/api/v1/analytics/" + path).problem(400, "invalid_request");
        }
        admin.post("/api/v1/analytics/recomputes?now=yes", "{}").problem(400, "invalid_request");
        admin.get("/api/v1/analytics/recomputes/" + UUID.randomUUID()).problem(404, "not_found");
        assertEquals(runs, count("SELECT COUNT(*) FROM analytics_recompute"), "no run was started");
        String marketer = admin.post("/api/v1/staff/credentials", "{\"name\": \"m\", \"role\": \"MARKETER\"}")
                .expect(201).at("/key");
        TestServer.client(kizuna.port(), marketer).get("/api/v1/analytics/kpis").expect(200);
        String auditor = admin.post("/api/v1/staff/credentials", "{\"name\": \"x\", \"role\": \"AUDITOR\"}")
                .expect(201).at("/key");
        TestServer.client(kizuna.port(), auditor).get("/api/v1/analytics/kpis").problem(403, "forbidden");
    }

    @Test
    @Order(10)
    void cohortRetentionFromTheRecompute() {
        // First purchase months: April = A and B (A also bought in May and June), May = C, June = D.
        Reply all = admin.get("/api/v1/analytics/cohorts").expect(200);
        assertEquals(List.of("all|2026-04|0|2|2|1.0", "all|2026-04|1|2|1|0.5", "all|2026-04|2|2|1|0.5",
                "all|2026-05|0|1|1|1.0", "all|2026-05|1|1|0|0.0", "all|2026-06|0|1|1|1.0"), cells(all));
        assertNotNull(all.json().get("computedAt").textValue());
        assertEquals("2026-06-02T03:00:00Z", all.at("/asOf"));
        // By age band: "30-39" is A (April) and C (May); "40-49" is B (April); D is unknown (June).
        assertEquals(List.of("30-39|2026-04|0|1|1|1.0", "30-39|2026-04|1|1|1|1.0", "30-39|2026-04|2|1|1|1.0",
                "30-39|2026-05|0|1|1|1.0", "30-39|2026-05|1|1|0|0.0", "40-49|2026-04|0|1|1|1.0",
                "40-49|2026-04|1|1|0|0.0", "40-49|2026-04|2|1|0|0.0", "unknown|2026-06|0|1|1|1.0"),
                cells(admin.get("/api/v1/analytics/cohorts?by=ageBand").expect(200)));
        assertCsvMatchesJson("/api/v1/analytics/cohorts?by=ageBand");
        admin.get("/api/v1/analytics/cohorts?by=tier").problem(400, "invalid_request");
    }

    /** The CSV answer (by ?format=csv and by Accept) holds exactly the JSON answer's rows, under a header row. */
    private static void assertCsvMatchesJson(String path) {
        Reply json = admin.get(path).expect(200);
        Reply csv = admin.get(path + (path.contains("?") ? "&" : "?") + "format=csv").expect(200);
        assertEquals(ReportResponses.CSV, csv.contentType());
        Reply accepted = admin.send(admin.request(path).header("Accept", "text/csv").GET().build()).expect(200);
        assertEquals(csv.text(), accepted.text());
        StringBuilder expected = new StringBuilder();
        List<String> columns = csvColumns(csv.text());
        expected.append(String.join(",", columns)).append("\r\n");
        for (JsonNode row : json.json().get("rows")) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                JsonNode cell = row.get(column);
                String text = cell == null || cell.isNull() ? "" : cell.asText();
                cells.add(text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\""
                        : text);
            }
            expected.append(String.join(",", cells)).append("\r\n");
        }
        assertEquals(expected.toString(), csv.text(), path);
        if (json.json().get("rows").size() > 0) {
            assertEquals(fieldNames(json.json().at("/rows/0")), columns);
        }
    }

    private static List<String> csvColumns(String csv) {
        return List.of(csv.substring(0, csv.indexOf("\r\n")).split(","));
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Each row as its cells joined by "|" (null as "null"). */
    private static List<String> cells(Reply reply) {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : reply.json().get("rows")) {
            List<String> cells = new ArrayList<>();
            for (Iterator<JsonNode> it = row.elements(); it.hasNext(); ) {
                JsonNode cell = it.next();
                cells.add(cell.isNull() ? "null" : cell.asText());
            }
            rows.add(String.join("|", cells));
        }
        return rows;
    }

    private static Shop.Member enroll(String profile) {
        return Shop.enroll(admin, "\"profile\": {" + (profile.contains("name") ? profile
                : "\"name\": \"Member\", " + profile) + "}, \"consents\": {\"marketingMessages\": false,"
                + " \"analyticsUse\": true}");
    }

    private static Shop.Sale sale(Shop shop, String card, String day, int hour, Shop.Line... lines) {
        CLOCK.set(at(day, hour));
        return shop.sale(card, LocalDate.parse(day), lines);
    }

    /** Survey answers come from the app; its client helpers serve the shared server, so they are inserted here. */
    private static void answer(Shop.Member member, int score, String day) throws SQLException {
        sql("INSERT INTO nps_answer (id, member_id, score, answered_at) VALUES (?, ?, ?, ?)",
                UuidConverter.toBytes(UUID.randomUUID()), UuidConverter.toBytes(UUID.fromString(member.id())), score,
                LocalDateTime.ofInstant(at(day, 12), java.time.ZoneOffset.UTC));
    }

    private static Instant at(String day, int hourInTokyo) {
        return LocalDate.parse(day).atTime(hourInTokyo, 0).atZone(TOKYO).toInstant();
    }

    private static void sql(String statement, Object... parameters) throws SQLException {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(query);
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Kizuna start(String schema) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1",
                                "kizuna.security.bootstrap-admin-key", TestServer.ADMIN_KEY,
                                "kizuna.feed.dispatch-interval", "PT1H",
                                "kizuna.analytics.cross-sell.minimum-support", "0.25",
                                "kizuna.analytics.cross-sell.minimum-confidence", "0.5")),
                        ConfigSources.classpath("application.yaml"))
                .build();
        return Kizuna.start(config, TestDatabases.open(schema), CLOCK);
    }
}
