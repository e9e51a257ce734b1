package io.kizuna.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The program's tiers: the configured defaults until a marketer saves a list, which is audited and takes effect. */
class TierDefinitionsTest {
    private TierServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMarketerReplacesTheDefaultsAndTheAuditLogSaysWho() {
        server = new TierServer("tierdefinitions", Instant.parse("2026-04-10T01:00:00Z"));
        Reply defaults = server.admin.get("/api/v1/tiers").expect(200);
        assertEquals("REGULAR", defaults.at("/tiers/0/code"));
        assertEquals(30000, defaults.number("/tiers/1/threshold"));
        assertEquals("1.2", defaults.at("/tiers/1/multiplier"));
        assertEquals(4, defaults.json().at("/tiers").size());

        ApiClient marketer = TestServer.client(server.kizuna.port(), server.admin.post("/api/v1/staff/credentials",
                "{\"name\": \"tier-marketer\", \"role\": \"MARKETER\"}").expect(201).at("/key"));
        // Sent out of order: the answer is ordered by rank.
        Reply saved = marketer.send(marketer.request("/api/v1/tiers").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        {"tiers": [
                          {"code": "STAR", "name": "Star", "rank": 2, "threshold": 2000, "multiplier": 1.25,
                           "benefits": ["Coffee on us"]},
                          {"code": "REGULAR", "name": "Regular", "rank": 1, "threshold": 0, "multiplier": 1}]}"""))
                .build()).expect(200);
        assertEquals("REGULAR", saved.at("/tiers/0/code"));
        assertEquals("STAR", saved.at("/tiers/1/code"));
        assertEquals(saved.text(), server.admin.get("/api/v1/tiers").expect(200).text());

        Reply log = server.admin.get("/api/v1/audit-log?limit=1").expect(200);
        assertEquals("tiers.replace", log.at("/0/action"));
        assertTrue(log.at("/0/actor").contains("tier-marketer"), log.text());

        String[] member = server.enroll("Star Member");
        assertEquals("Star", server.sell(member[1], 2000).reply().at("/tier"), "the saved thresholds apply at once");
        Reply next = server.sell(member[1], 400).reply();
        assertEquals("tier:STAR", next.at("/points/rules/1/ruleId"));
        assertEquals(1, next.number("/points/rules/1/points"), "base 4 x 1.25 gives 1 more, rounded down");

        String[] later = server.enroll("Lowered Threshold");
        server.sell(later[1], 1500);
        server.putTiers("""
                {"tiers": [
                  {"code": "REGULAR", "name": "Regular", "rank": 1, "threshold": 0, "multiplier": 1},
                  {"code": "STAR", "name": "Star", "rank": 2, "threshold": 1000, "multiplier": 1.25}]}""")
                .expect(200);
        assertEquals("REGULAR", server.member(later[0]).at("/standing/tier/code"), "nobody moves on a save");
        assertEquals(1, server.review().number("/upgraded"), "the review finds who qualifies now");
        Reply upgraded = server.member(later[0]);
        assertEquals("STAR", upgraded.at("/standing/tier/code"));
        assertEquals("UP", upgraded.at("/history/0/direction"));
        assertTrue(upgraded.at("/history/0/reason").startsWith("review: spend 1500"), upgraded.text());
        server.assertLedgerBalanced();
    }
}
