package io.kizuna.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.Kizuna;
import io.kizuna.db.Database;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox and the pull feed over real HTTP: written with the change, positioned in order, resumable. */
class FeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final LocalDate DAY = LocalDate.parse("2026-04-01");

    @AfterEach
    void ledgerBalances() {
        TestServer.admin().assertLedgerBalanced();
    }

    @Test
    void aPurchaseAndItsReturnReachTheFeedInOrderOnlyOnceTheDispatcherHasPositionedThem() throws Exception {
        Kizuna kizuna = TestServer.get();
        kizuna.core().dispatcher.run();
        long start = lastPosition(kizuna.database());
        Shop shop = Shop.open();
        Shop.Member member = Shop.enroll("Feed Reader", true);
        Shop.Sale sale = shop.sale(member.card(), DAY, Shop.line("4901234567894", "FOOD", 1200),
                Shop.line("4909999999990", "DRINK", 300));
        shop.returnLine(sale, 2, DAY.plusDays(1));

        assertTrue(read(kizuna.port(), start, 1000).events().stream()
                .noneMatch(event -> member.id().equals(event.path("memberId").asText())),
                "events wait for the dispatcher before anyone can read them");
        assertEquals(6, unpositioned(kizuna.database(), member.id()), "yet they are written, with the change");

        kizuna.core().dispatcher.run();
        List<JsonNode> mine = read(kizuna.port(), start, 1000).events().stream()
                .filter(event -> member.id().equals(event.path("memberId").asText())).toList();
        assertEquals(List.of("member.enrolled", "member.consents-changed", "points.moved", "purchase.recorded",
                "points.moved", "purchase.returned"), mine.stream().map(event -> event.get("type").asText()).toList(),
                "the card issue has no event of its own; everything else in the order it happened");
        JsonNode purchase = mine.get(3).get("data");
        assertEquals(1500, purchase.get("total").asLong());
        assertEquals(member.card(), purchase.at("/person/cardNumber").asText());
        assertEquals("DRINK", purchase.at("/lines/1/category").asText());
        assertEquals("EARN", mine.get(2).at("/data/code").asText());
        assertEquals(15, mine.get(2).at("/data/points").asLong());
        assertEquals("REVERSAL", mine.get(4).at("/data/code").asText());
        assertEquals(300, mine.get(5).at("/data/total").asLong());
        for (int i = 1; i < mine.size(); i++) {
            assertTrue(mine.get(i).get("position").asLong() > mine.get(i - 1).get("position").asLong());
        }
    }

    @Test
    void thePullFeedResumesFromItsCursorWithoutGapsOrRepeats() throws Exception {
        Kizuna kizuna = TestServer.get();
        Shop shop = Shop.open();
        for (int i = 0; i < 5; i++) {
            shop.sale(Shop.enroll("Pager " + i, true).card(), DAY, Shop.line("4901234567894", "FOOD", 100 + i));
        }
        kizuna.core().dispatcher.run();
        long end = lastPosition(kizuna.database());
        List<Long> whole = read(kizuna.port(), 0, 1000).events().stream()
                .map(event -> event.get("position").asLong()).toList();
        List<Long> paged = new ArrayList<>();
        long cursor = 0;
        for (Page page = read(kizuna.port(), cursor, 7); !page.events().isEmpty(); page = read(kizuna.port(), cursor,
                7)) {
            page.events().forEach(event -> paged.add(event.get("position").asLong()));
            cursor = page.next();
        }
        assertEquals(end, cursor, "the last cursor is the last position");
        assertEquals(whole.subList(0, Math.min(whole.size(), 1000)), paged.subList(0, Math.min(paged.size(), 1000)));
        for (int i = 0; i < paged.size(); i++) {
            assertEquals(i + 1, paged.get(i), "positions run 1, 2, 3, ... with no gap and no repeat");
        }
        assertEquals(end, read(kizuna.port(), end, 10).next(), "an empty page keeps the cursor where it was");
    }

    @Test
    void aMemberWithoutAnalyticsConsentIsNotNamedAndAWithdrawnConsentCoversWhatWasNotYetRead() throws Exception {
        Kizuna kizuna = TestServer.get();
        kizuna.core().dispatcher.run();
        long start = lastPosition(kizuna.database());
        Shop shop = Shop.open();
        Shop.Member private_ = Shop.enroll("Private Person", false);
        Shop.Member withdrawing = Shop.enroll("Changes Mind", true);
        shop.sale(private_.card(), DAY, Shop.line("4901234567894", "FOOD", 800));
        shop.sale(withdrawing.card(), DAY, Shop.line("4901234567894", "FOOD", 900));
        TestServer.admin().patch("/api/v1/members/" + withdrawing.id(),
                "{\"consents\": {\"marketingMessages\": false, \"analyticsUse\": false}}").expect(200);
        kizuna.core().dispatcher.run();

        List<JsonNode> events = read(kizuna.port(), start, 1000).events();
        String text = events.toString();
        assertFalse(text.contains(private_.card()) || text.contains(withdrawing.card()), "no card numbers");
        List<JsonNode> purchases = events.stream()
                .filter(event -> event.get("type").asText().equals("purchase.recorded")).toList();
        assertEquals(List.of(800L, 900L), purchases.stream().map(event -> event.at("/data/total").asLong()).toList(),
                "the purchases are there, as anonymous baskets");
        assertTrue(purchases.stream().noneMatch(event -> event.has("memberId")));
        assertTrue(events.stream().filter(event -> event.get("type").asText().equals("points.moved"))
                .noneMatch(event -> event.at("/data").has("walletId")));
        List<JsonNode> consents = events.stream()
                .filter(event -> event.get("type").asText().equals("member.consents-changed")).toList();
        assertEquals(withdrawing.id(), consents.getLast().get("memberId").asText(),
                "a consent change always names its member, so that downstream systems can act on it");
        assertFalse(consents.getLast().at("/data/analytics").asBoolean());
    }

    @Test
    void eventsWrittenWhileNoDispatcherRunsAreAllThereAfterARestart() throws Exception {
        String schema = "feedrestart" + System.nanoTime();
        String member;
        try (Kizuna first = TestServer.startOwn(schema)) {
            ApiClient admin = TestServer.client(first.port(), TestServer.ADMIN_KEY);
            member = admin.enroll("Survives Restarts");
            admin.post("/api/v1/members/" + member + "/adjustments",
                    "{\"points\": 40, \"reason\": \"goodwill\"}").expect(201);
        }
        try (Kizuna second = TestServer.startOwn(schema)) {
            second.core().dispatcher.run();
            List<JsonNode> all = read(second.port(), 0, 1000).events();
            assertEquals(List.of("member.enrolled", "member.consents-changed", "points.moved"),
                    all.stream().map(event -> event.get("type").asText()).toList());
            assertEquals(40, all.get(2).at("/data/points").asLong());
            assertEquals("ADJUSTMENT", all.get(2).at("/data/code").asText());
            assertEquals(member, all.get(1).get("memberId").asText(), "the consent change names its member");
            assertFalse(all.get(0).has("memberId"), "the member gave no analytics consent");
        }
    }

    @Test
    void twoNodesDispatchingAtOnceNeverPositionAnEventTwiceLeaveAGapOrProjectTwice() throws Exception {
        String schema = "feedtwonodes" + System.nanoTime();
        try (Kizuna first = TestServer.startOwn(schema); Kizuna second = TestServer.startOwn(schema)) {
            ApiClient admin = TestServer.client(first.port(), TestServer.ADMIN_KEY);
            java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String member = admin.enroll("Node Test " + i);
                admin.post("/api/v1/members/" + member + "/adjustments", "{\"points\": 7, \"reason\": \"test\"}")
                        .expect(201);
                runs.add(nodes.submit(() -> first.core().dispatcher.run()));
                runs.add(nodes.submit(() -> second.core().dispatcher.run()));
            }
            for (var run : runs) {
                run.get();
            }
            nodes.shutdown();
            first.core().dispatcher.run();
            List<Long> positions = read(first.port(), 0, 1000).events().stream()
                    .map(event -> event.get("position").asLong()).toList();
            assertEquals(90, positions.size(), "30 enrolments, 30 consent records, 30 adjustments");
            for (int i = 0; i < positions.size(); i++) {
                assertEquals(i + 1, positions.get(i));
            }
            try (Connection connection = first.database().dataSource().getConnection();
                 PreparedStatement sum = connection.prepareStatement(
                         "SELECT SUM(points) FROM points_daily WHERE code = 'ADJUSTMENT'");
                 ResultSet row = sum.executeQuery()) {
                row.next();
                assertEquals(30 * 7, row.getLong(1), "every adjustment projected exactly once");
            }
        }
    }

    @Test
    void aBadCursorOrLimitIsRefusedAndNeedsTheFeedPermission() {
        ApiClient admin = TestServer.admin();
        admin.get("/api/v1/feed?after=-1").problem(400, "invalid_request");
        admin.get("/api/v1/feed?after=abc").problem(400, "invalid_request");
        admin.get("/api/v1/feed?limit=0").problem(400, "invalid_request");
        admin.get("/api/v1/feed?limit=1001").problem(400, "invalid_request");
        String marketer = admin.post("/api/v1/staff/credentials", "{\"name\": \"m\", \"role\": \"MARKETER\"}")
                .expect(201).at("/key");
        TestServer.as(marketer).get("/api/v1/feed").problem(403, "forbidden");
    }

    record Page(List<JsonNode> events, long next) {
    }

    static Page read(int port, long after, int limit) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(TestServer.client(port, TestServer.ADMIN_KEY)
                .request("/api/v1/feed?after=" + after + "&limit=" + limit).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        assertEquals(FeedHttpService.NDJSON, response.headers().firstValue("Content-Type").orElseThrow());
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty()) {
                events.add(JSON.readTree(line));
            }
        }
        String next = response.headers().firstValue("Kizuna-Feed-Next").orElse(null);
        assertNotNull(next);
        return new Page(events, Long.parseLong(next));
    }

    static long lastPosition(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            return EventLog.lastPosition(connection);
        }
    }

    private static long unpositioned(Database database, String member) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM outbox_event"
                     + " WHERE position IS NULL AND member_id = ?")) {
            count.setBytes(1, io.kizuna.db.UuidConverter.toBytes(java.util.UUID.fromString(member)));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
