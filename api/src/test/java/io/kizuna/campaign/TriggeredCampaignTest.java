package io.kizuna.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

import io.kizuna.Kizuna;
import io.kizuna.db.UuidConverter;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A triggered win-back campaign: its audience is a segment of members with no visit for 30 days, which the
 * schedule re-evaluates; a member who qualifies is recorded once, when they first qualify, and the offer pays once
 * (a cap of its bonus). Members who never qualify are never recorded.
 */
class TriggeredCampaignTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    @Test
    void aWinBackFiresOncePerMemberAndOnlyForThoseWhoQualify() throws SQLException {
        try (Kizuna kizuna = TestServer.startOwn("winback" + System.nanoTime())) {
            ApiClient admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
            Shop shop = Shop.open(admin);
            Shop.Member lapsed = Shop.enroll(admin, "\"profile\": {\"name\": \"Lapsed\"}");
            Shop.Member regular = Shop.enroll(admin, "\"profile\": {\"name\": \"Regular\"}");
            Shop.Member neverBought = Shop.enroll(admin, "\"profile\": {\"name\": \"Never\"}");
            buy(shop, lapsed);
            TestServer.CLOCK.advance(Duration.ofDays(35));
            buy(shop, regular);
            kizuna.core().dispatcher.run();

            String quiet = admin.post("/api/v1/segments", "{\"name\": \"No visit for 30 days\", \"definition\":"
                    + " {\"criteria\": [{\"kind\": \"daysSinceLastPurchase\", \"minDays\": 30}]}}").expect(201).at("/id");
            Instant firedAt = TestServer.CLOCK.instant();
            String campaign = admin.post("/api/v1/campaigns", "{\"code\": \"WINBACK\", \"name\": \"We miss you\","
                    + " \"audience\": [\"" + quiet + "\"], \"startsAt\": \"" + firedAt.minus(Duration.ofHours(1))
                    + "\", \"endsAt\": \"" + firedAt.plus(Duration.ofDays(90)) + "\", \"reward\": {\"kind\":"
                    + " \"fixedBonus\", \"points\": 100}, \"requiresEntry\": false, \"budget\": 10000,"
                    + " \"memberCap\": 100, \"priority\": 1, \"holdout\": 0}").expect(201).at("/id");
            admin.post("/api/v1/campaigns/" + campaign + "/transitions", "{\"to\": \"SCHEDULED\"}").expect(200);
            admin.post("/api/v1/campaigns/" + campaign + "/transitions", "{\"to\": \"ACTIVE\"}").expect(200);
            assertEquals(Map.of(lapsed.id(), firedAt), recorded(kizuna, campaign),
                    "35 days without a visit: the lapsed member fires; the regular and the non-buyer do not");

            assertEquals(100, rulePoints(buy(shop, lapsed), "campaign:WINBACK"), "the offer pays on coming back");
            assertEquals(0, rulePoints(buy(shop, lapsed), "campaign:WINBACK"), "and only once");
            assertEquals(0, rulePoints(buy(shop, regular), "campaign:WINBACK"), "never for one who did not qualify");
            kizuna.core().dispatcher.run();

            TestServer.CLOCK.advance(Duration.ofDays(31));
            Instant secondRun = TestServer.CLOCK.instant();
            kizuna.core().campaigns.runSchedule();
            assertEquals(Map.of(lapsed.id(), firedAt, regular.id(), secondRun), recorded(kizuna, campaign),
                    "31 quiet days later both qualify: the regular fires now, the lapsed member's record stays as"
                            + " it was (fired once), and the member who never bought is never recorded");
            kizuna.core().campaigns.runSchedule();
            assertEquals(2, recorded(kizuna, campaign).size(), "running the schedule again records nobody twice");
            assertEquals(0, recorded(kizuna, campaign).keySet().stream()
                    .filter(neverBought.id()::equals).count());
            admin.assertLedgerBalanced();
        }
    }

    private static Reply buy(Shop shop, Shop.Member member) {
        LocalDate today = TestServer.CLOCK.instant().atZone(ZONE).toLocalDate();
        return shop.sale(member.card(), today, Shop.line("4901234567894", "FOOD", 1_000)).reply();
    }

    private static long rulePoints(Reply sale, String ruleId) {
        for (var rule : sale.json().at("/points/rules")) {
            if (rule.get("ruleId").asText().equals(ruleId)) {
                return rule.get("points").asLong();
            }
        }
        return 0;
    }

    /** Who the campaign recorded, and when each first qualified. */
    private static Map<String, Instant> recorded(Kizuna kizuna, String campaign) throws SQLException {
        Map<String, Instant> members = new TreeMap<>();
        try (Connection connection = kizuna.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT member_id, assigned_at FROM campaign_member WHERE campaign_id = ?")) {
            select.setBytes(1, UuidConverter.toBytes(java.util.UUID.fromString(campaign)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.put(UuidConverter.fromBytes(rows.getBytes(1)).toString(),
                            rows.getObject(2, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC));
                }
            }
        }
        return members;
    }
}
