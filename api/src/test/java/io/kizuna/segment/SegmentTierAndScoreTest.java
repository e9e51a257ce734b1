package io.kizuna.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.Kizuna;
import io.kizuna.db.UuidConverter;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The criteria that come from the tiers and from the analytics recompute, on a Kizuna of its own with the default
 * tiers (Regular 0, Silver 30,000 yen, close to upgrade within 20%):
 *
 * <pre>
 * ai   35,000 yen (25,000 FOOD + 10,000 DRINK): Silver from that sale
 * bo   26,000 yen: Regular, close to Silver (24,000 or more)
 * cy    1,000 yen: Regular, not close
 * di   nothing:    Regular without a tier row
 * </pre>
 */
class SegmentTierAndScoreTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static Shop shop;
    private static Shop.Sale aiSale;
    private static String ai;
    private static String bo;
    private static String cy;
    private static String di;

    @BeforeAll
    static void fourMembers() {
        kizuna = TestServer.startOwn("segmenttiers" + System.nanoTime());
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        shop = Shop.open(admin);
        LocalDate today = TestServer.CLOCK.instant().atZone(ZONE).toLocalDate();
        Shop.Member a = Shop.enroll(admin, "\"profile\": {\"name\": \"Ai\"}");
        Shop.Member b = Shop.enroll(admin, "\"profile\": {\"name\": \"Bo\"}");
        Shop.Member c = Shop.enroll(admin, "\"profile\": {\"name\": \"Cy\"}");
        di = Shop.enroll(admin, "\"profile\": {\"name\": \"Di\"}").id();
        ai = a.id();
        bo = b.id();
        cy = c.id();
        aiSale = shop.sale(a.card(), today, Shop.line("4901234567894", "FOOD", 25_000),
                Shop.line("4909999999990", "DRINK", 10_000));
        shop.sale(b.card(), today, Shop.line("4901234567894", "FOOD", 26_000));
        shop.sale(c.card(), today, Shop.line("4901234567894", "FOOD", 1_000));
        kizuna.core().dispatcher.run();
    }

    @AfterAll
    static void stop() {
        admin.assertLedgerBalanced();
        kizuna.close();
    }

    @Test
    void theTierHeldCountsMembersWithoutATierRowInTheLowestTier() {
        assertEquals(Set.of(ai), members("{\"kind\": \"tier\", \"tiers\": [\"SILVER\"]}"));
        assertEquals(Set.of(bo, cy, di), members("{\"kind\": \"tier\", \"tiers\": [\"REGULAR\"]}"));
        assertEquals(Set.of(ai, bo, cy, di), members("{\"kind\": \"tier\", \"tiers\": [\"REGULAR\", \"SILVER\"]}"));
    }

    @Test
    void closeToUpgradeIsWithinTheShareOfTheNextThreshold() {
        assertEquals(Set.of(bo), members("{\"kind\": \"closeToUpgrade\", \"value\": true}"));
        assertEquals(Set.of(ai, cy, di), members("{\"kind\": \"closeToUpgrade\", \"value\": false}"));
    }

    @Test
    void aReturnBelowTheThresholdPutsTheMemberAtRiskOfDowngrade() {
        assertEquals(Set.of(), members("{\"kind\": \"tierAtRisk\", \"value\": true}"),
                "35,000 yen stay in the window of the next review");
        shop.returnLine(aiSale, 2, aiSale.day());
        assertEquals(Set.of(ai), members("{\"kind\": \"tierAtRisk\", \"value\": true}"),
                "25,000 yen is below Silver's 30,000: marked, and a review would move Ai down");
        assertEquals(Set.of(ai), members("{\"kind\": \"tier\", \"tiers\": [\"SILVER\"]},"
                + " {\"kind\": \"tierAtRisk\", \"value\": true}"), "still Silver until the review");
    }

    @Test
    void scoresOfTheLastRecomputeSelectMembersAsMemberScoreHoldsThem() throws SQLException {
        kizuna.core().analytics.recompute.run((stage, percent) -> { });
        Set<String> champions = scored("SELECT member_id FROM member_score WHERE rfm_segment = 'CHAMPIONS'");
        Set<String> others = scored("SELECT member_id FROM member_score WHERE rfm_segment <> 'CHAMPIONS'");
        assertEquals(Set.of(ai, bo, cy), union(champions, others), "every buyer is scored, the others not");
        assertEquals(champions, members("{\"kind\": \"rfmSegment\", \"segments\": [\"CHAMPIONS\"]}"));
        assertEquals(others, members("{\"kind\": \"rfmSegment\", \"segments\": [" + segmentNamesOtherThanChampions()
                + "]}"));
        Set<String> valuable = scored("SELECT member_id FROM member_score WHERE predicted_value >= 1000");
        assertEquals(valuable, members("{\"kind\": \"predictedValue\", \"min\": 1000}"));
        assertEquals(Set.of(ai, bo, cy), members("{\"kind\": \"probabilityAlive\", \"min\": 0, \"max\": 1}"),
                "every scored member has a probability of being alive; Di, never scored, has none");
    }

    @Test
    void malformedTierAndScoreCriteriaAreRefused() {
        for (String criterion : new String[] {"{\"kind\": \"tier\", \"tiers\": []}",
                "{\"kind\": \"tierAtRisk\"}", "{\"kind\": \"closeToUpgrade\", \"value\": \"yes\"}",
                "{\"kind\": \"rfmSegment\", \"segments\": [\"SLEEPY\"]}",
                "{\"kind\": \"probabilityAlive\", \"min\": 1.5}", "{\"kind\": \"probabilityAlive\"}",
                "{\"kind\": \"predictedValue\", \"min\": 10, \"max\": 5}"}) {
            JsonNode problem = admin.post("/api/v1/segments/preview", "{\"criteria\": [" + criterion + "]}").json();
            assertEquals(400, problem.get("status").asInt(), criterion);
            assertFalse(problem.get("code").asText().isEmpty());
        }
    }

    private static Set<String> members(String criteria) {
        String id = admin.post("/api/v1/segments", "{\"name\": \"s" + System.nanoTime() + "\", \"definition\":"
                + " {\"criteria\": [" + criteria + "]}}").expect(201).at("/id");
        Set<String> found = new TreeSet<>();
        admin.get("/api/v1/segments/" + id + "/members?limit=1000").json().get("members")
                .forEach(member -> found.add(member.get("memberId").asText()));
        long count = admin.get("/api/v1/segments/" + id + "/count").json().get("count").asLong();
        assertEquals(found.size(), count, "the count agrees with the list");
        admin.send(admin.request("/api/v1/segments/" + id).DELETE().build()).expect(204);
        assertTrue(found.stream().allMatch(member -> Set.of(ai, bo, cy, di).contains(member)));
        return found;
    }

    private static Set<String> scored(String sql) throws SQLException {
        Set<String> members = new TreeSet<>();
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                members.add(UuidConverter.fromBytes(rows.getBytes(1)).toString());
            }
        }
        return members;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new TreeSet<>(first);
        all.addAll(second);
        return all;
    }

    private static String segmentNamesOtherThanChampions() {
        return java.util.Arrays.stream(io.kizuna.analytics.RfmSegment.values())
                .filter(segment -> segment != io.kizuna.analytics.RfmSegment.CHAMPIONS)
                .map(segment -> "\"" + segment.name() + "\"").reduce((a, b) -> a + ", " + b).orElseThrow();
    }
}
