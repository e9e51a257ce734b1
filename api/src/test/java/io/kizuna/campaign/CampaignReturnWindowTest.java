package io.kizuna.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestDatabases;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Campaign points under a return window: they wait pending like the earn, the budget counts them as spent at once,
 * a return inside the window shrinks the pending award and gives the budget back, and after the window they post
 * and a return reverses them to the campaign's account.
 */
class CampaignReturnWindowTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private static Kizuna kizuna;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1",
                                "kizuna.security.bootstrap-admin-key", TestServer.ADMIN_KEY,
                                "kizuna.ledger.expiry-interval", "PT1H",
                                "kizuna.feed.dispatch-interval", "PT1H",
                                "kizuna.earning.return-window", "P7D")),
                        ConfigSources.classpath("application.yaml"))
                .build();
        kizuna = Kizuna.start(config, TestDatabases.open("campaignwindow" + System.nanoTime()), TestServer.CLOCK);
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        kizuna.close();
    }

    @Test
    void pendingCampaignPointsComeBackToTheBudgetBeforeAndAfterTheyPost() {
        Shop shop = Shop.open(admin);
        String everyone = admin.post("/api/v1/segments", "{\"name\": \"Everyone\", \"definition\": {\"criteria\":"
                + " [{\"kind\": \"status\", \"statuses\": [\"ACTIVE\"]}]}}").expect(201).at("/id");
        Shop.Member member = Shop.enroll(admin, "\"profile\": {\"name\": \"W\"}");
        Instant now = TestServer.CLOCK.instant();
        String id = admin.post("/api/v1/campaigns", "{\"code\": \"WINDOW\", \"name\": \"Triple\", \"audience\": [\""
                + everyone + "\"], \"startsAt\": \"" + now.minusSeconds(60) + "\", \"endsAt\": \""
                + now.plus(Duration.ofDays(60)) + "\", \"reward\": {\"kind\": \"multiplier\", \"multiplier\": 3},"
                + " \"budget\": 1000, \"priority\": 1, \"holdout\": 0}").expect(201).at("/id");
        transition(id, "SCHEDULED");
        transition(id, "ACTIVE");

        LocalDate day = now.atZone(ZONE).toLocalDate();
        Shop.Sale sale = shop.sale(member.card(), day, Shop.line("A", "FOOD", 1000), Shop.line("B", "FOOD", 1000));
        assertEquals(60, sale.reply().number("/points/earned"));
        assertTrue(sale.reply().json().at("/points/pending").asBoolean());
        assertEquals(60, sale.reply().number("/balance/pending"));
        assertEquals(960, budgetLeft(id), "a pending award holds its points out of the budget");

        Reply first = shop.returnLine(sale, 1, day);
        assertEquals(30, first.number("/pointsReversed"));
        assertEquals(30, first.number("/balance/pending"));
        assertEquals(980, budgetLeft(id));
        assertBalanced();

        TestServer.CLOCK.advance(Duration.ofDays(8));
        kizuna.core().points.runExpiry();
        assertEquals(980, budgetLeft(id));
        assertBalanced();

        Reply second = shop.returnLine(sale, 2, day);
        assertEquals(30, second.number("/pointsReversed"));
        assertEquals(0, second.number("/balance/available"));
        assertEquals(1000, budgetLeft(id), "every campaign point came back");
        assertEquals(0, admin.get("/api/v1/campaigns/" + id).number("/treatment/pointsAwarded"));
        assertBalanced();
        assertEquals(0, transition(id, "ENDED").number("/budgetLeft"));
        assertBalanced();
    }

    private static Reply transition(String id, String to) {
        return admin.post("/api/v1/campaigns/" + id + "/transitions", "{\"to\": \"" + to + "\"}").expect(200);
    }

    private static long budgetLeft(String id) {
        return admin.get("/api/v1/campaigns/" + id).number("/budgetLeft");
    }

    private static void assertBalanced() {
        Reply audit = admin.get("/api/v1/ledger/audit").expect(200);
        assertTrue(audit.json().at("/balanced").asBoolean(), () -> "audit: " + audit.text());
        assertEquals(0, audit.number("/sumOfAllBalances"));
    }
}
