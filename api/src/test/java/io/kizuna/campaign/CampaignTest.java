package io.kizuna.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.Kizuna;
import io.kizuna.app.AppProtocol;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Ids;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.RowCounts;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Campaigns on a Kizuna of its own, where every number is exact: each reward kind through real sales, the holdout
 * split of a generated audience, a budget under concurrent sales, returns, the lifecycle and bad input. Base rate:
 * 1 point per 100 yen; campaigns run one at a time unless a test says otherwise, and each ends its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static Shop shop;
    private static String everyone;
    private static int campaigns;

    @BeforeAll
    static void start() {
        kizuna = TestServer.startOwn("campaigns" + System.nanoTime());
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        shop = Shop.open(admin);
        everyone = admin.post("/api/v1/segments", "{\"name\": \"Everyone active\", \"definition\": {\"criteria\":"
                + " [{\"kind\": \"status\", \"statuses\": [\"ACTIVE\"]}]}}").expect(201).at("/id");
    }

    @AfterAll
    static void stop() {
        kizuna.close();
    }

    @Test
    @Order(1)
    void everyRewardKindGivesExactlyItsPointsUnderItsRuleId() {
        assertEquals(List.of(10L), campaignPoints("{\"kind\": \"multiplier\", \"multiplier\": 2}",
                (member, code) -> List.of(sale(member, Shop.line("SKU-A", "FOOD", 1000)))));
        assertEquals(List.of(50L, 0L), campaignPoints("{\"kind\": \"fixedBonus\", \"points\": 50,"
                        + " \"minimumSpend\": 500}",
                (member, code) -> List.of(sale(member, Shop.line("SKU-A", "FOOD", 1000)),
                        sale(member, Shop.line("SKU-A", "FOOD", 300)))));
        // SKU-A: 2 items × 7; the rest of FOOD, 1000 yen (10 base points) × 3 adds 20; DRINK nothing.
        assertEquals(List.of(34L), campaignPoints("{\"kind\": \"itemBonus\", \"items\": ["
                        + "{\"sku\": \"SKU-A\", \"pointsPerItem\": 7}, {\"category\": \"FOOD\", \"multiplier\": 3}]}",
                (member, code) -> List.of(sale(member, Shop.line("SKU-A", "FOOD", 500),
                        Shop.line("SKU-A", "FOOD", 500), Shop.line("SKU-B", "FOOD", 1000),
                        Shop.line("SKU-C", "DRINK", 200)))));
        assertEquals(List.of(0L, 30L, 0L), campaignPoints("{\"kind\": \"nthVisit\", \"visit\": 2,"
                        + " \"bonus\": {\"points\": 30}}",
                (member, code) -> List.of(sale(member, Shop.line("SKU-A", "FOOD", 1000)),
                        sale(member, Shop.line("SKU-A", "FOOD", 1000)),
                        sale(member, Shop.line("SKU-A", "FOOD", 1000)))));
        ZonedDateTime now = TestServer.CLOCK.instant().atZone(ZONE);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm");
        assertEquals(List.of(5L), campaignPoints("{\"kind\": \"timeOfDay\", \"from\": \""
                        + now.minusHours(1).format(time) + "\", \"to\": \"" + now.plusHours(1).format(time)
                        + "\", \"bonus\": {\"multiplier\": 1.5}}",
                (member, code) -> List.of(sale(member, Shop.line("SKU-A", "FOOD", 1000)))));
        assertEquals(List.of(0L), campaignPoints("{\"kind\": \"timeOfDay\", \"from\": \""
                        + now.plusHours(1).format(time) + "\", \"to\": \"" + now.plusHours(2).format(time)
                        + "\", \"bonus\": {\"multiplier\": 1.5}}",
                (member, code) -> List.of(sale(member, Shop.line("SKU-A", "FOOD", 1000)))));
    }

    @Test
    @Order(2)
    void birthdayMonthRewardsOnlyMembersBornThisMonth() {
        LocalDate today = TestServer.CLOCK.instant().atZone(ZONE).toLocalDate();
        Shop.Member born = Shop.enroll(admin, "\"profile\": {\"name\": \"B\", \"birthDate\": \""
                + today.minusYears(30) + "\"}");
        Shop.Member other = Shop.enroll(admin, "\"profile\": {\"name\": \"O\", \"birthDate\": \""
                + today.minusYears(30).plusMonths(2) + "\"}");
        String id = activate(definition(code(), everyone, "{\"kind\": \"birthdayMonth\", \"bonus\": {\"points\": 40}}",
                100_000, null, "0"));
        String rule = "campaign:" + admin.get("/api/v1/campaigns/" + id).at("/code");
        assertEquals(40, rulePoints(sale(born, Shop.line("SKU-A", "FOOD", 1000)), rule));
        assertEquals(0, rulePoints(sale(other, Shop.line("SKU-A", "FOOD", 1000)), rule));
        end(id);
        assertBalanced();
    }

    @Test
    @Order(3)
    void dormancyRewardsTheFirstPurchaseAfterTheQuietDays() {
        Shop.Member member = Shop.enroll(admin, "\"profile\": {\"name\": \"D\"}");
        String id = activate(definition(code(), everyone, "{\"kind\": \"dormancy\", \"days\": 30,"
                + " \"bonus\": {\"points\": 100}}", 100_000, null, "0"));
        String rule = "campaign:" + admin.get("/api/v1/campaigns/" + id).at("/code");
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "a first purchase ever");
        TestServer.CLOCK.advance(Duration.ofDays(29));
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "29 quiet days");
        TestServer.CLOCK.advance(Duration.ofDays(31));
        assertEquals(100, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "31 quiet days");
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "the next day");
        end(id);
        assertBalanced();
    }

    @Test
    @Order(4)
    void aReturnTakesCampaignPointsBackInProportionToTheBudget() {
        Shop.Member member = Shop.enroll(admin, "\"profile\": {\"name\": \"R\"}");
        String id = activate(definition(code(), everyone, "{\"kind\": \"multiplier\", \"multiplier\": 3}",
                1000, null, "0"));
        Shop.Sale sale = sale(member, Shop.line("SKU-A", "FOOD", 1000), Shop.line("SKU-B", "FOOD", 1000));
        assertEquals(60, sale.reply().number("/points/earned"), "20 base and 40 from the campaign: " + sale.reply());
        assertEquals(960, admin.get("/api/v1/campaigns/" + id).number("/budgetLeft"));
        Reply back = shop.returnLine(sale, 1, sale.day());
        assertEquals(30, back.number("/pointsReversed"), "half of each rule's points");
        assertEquals(980, admin.get("/api/v1/campaigns/" + id).number("/budgetLeft"));
        assertEquals(20, admin.get("/api/v1/campaigns/" + id).number("/treatment/pointsAwarded"));
        assertBalanced();
        Reply ended = end(id);
        assertEquals(0, ended.number("/budgetLeft"), "the unspent budget went back to issuance");
        assertBalanced();
        assertEquals(30, shop.returnLine(sale, 2, sale.day()).number("/pointsReversed"));
        assertEquals(20, admin.get("/api/v1/campaigns/" + id).number("/budgetLeft"), "back after the end");
        kizuna.core().campaigns.runSchedule();
        assertEquals(0, admin.get("/api/v1/campaigns/" + id).number("/budgetLeft"), "and on to issuance");
        assertBalanced();
    }

    @Test
    @Order(5)
    void theHoldoutShareHoldsAndControlMembersNeverEarnCampaignPoints() throws SQLException {
        List<Shop.Member> enrolled = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            enrolled.add(Shop.enroll(admin, "\"profile\": {\"name\": \"H" + i + "\"}"));
        }
        insertMembers(4000);
        BigDecimal holdout = new BigDecimal("0.2");
        String id = activate(definition(code(), everyone, "{\"kind\": \"fixedBonus\", \"points\": 25}",
                1_000_000, null, holdout.toPlainString()));
        Map<UUID, String> arms = arms(UUID.fromString(id));
        assertTrue(arms.size() >= 4020, "everyone active is in the audience: " + arms.size());
        arms.forEach((member, arm) -> assertEquals(Arms.isControl(UUID.fromString(id), member, holdout),
                arm.equals("CONTROL"), "the SQL arm is the Java hash for " + member));
        long control = arms.values().stream().filter("CONTROL"::equals).count();
        double n = arms.size();
        double standardError = Math.sqrt(n * 0.2 * 0.8);
        assertTrue(Math.abs(control - 0.2 * n) <= 3 * standardError,
                control + " of " + n + " in control, expected " + 0.2 * n + " ± " + 3 * standardError);
        String rule = "campaign:" + admin.get("/api/v1/campaigns/" + id).at("/code");
        int controlSales = 0;
        int treatmentSales = 0;
        for (Shop.Member member : enrolled) {
            long points = rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule);
            if (arms.get(UUID.fromString(member.id())).equals("CONTROL")) {
                assertEquals(0, points, "a control member's receipt has no campaign rule");
                controlSales++;
            } else {
                assertEquals(25, points);
                treatmentSales++;
            }
        }
        assertTrue(controlSales > 0 && treatmentSales > 0, controlSales + " control, " + treatmentSales);
        for (Shop.Member member : enrolled) {
            AppProtocol.AppSession session = new AppProtocol.AppSession(UUID.fromString(member.id()), null);
            boolean offered = kizuna.core().memberApp.offers(session).items().stream()
                    .anyMatch(offer -> offer.id().equals(id));
            boolean inControl = arms.get(UUID.fromString(member.id())).equals("CONTROL");
            assertEquals(!inControl, offered, "the app offers the campaign to treatment members only");
            if (inControl) {
                KizunaException refused = assertThrows(KizunaException.class,
                        () -> kizuna.core().memberApp.enterOffer(session, id));
                assertEquals(ErrorCode.NOT_FOUND, refused.code());
            }
        }
        assertEquals(0, admin.get("/api/v1/campaigns/" + id).number("/control/pointsAwarded"));
        end(id);
        assertBalanced();
    }

    @Test
    @Order(10)
    void anOfferThatRequiresEntryAwardsNothingBeforeTheMemberEntersFromTheApp() {
        Reply tokens = TestServer.client(kizuna.port(), null).post("/app/v1/accounts", "{\"email\": \"entry"
                + System.nanoTime() + "@example.jp\", \"password\": \"correct horse battery\", \"profile\":"
                + " {\"name\": \"E\"}, \"consents\": {\"marketingMessages\": true}}").expect(201);
        String memberId = tokens.at("/memberId");
        ApiClient app = TestServer.client(kizuna.port(), tokens.at("/accessToken"));
        Shop.Member member = new Shop.Member(memberId, admin.get("/api/v1/members/" + memberId).at("/cards/0/number"));
        String code = code();
        String id = activate(definition(code, everyone, "{\"kind\": \"fixedBonus\", \"points\": 20}", 1000, null,
                "0").replace("\"budget\"", "\"requiresEntry\": true, \"budget\""));
        JsonNode offer = StreamSupport.stream(app.get("/app/v1/offers").expect(200).json().at("/items").spliterator(),
                false).filter(item -> item.get("id").asText().equals(id)).findFirst().orElseThrow();
        assertTrue(offer.get("requiresEntry").asBoolean());
        assertFalse(offer.get("entered").asBoolean());
        String rule = "campaign:" + code;
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "not entered yet");
        assertTrue(app.post("/app/v1/offers/" + id + "/entry", "").expect(200).json().get("entered").asBoolean());
        app.post("/app/v1/offers/" + id + "/entry", "").expect(200);
        app.post("/app/v1/offers/" + UUID.randomUUID() + "/entry", "").problem(404, "not_found");
        app.post("/app/v1/offers/not-an-id/entry", "").problem(404, "not_found");
        assertEquals(20, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "entered");
        assertTrue(app.get("/app/v1/points/history").expect(200).text().contains("\"" + rule + "\""),
                "the app's history names the campaign's rule");
        end(id);
        assertTrue(StreamSupport.stream(app.get("/app/v1/offers").json().at("/items").spliterator(), false)
                .noneMatch(item -> item.get("id").asText().equals(id)), "an ended campaign is no offer");
        assertBalanced();
    }

    @Test
    @Order(6)
    void theBudgetIsNeverExceededUnderConcurrentSalesAndTheCapHolds() throws Exception {
        List<Shop.Member> members = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            members.add(Shop.enroll(admin, "\"profile\": {\"name\": \"C" + i + "\"}"));
        }
        String id = activate(definition(code(), everyone, "{\"kind\": \"fixedBonus\", \"points\": 100}",
                1050, 300L, "0"));
        String rule = "campaign:" + admin.get("/api/v1/campaigns/" + id).at("/code");
        ExecutorService threads = Executors.newFixedThreadPool(members.size());
        List<Future<Long>> results = new ArrayList<>();
        for (Shop.Member member : members) {
            Shop own = Shop.open(admin);
            results.add(threads.submit(() -> {
                long points = 0;
                for (int sale = 0; sale < 6; sale++) {
                    long got = rulePoints(sale(own, member, Shop.line("SKU-A", "FOOD", 1000)), rule);
                    assertTrue(got <= 100);
                    points += got;
                }
                assertTrue(points <= 300, "the per-member cap: " + points);
                return points;
            }));
        }
        long total = 0;
        for (Future<Long> result : results) {
            total += result.get();
        }
        threads.shutdown();
        assertEquals(1050, total, "the whole budget, never more");
        Reply campaign = admin.get("/api/v1/campaigns/" + id);
        assertEquals(0, campaign.number("/budgetLeft"));
        assertEquals(1050, campaign.number("/treatment/pointsAwarded"));
        assertBalanced();
        end(id);
        assertBalanced();
    }

    @Test
    @Order(7)
    void theScheduleActivatesAtTheStartAndEndsAfterTheEndReturningTheRest() {
        Shop.Member member = Shop.enroll(admin, "\"profile\": {\"name\": \"S\"}");
        Instant now = TestServer.CLOCK.instant();
        String id = admin.post("/api/v1/campaigns", definition(code(), everyone,
                "{\"kind\": \"fixedBonus\", \"points\": 10}", 500, null, "0", now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3)))).expect(201).at("/id");
        transition(id, "SCHEDULED").expect(200);
        String rule = "campaign:" + admin.get("/api/v1/campaigns/" + id).at("/code");
        kizuna.core().campaigns.runSchedule();
        assertEquals("SCHEDULED", admin.get("/api/v1/campaigns/" + id).at("/state"));
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule));
        TestServer.CLOCK.advance(Duration.ofDays(1));
        kizuna.core().campaigns.runSchedule();
        assertEquals("ACTIVE", admin.get("/api/v1/campaigns/" + id).at("/state"));
        Shop.Member late = Shop.enroll(admin, "\"profile\": {\"name\": \"L\"}");
        assertEquals(10, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule));
        assertEquals(0, rulePoints(sale(late, Shop.line("SKU-A", "FOOD", 1000)), rule), "not assigned yet");
        kizuna.core().campaigns.runSchedule();
        assertEquals(10, rulePoints(sale(late, Shop.line("SKU-A", "FOOD", 1000)), rule), "assigned by the refresh");
        transition(id, "PAUSED").expect(200);
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "paused");
        transition(id, "ACTIVE").expect(200);
        TestServer.CLOCK.advance(Duration.ofDays(2));
        assertEquals(0, rulePoints(sale(member, Shop.line("SKU-A", "FOOD", 1000)), rule), "after the window");
        kizuna.core().campaigns.runSchedule();
        Reply ended = admin.get("/api/v1/campaigns/" + id);
        assertEquals("ENDED", ended.at("/state"));
        assertEquals(0, ended.number("/budgetLeft"));
        assertEquals(20, ended.number("/treatment/pointsAwarded"));
        transition(id, "ACTIVE").problem(409, "campaign_conflict");
        assertBalanced();
    }

    @Test
    @Order(8)
    void badInputIsRefusedAndChangesNothing() {
        String active = activate(definition(code(), everyone, "{\"kind\": \"fixedBonus\", \"points\": 10}",
                500, null, "0"));
        String draft = admin.post("/api/v1/campaigns", definition(code(), everyone,
                "{\"kind\": \"fixedBonus\", \"points\": 10}", 500, null, "0", Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-02-01T00:00:00Z"), 900)).expect(201).at("/id");
        Map<String, Long> before = counts();
        String good = "{\"kind\": \"fixedBonus\", \"points\": 10}";
        record Bad(String name, int status, String code, String body) {
        }
        Instant now = TestServer.CLOCK.instant();
        String priority = "\"priority\": " + admin.get("/api/v1/campaigns/" + active).number("/priority");
        List<Bad> bad = List.of(
                new Bad("unknown kind", 400, "invalid_request",
                        definition(code(), everyone, "{\"kind\": \"cashback\"}", 500, null, "0")),
                new Bad("no kind", 400, "invalid_request", definition(code(), everyone, "{\"points\": 10}", 500,
                        null, "0")),
                new Bad("bonus with points and multiplier", 400, "invalid_request", definition(code(), everyone,
                        "{\"kind\": \"birthdayMonth\", \"bonus\": {\"points\": 10, \"multiplier\": 2}}", 500, null,
                        "0")),
                new Bad("overlapping item rules", 400, "invalid_request", definition(code(), everyone,
                        "{\"kind\": \"itemBonus\", \"items\": [{\"sku\": \"A\", \"pointsPerItem\": 1},"
                                + " {\"sku\": \"A\", \"pointsPerItem\": 2}]}", 500, null, "0")),
                new Bad("multiplier of 1", 400, "invalid_request", definition(code(), everyone,
                        "{\"kind\": \"multiplier\", \"multiplier\": 1}", 500, null, "0")),
                new Bad("time window of no length", 400, "invalid_request", definition(code(), everyone,
                        "{\"kind\": \"timeOfDay\", \"from\": \"10:00\", \"to\": \"10:00\", \"bonus\":"
                                + " {\"points\": 1}}", 500, null, "0")),
                new Bad("unknown reward field", 400, "malformed_json", definition(code(), everyone,
                        "{\"kind\": \"fixedBonus\", \"points\": 1, \"extra\": 1}", 500, null, "0")),
                new Bad("negative budget", 400, "invalid_request", definition(code(), everyone, good, -5, null, "0")),
                new Bad("negative cap", 400, "invalid_request", definition(code(), everyone, good, 500, -1L, "0")),
                new Bad("cap above the budget", 400, "invalid_request",
                        definition(code(), everyone, good, 500, 501L, "0")),
                new Bad("holdout above 0.5", 400, "invalid_request",
                        definition(code(), everyone, good, 500, null, "0.6")),
                new Bad("negative holdout", 400, "invalid_request",
                        definition(code(), everyone, good, 500, null, "-0.1")),
                new Bad("window ending before it starts", 400, "invalid_request", definition(code(), everyone, good,
                        500, null, "0", now, now.minusSeconds(60))),
                new Bad("unknown segment", 404, "not_found",
                        definition(code(), UUID.randomUUID().toString(), good, 500, null, "0")),
                new Bad("code in lower case", 400, "invalid_request",
                        definition("lower case", everyone, good, 500, null, "0")),
                new Bad("code taken", 409, "already_exists", definition(admin.get("/api/v1/campaigns/" + active)
                        .at("/code"), everyone, good, 500, null, "0", now, now.plusSeconds(60), 950)),
                new Bad("same priority, overlapping window", 409, "campaign_conflict", definition(code(), everyone,
                        good, 500, null, "0", now, now.plus(Duration.ofDays(1)), 900)
                        .replace("\"priority\": 900", priority)),
                new Bad("not JSON", 400, "malformed_json", "{\"code\": "));
        for (Bad request : bad) {
            Reply reply = admin.post("/api/v1/campaigns", request.body());
            assertEquals(request.status() + " " + request.code(), reply.status() + " " + reply.json().at("/code")
                    .asText(), () -> request.name() + ": " + reply.text());
            reply.problem(request.status(), request.code());
        }
        admin.send(admin.request("/api/v1/campaigns/" + active).PUT(java.net.http.HttpRequest.BodyPublishers
                .ofString(definition(code(), everyone, good, 500, null, "0"))).header("Content-Type",
                "application/json").build()).problem(409, "campaign_conflict");
        admin.send(admin.request("/api/v1/campaigns/" + draft).PUT(java.net.http.HttpRequest.BodyPublishers
                .ofString(definition(code(), everyone, good, -1, null, "0"))).header("Content-Type",
                "application/json").build()).problem(400, "invalid_request");
        transition(draft, "ACTIVE").problem(409, "campaign_conflict");
        transition(draft, "ENDED").problem(409, "campaign_conflict");
        transition(active, "SCHEDULED").problem(409, "campaign_conflict");
        transition(draft, "FINISHED").problem(400, "malformed_json");
        transition(UUID.randomUUID().toString(), "SCHEDULED").problem(404, "not_found");
        assertEquals(before, counts(), "bad input changed nothing");
        end(active);
        assertBalanced();
    }

    @Test
    @Order(9)
    void marketersNeedTheirPermissions() {
        ApiClient anonymous = TestServer.client(kizuna.port(), null);
        anonymous.get("/api/v1/campaigns").problem(401, "unauthenticated");
        String auditorKey = admin.post("/api/v1/staff/credentials", "{\"name\": \"auditor\", \"role\": \"AUDITOR\"}")
                .expect(201).at("/key");
        ApiClient auditor = TestServer.client(kizuna.port(), auditorKey);
        auditor.post("/api/v1/campaigns", definition(code(), everyone, "{\"kind\": \"fixedBonus\", \"points\": 1}",
                10, null, "0")).problem(403, "forbidden");
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private interface Scenario {
        List<Shop.Sale> run(Shop.Member member, String code);
    }

    /** Runs a scenario for a fresh member under a campaign of this reward; answers the campaign points per sale. */
    private static List<Long> campaignPoints(String reward, Scenario scenario) {
        Shop.Member member = Shop.enroll(admin, "\"profile\": {\"name\": \"K\"}");
        String code = code();
        String id = activate(definition(code, everyone, reward, 100_000, null, "0"));
        List<Long> points = scenario.run(member, code).stream()
                .map(sale -> rulePoints(sale, "campaign:" + code)).toList();
        end(id);
        assertBalanced();
        return points;
    }

    private static long rulePoints(Shop.Sale sale, String rule) {
        JsonNode rules = sale.reply().json().at("/points/rules");
        long base = 0;
        long points = 0;
        boolean found = false;
        for (JsonNode node : rules) {
            if (node.get("ruleId").asText().equals(rule)) {
                points += node.get("points").asLong();
                found = true;
            }
            base += node.get("points").asLong();
        }
        assertEquals(base, sale.reply().number("/points/earned"), "the rules add up to what was earned");
        assertFalse(found && points == 0, "a campaign that gives nothing is not listed");
        assertTrue(StreamSupport.stream(rules.spliterator(), false).noneMatch(node -> node.get("ruleId").asText()
                .startsWith("campaign:") && !node.get("ruleId").asText().equals(rule)), () -> "one campaign at a time: "
                + rules);
        return points;
    }

    private static Shop.Sale sale(Shop.Member member, Shop.Line... lines) {
        return sale(shop, member, lines);
    }

    private static Shop.Sale sale(Shop at, Shop.Member member, Shop.Line... lines) {
        return at.sale(member.card(), TestServer.CLOCK.instant().atZone(ZONE).toLocalDate(), lines);
    }

    private static synchronized String code() {
        return "C" + (++campaigns) + "-" + Long.toString(System.nanoTime() % 100_000, 36).toUpperCase();
    }

    private static String definition(String code, String segment, String reward, long budget, Long cap,
                                     String holdout) {
        Instant now = TestServer.CLOCK.instant();
        return definition(code, segment, reward, budget, cap, holdout, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(400)));
    }

    private static String definition(String code, String segment, String reward, long budget, Long cap,
                                     String holdout, Instant startsAt, Instant endsAt) {
        return definition(code, segment, reward, budget, cap, holdout, startsAt, endsAt, campaigns);
    }

    private static String definition(String code, String segment, String reward, long budget, Long cap,
                                     String holdout, Instant startsAt, Instant endsAt, int priority) {
        return "{\"code\": \"" + code + "\", \"name\": \"Campaign " + code + "\", \"audience\": [\"" + segment
                + "\"], \"startsAt\": \"" + startsAt + "\", \"endsAt\": \"" + endsAt + "\", \"reward\": " + reward
                + ", \"budget\": " + budget + (cap == null ? "" : ", \"memberCap\": " + cap) + ", \"priority\": "
                + priority + ", \"holdout\": " + holdout + "}";
    }

    private static String activate(String definition) {
        String id = admin.post("/api/v1/campaigns", definition).expect(201).at("/id");
        transition(id, "SCHEDULED").expect(200);
        Reply active = transition(id, "ACTIVE").expect(200);
        assertEquals("ACTIVE", active.at("/state"));
        return id;
    }

    private static Reply end(String id) {
        return transition(id, "ENDED").expect(200);
    }

    private static Reply transition(String id, String to) {
        return admin.post("/api/v1/campaigns/" + id + "/transitions", "{\"to\": \"" + to + "\"}");
    }

    private static void assertBalanced() {
        Reply audit = admin.get("/api/v1/ledger/audit").expect(200);
        assertTrue(audit.json().at("/balanced").asBoolean(), () -> "audit: " + audit.text());
        assertEquals(0, audit.number("/sumOfAllBalances"));
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>(RowCounts.snapshot(kizuna.database().dataSource()));
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT (SELECT COUNT(*) FROM campaign),"
                     + " (SELECT COUNT(*) FROM campaign_member), (SELECT MAX(updated_at) FROM campaign)");
             ResultSet row = select.executeQuery()) {
            row.next();
            counts.put("campaign", row.getLong(1));
            counts.put("campaign_member", row.getLong(2));
            counts.put("campaign_updated", row.getTimestamp(3).getTime());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private static void insertMembers(int count) throws SQLException {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO member (id, status,"
                     + " consent_marketing, consent_analytics, enrolled_at, updated_at)"
                     + " VALUES (?, 'ACTIVE', FALSE, FALSE, ?, ?)")) {
            LocalDateTime now = LocalDateTime.ofInstant(TestServer.CLOCK.instant(), ZoneOffset.UTC);
            for (int i = 0; i < count; i++) {
                insert.setBytes(1, UuidConverter.toBytes(Ids.next()));
                insert.setObject(2, now);
                insert.setObject(3, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static Map<UUID, String> arms(UUID campaign) throws SQLException {
        Map<UUID, String> arms = new HashMap<>();
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT member_id, arm FROM campaign_member WHERE campaign_id = ?")) {
            select.setBytes(1, UuidConverter.toBytes(campaign));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    arms.put(UuidConverter.fromBytes(rows.getBytes(1)), rows.getString(2));
                }
            }
        }
        return arms;
    }
}
