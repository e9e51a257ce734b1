package io.kizuna.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.db.UuidConverter;
import io.kizuna.testing.ApiClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tier scenarios over real HTTP on a Kizuna of their own, the clock moved and never slept for: upgrade inside the
 * sale that crosses the threshold, no downgrade before a review, one tier down per review after the grace period,
 * a return that drops a member below the threshold; each with the member's whole tier history asserted.
 */
class TierScenarioTest {
    private TierServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.assertLedgerBalanced();
            server.close();
        }
    }

    private TierServer start(String purpose) {
        server = new TierServer(purpose, Instant.parse("2026-04-10T01:00:00Z"));
        server.putTiers(TierServer.TIERS).expect(200);
        return server;
    }

    @Test
    void theSaleThatCrossesTheThresholdUpgradesInsideItsTransactionAndTheNextSaleEarnsTheMultiplier() {
        TierServer kizuna = start("tierupgrade");
        String[] member = kizuna.enroll("Upgrade Member");

        Reply first = kizuna.sell(member[1], 6000).reply();
        assertEquals("Regular", first.at("/tier"));
        assertEquals(1, first.json().at("/points/rules").size(), "Regular multiplies nothing: no tier rule");
        assertEquals(0, history(member[0]).size());

        Reply crossing = kizuna.sell(member[1], 5000).reply();
        assertEquals("Silver", crossing.at("/tier"), "11,000 yen crosses Silver's 10,000 inside this sale");
        assertEquals(50, crossing.number("/points/earned"), "the crossing sale earns at the tier held before it");
        List<JsonNode> history = history(member[0]);
        assertEquals(1, history.size());
        assertChange(history.get(0), "REGULAR", "SILVER", "UP", 11000);
        assertTrue(history.get(0).at("/reason").asText().startsWith("sale T1/01/"), history.get(0).toString());
        assertEquals(List.of("REGULAR>SILVER"), tierEvents(member[0]), "the change is in the outbox");

        Reply next = kizuna.sell(member[1], 1000).reply();
        assertEquals("Silver", next.at("/tier"));
        assertEquals("base", next.at("/points/rules/0/ruleId"));
        assertEquals(10, next.number("/points/rules/0/points"));
        assertEquals("tier:SILVER", next.at("/points/rules/1/ruleId"));
        assertEquals(5, next.number("/points/rules/1/points"), "base 10 x 1.5 gives 5 more");
        assertEquals(15, next.number("/points/earned"));

        Reply standing = kizuna.member(member[0]).expect(200);
        assertEquals("SILVER", standing.at("/standing/tier/code"));
        assertEquals(12000, standing.number("/standing/qualification"));
        assertEquals("GOLD", standing.at("/standing/next/code"));
        assertEquals(38000, standing.number("/standing/neededForNext"));
        assertFalse(standing.json().at("/standing/atRisk").asBoolean());
        assertEquals("Silver", kizuna.till.post("/pos/v1/identify", "{\"scan\": \"" + member[1] + "\"}", null)
                .expect(200).at("/member/tier"), "the till sees the tier when it scans the card");
    }

    @Test
    void aMemberBelowTheThresholdKeepsTheTierUntilAReviewAfterGraceThenFallsOneTierPerReview() {
        TierServer kizuna = start("tierdowngrade");
        String[] member = kizuna.enroll("Downgrade Member");
        TierServer.Sale big = kizuna.sell(member[1], 50000);
        assertEquals("Gold", big.reply().at("/tier"), "50,000 yen goes straight to Gold");

        kizuna.at("2026-04-11T12:00:00");
        kizuna.returnLine(big, 1);
        Reply atRisk = kizuna.member(member[0]);
        assertEquals("GOLD", atRisk.at("/standing/tier/code"), "a return never moves anyone down by itself");
        assertEquals(0, atRisk.number("/standing/qualification"));
        assertTrue(atRisk.json().at("/standing/atRisk").asBoolean());
        assertEquals("2026-04-11T03:00:00Z", atRisk.at("/standing/belowSince"));
        assertEquals(Instant.parse("2026-05-31T15:00:00Z"), Instant.parse(atRisk.at("/standing/downgradeNotBefore")),
                "the first review after a month of grace: 1 June, Tokyo midnight");

        kizuna.at("2026-05-01T09:00:00");
        Reply early = kizuna.review();
        assertEquals(0, early.number("/downgraded"), "the May review is inside the grace period");
        assertEquals("GOLD", kizuna.member(member[0]).at("/standing/tier/code"));

        kizuna.at("2026-05-20T10:00:00");
        Reply graceOver = kizuna.sell(member[1], 100).reply();
        assertEquals("Gold", graceOver.at("/tier"), "grace is over, but only a review moves a member down");
        assertEquals("tier:GOLD", graceOver.at("/points/rules/1/ruleId"));
        assertEquals(1, graceOver.number("/points/rules/1/points"), "base 1 x 2");

        kizuna.at("2026-06-01T09:00:00");
        assertEquals(1, kizuna.review().number("/downgraded"));
        assertEquals("SILVER", kizuna.member(member[0]).at("/standing/tier/code"),
                "one tier down, although the member qualifies only for Regular");

        kizuna.at("2026-07-01T09:00:00");
        assertEquals(1, kizuna.review().number("/downgraded"));
        Reply last = kizuna.member(member[0]);
        assertEquals("REGULAR", last.at("/standing/tier/code"));
        assertFalse(last.json().at("/standing/atRisk").asBoolean());

        List<JsonNode> history = history(member[0]);
        assertEquals(3, history.size(), history.toString());
        assertChange(history.get(0), "REGULAR", "GOLD", "UP", 50000);
        assertChange(history.get(1), "GOLD", "SILVER", "DOWN", 100);
        assertChange(history.get(2), "SILVER", "REGULAR", "DOWN", 100);
        assertTrue(history.get(1).at("/reason").asText().startsWith("review: "));
        assertTrue(history.get(1).at("/reason").asText().contains("grace period P1M over"));
        assertEquals(List.of("REGULAR>GOLD", "GOLD>SILVER", "SILVER>REGULAR"), tierEvents(member[0]));

        kizuna.at("2026-08-01T09:00:00");
        assertEquals(0, kizuna.review().number("/downgraded"), "nothing below the lowest tier");
        assertEquals(3, history(member[0]).size());
    }

    @Test
    void aReturnThatDropsQualificationBelowTheThresholdStartsTheGraceAndABuyBackEndsIt() {
        TierServer kizuna = start("tierreturn");
        String[] member = kizuna.enroll("Return Member");
        String[] other = kizuna.enroll("Returns Again");
        TierServer.Sale sale = kizuna.sell(member[1], 6000, 5000);
        assertEquals("Silver", sale.reply().at("/tier"));
        TierServer.Sale otherSale = kizuna.sell(other[1], 7000, 4000);

        kizuna.at("2026-04-15T12:00:00");
        kizuna.returnLine(sale, 2);
        kizuna.returnLine(otherSale, 2);
        Reply below = kizuna.member(member[0]);
        assertEquals("SILVER", below.at("/standing/tier/code"));
        assertEquals(6000, below.number("/standing/qualification"), "the return took its 5,000 yen back");
        assertTrue(below.json().at("/standing/atRisk").asBoolean());
        assertEquals(4000, below.number("/standing/neededToKeep"));

        kizuna.at("2026-04-20T12:00:00");
        kizuna.sell(member[1], 4000);
        Reply back = kizuna.member(member[0]);
        assertEquals(10000, back.number("/standing/qualification"));
        assertFalse(back.json().at("/standing/atRisk").asBoolean(), "back at the threshold: the grace is over");
        assertTrue(back.json().at("/standing/belowSince").isMissingNode(), back.text());

        kizuna.at("2026-06-01T09:00:00");
        Reply review = kizuna.review();
        assertEquals(2, review.number("/reviewed"));
        assertEquals(1, review.number("/downgraded"), "only the member who did not buy back falls");
        assertEquals("SILVER", kizuna.member(member[0]).at("/standing/tier/code"));
        assertEquals("REGULAR", kizuna.member(other[0]).at("/standing/tier/code"));
        List<JsonNode> history = history(member[0]);
        assertEquals(1, history.size());
        assertChange(history.get(0), "REGULAR", "SILVER", "UP", 11000);
        List<JsonNode> otherHistory = history(other[0]);
        assertEquals(2, otherHistory.size());
        assertChange(otherHistory.get(0), "REGULAR", "SILVER", "UP", 11000);
        assertChange(otherHistory.get(1), "SILVER", "REGULAR", "DOWN", 7000);
    }

    @Test
    void aSecondReviewAtTheSameMomentMovesNobodyTwice() {
        TierServer kizuna = start("tiertwice");
        String[] member = kizuna.enroll("Twice Member");
        TierServer.Sale big = kizuna.sell(member[1], 60000);
        kizuna.returnLine(big, 1);
        kizuna.at("2026-07-01T09:00:00");
        assertEquals(1, kizuna.review().number("/downgraded"));
        assertEquals(0, kizuna.review().number("/downgraded"), "the same review instant is the same review");
        assertEquals("SILVER", kizuna.member(member[0]).at("/standing/tier/code"));
    }

    @Test
    void theLeasedJobReviewsOncePerReviewDate() {
        TierServer kizuna = start("tierschedule");
        TierReview review = kizuna.kizuna.core().tierReview;
        assertTrue(review.runIfDue() instanceof TierReview.Run, "no review yet: the April one is due");
        assertEquals("not due until 2026-04-30T15:00:00Z", review.runIfDue());
        kizuna.at("2026-05-01T00:30:00");
        TierReview.Run may = (TierReview.Run) review.runIfDue();
        assertEquals("SCHEDULE", may.trigger());
        assertEquals("not due until 2026-05-31T15:00:00Z", review.runIfDue());
    }

    @Test
    void monthsLeavingTheWindowPutAMemberAtRiskAndTheReviewsAfterGraceMoveThemDown() {
        TierServer kizuna = start("tierwindow");
        String[] member = kizuna.enroll("Window Member");
        kizuna.sell(member[1], 55000);
        kizuna.at("2026-06-15T12:00:00");
        kizuna.sell(member[1], 8000);

        kizuna.at("2027-03-10T12:00:00");
        Reply soon = kizuna.member(member[0]);
        assertEquals(63000, soon.number("/standing/qualification"), "April 2026 to March 2027");
        assertEquals("GOLD", soon.at("/standing/tier/code"));
        assertEquals(42000, soon.number("/standing/neededToKeep"), "April 2026 leaves the window on 1 April");
        assertEquals(Instant.parse("2027-03-31T15:00:00Z"), Instant.parse(soon.at("/standing/keepBy")));
        assertTrue(soon.json().at("/standing/atRisk").asBoolean());

        kizuna.at("2027-04-01T09:00:00");
        assertEquals(0, kizuna.review().number("/downgraded"), "marked below Gold now; the grace starts");
        assertEquals("2027-04-01T00:00:00Z", kizuna.member(member[0]).at("/standing/belowSince"));
        kizuna.at("2027-05-01T00:05:00");
        assertEquals(1, kizuna.review().number("/downgraded"), "a month of grace, counted in days");
        List<JsonNode> history = history(member[0]);
        assertEquals(2, history.size());
        assertChange(history.get(0), "REGULAR", "GOLD", "UP", 55000);
        assertChange(history.get(1), "GOLD", "SILVER", "DOWN", 8000);
        assertEquals("SILVER", kizuna.member(member[0]).at("/standing/tier/code"),
                "8,000 yen is below Silver too, but one tier a review");
    }

    @Test
    void visitsCanBeTheMetricAndAVoidTakesItsVisitBack() {
        server = new TierServer("tiervisits", Instant.parse("2026-04-10T01:00:00Z"),
                java.util.Map.of("kizuna.tiers.metric", "VISITS"));
        TierServer kizuna = server;
        kizuna.putTiers("""
                {"tiers": [{"code": "REGULAR", "name": "Regular", "rank": 1, "threshold": 0, "multiplier": 1},
                           {"code": "FREQUENT", "name": "Frequent", "rank": 2, "threshold": 3, "multiplier": 2}]}""")
                .expect(200);
        String[] member = kizuna.enroll("Visiting Member");
        kizuna.sell(member[1], 100);
        TierServer.Sale second = kizuna.sell(member[1], 100);
        assertEquals("Frequent", kizuna.sell(member[1], 100).reply().at("/tier"), "the third visit");
        kizuna.voidSale(second);
        Reply voided = kizuna.member(member[0]);
        assertEquals("VISITS", voided.at("/standing/metric"));
        assertEquals(2, voided.number("/standing/qualification"));
        assertTrue(voided.json().at("/standing/atRisk").asBoolean());
        assertEquals(1, history(member[0]).size());
    }

    private List<JsonNode> history(String memberId) {
        JsonNode items = server.member(memberId).json().at("/history");
        List<JsonNode> history = new ArrayList<>();
        items.forEach(history::add);
        return history;
    }

    private static void assertChange(JsonNode change, String from, String to, String direction, long qualification) {
        assertEquals(from, change.at("/from").asText(), change.toString());
        assertEquals(to, change.at("/to").asText(), change.toString());
        assertEquals(direction, change.at("/direction").asText(), change.toString());
        assertEquals(qualification, change.at("/qualification").asLong(), change.toString());
        assertFalse(change.at("/reason").asText().isBlank());
    }

    /** The member's member.tier-changed events in the outbox, in order, as "FROM>TO". */
    private List<String> tierEvents(String memberId) {
        List<String> events = new ArrayList<>();
        try (Connection connection = server.kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT payload FROM outbox_event"
                     + " WHERE type = 'member.tier-changed' AND member_id = ? ORDER BY id")) {
            select.setBytes(1, UuidConverter.toBytes(java.util.UUID.fromString(memberId)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rows.getString(1));
                    events.add(payload.at("/fromTier").asText() + ">" + payload.at("/toTier").asText());
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }
}
