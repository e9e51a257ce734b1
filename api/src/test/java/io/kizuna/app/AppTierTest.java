package io.kizuna.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kizuna.app.AppClients.AppMember;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The app's tier with the configured default tiers (Regular; Silver from 30,000 yen at x1.2; Gold from 100,000):
 * how much more reaches the next tier, how much by when keeps this one, and the tier rule's points in the history.
 */
class AppTierTest {
    @Test
    void theAppShowsTheTierItsProgressAndTheTierRulesPoints() {
        AppMember member = AppClients.signUp("Tier Progress");
        Reply regular = member.get("/app/v1/tier").expect(200);
        assertEquals("Regular", regular.at("/current/name"));
        assertEquals("Silver", regular.at("/next/name"));
        assertEquals(30000, regular.number("/progress/needed"));
        assertEquals("SPEND", regular.at("/progress/metric"));
        assertTrue(regular.json().at("/keep").isMissingNode(), "nothing to keep in the lowest tier");

        String card = TestServer.admin().get("/api/v1/members/" + member.id()).expect(200).at("/cards/0/number");
        AppTill till = AppTill.open();
        till.sell(card, 30000);
        String receipt = till.sell(card, 1000);

        Reply silver = member.get("/app/v1/tier").expect(200);
        assertEquals("Silver", silver.at("/current/name"));
        assertEquals("Points x1.2 (tier:SILVER)", silver.at("/current/benefits/0"));
        assertEquals("Gold", silver.at("/next/name"));
        assertEquals(69000, silver.number("/progress/needed"), "100,000 - 31,000 yen");
        assertEquals(0, silver.number("/keep/needed"), "the window still holds 31,000 yen at the next review");
        assertTrue(!silver.at("/keep/by").isEmpty());

        Reply history = member.get("/app/v1/points/history").expect(200);
        assertEquals(receipt, history.at("/items/0/where/receiptNumber"));
        assertEquals(12, history.number("/items/0/points"));
        assertEquals("base", history.at("/items/0/rules/0/ruleId"));
        assertEquals(10, history.number("/items/0/rules/0/points"));
        assertEquals("tier:SILVER", history.at("/items/0/rules/1/ruleId"));
        assertEquals(2, history.number("/items/0/rules/1/points"), "base 10 x 1.2 gives 2 more");
        TestServer.admin().assertLedgerBalanced();
    }
}
