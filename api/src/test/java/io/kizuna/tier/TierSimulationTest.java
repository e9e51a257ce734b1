package io.kizuna.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import io.kizuna.testing.ApiClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulation on a population small enough to count by hand, on a Kizuna of its own (exact global numbers),
 * and the segments "at risk of downgrade" and "close to upgrade" on the same members.
 */
class TierSimulationTest {
    /** Regular from 0; Silver from 5,000 yen (x1.2); Gold from 100,000 yen (x3). */
    private static final String PROPOSED = """
            {"tiers": [
              {"code": "REGULAR", "name": "Regular", "rank": 1, "threshold": 0, "multiplier": 1},
              {"code": "SILVER", "name": "Silver", "rank": 2, "threshold": 5000, "multiplier": 1.2},
              {"code": "GOLD", "name": "Gold", "rank": 3, "threshold": 100000, "multiplier": 3}]}""";

    private TierServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.assertLedgerBalanced();
            server.close();
        }
    }

    @Test
    void countsWhoWouldMoveAndWhatTheMultipliersWouldHaveCost() {
        server = new TierServer("tiersimulation", Instant.parse("2026-04-10T01:00:00Z"));
        TierServer kizuna = server;
        kizuna.putTiers(TierServer.TIERS).expect(200);
        // Under the tiers in force (Silver 10,000, Gold 50,000):
        String[] a = kizuna.enroll("Sim A");     // 5,000 yen: Regular, base 50
        String[] b = kizuna.enroll("Sim B");     // 12,000 yen: Silver, base 120
        String[] c = kizuna.enroll("Sim C");     // 60,000 then 1,000 yen: Gold, base 600 + 10, Gold gave 10 more
        kizuna.enroll("Sim D");                  // nothing bought: Regular
        kizuna.sell(a[1], 5000);
        kizuna.sell(b[1], 12000);
        kizuna.sell(c[1], 60000);
        kizuna.at("2026-05-02T12:00:00");
        assertEquals(10, kizuna.sell(c[1], 1000).reply().json().at("/points/rules/1/points").asLong());

        Reply simulation = kizuna.admin.post("/api/v1/tiers/simulations", PROPOSED).expect(200);
        // Proposed: A 5,000 -> Silver (up), B 12,000 -> Silver (stays), C 61,000 -> Silver (down), D Regular.
        assertEquals(4, simulation.number("/members"));
        assertEquals(1, simulation.number("/movingUp"));
        assertEquals(1, simulation.number("/movingDown"));
        assertEquals("REGULAR", simulation.at("/tiers/0/code"));
        assertEquals(1, simulation.number("/tiers/0/members"));
        assertEquals(0, simulation.number("/tiers/0/extraPoints"));
        assertEquals("SILVER", simulation.at("/tiers/1/code"));
        assertEquals(3, simulation.number("/tiers/1/members"));
        assertEquals(1, simulation.number("/tiers/1/movingUp"));
        assertEquals(1, simulation.number("/tiers/1/movingDown"));
        // x1.2 on 12 months of base points: A 50 -> 10, B 120 -> 24, C 610 -> 122.
        assertEquals(156, simulation.number("/tiers/1/extraPoints"));
        assertEquals(0, simulation.number("/tiers/2/members"));
        assertEquals(156, simulation.number("/extraPoints"));
        assertEquals(10, simulation.number("/currentExtraPoints"), "what Gold's x2 really gave C");

        assertEquals(50000, kizuna.admin.get("/api/v1/tiers").expect(200).number("/tiers/2/threshold"),
                "a simulation changes nothing");
        assertEquals("GOLD", kizuna.member(c[0]).at("/standing/tier/code"));
    }

    @Test
    void atRiskAndCloseToUpgradeAreSegmentsOfMembers() {
        server = new TierServer("tiersegments", Instant.parse("2026-04-10T01:00:00Z"));
        TierServer kizuna = server;
        kizuna.putTiers(TierServer.TIERS).expect(200);
        String[] close = kizuna.enroll("Seg Close");   // 9,000 yen: 1,000 short of Silver's 10,000 (within 20%)
        String[] far = kizuna.enroll("Seg Far");       // 2,000 yen: far from Silver
        String[] risk = kizuna.enroll("Seg Risk");     // Silver, then the sale comes back
        kizuna.sell(close[1], 9000);
        kizuna.sell(far[1], 2000);
        TierServer.Sale sale = kizuna.sell(risk[1], 10000);
        kizuna.returnLine(sale, 1);

        Reply atRisk = kizuna.admin.get("/api/v1/tiers/segments/at-risk").expect(200);
        assertEquals(1, atRisk.json().at("/members").size());
        assertEquals(risk[0], atRisk.at("/members/0/memberId"));
        Reply upgrade = kizuna.admin.get("/api/v1/tiers/segments/close-to-upgrade").expect(200);
        assertEquals(1, upgrade.json().at("/members").size(), upgrade.text());
        assertEquals(close[0], upgrade.at("/members/0/memberId"));
        assertEquals(1000, upgrade.number("/members/0/neededForNext"));
        kizuna.admin.get("/api/v1/tiers/segments/nobody").problem(404, "not_found");
    }
}
