package io.kizuna.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.pos.edge.Edge;
import io.kizuna.pos.edge.EdgeConfig;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-store edge in front of a central server that goes away in the middle of the day and comes back. */
class EdgeTest {
    private static final int SALES = 500;

    @TempDir
    Path edgeFolder;

    @Test
    void everySaleLandsExactlyOnceWhenTheCentreIsStoppedMidStreamAndStartedAgain() throws Exception {
        try (CentralServer central = new CentralServer().start()) {
            ApiClient admin = central.admin();
            String store = "EDGE" + Long.toString(System.nanoTime(), 36);
            admin.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Edge store\"}").expect(201);
            String key = admin.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"01\"}")
                    .expect(201).at("/key");
            String member = admin.enroll("Edge Shopper");
            String card = admin.get("/api/v1/members/" + member).at("/cards/0/number");

            try (Edge edge = startEdge(central.port())) {
                ApiClient till = TestServer.client(edge.port(), key);
                int offline = 0;
                for (int sale = 1; sale <= SALES; sale++) {
                    if (sale == 151) {
                        central.stop();
                    }
                    if (sale == 351) {
                        central.start();
                    }
                    Reply reply = till.post("/pos/v1/sales", sale(card, sale), null).expect(201);
                    offline += "OFFLINE".equals(reply.at("/processing")) ? 1 : 0;
                }
                assertTrue(offline >= 200, "the centre was away for 200 sales: " + offline + " accepted offline");
                awaitEmptyJournal(edge);
                assertEquals(SALES, central.receipts(store), "every sale landed exactly once");
                // 1,000 yen a sale earns 10 base points, and the default tiers multiply them from the sale after
                // the one that crosses each threshold, so the sum also proves the replay kept the sales' order:
                // sales 1-30 Regular (10), 31-100 Silver x1.2 (12), 101-300 Gold x1.5 (15), 301-500 Platinum x2 (20).
                assertEquals(30 * 10 + 70 * 12 + 200 * 15 + 200 * 20, central.admin()
                        .get("/api/v1/members/" + member + "/balance").number("/available"));
                Reply audit = central.admin().get("/api/v1/ledger/audit").expect(200);
                assertEquals("true", audit.at("/balanced"), audit.text());
            }
        }
    }

    @Test
    void theAppsRotatingCodeIdentifiesAtTheEdgeByAskingTheCentre() {
        try (CentralServer central = new CentralServer().start()) {
            ApiClient admin = central.admin();
            String store = "EDGA" + Long.toString(System.nanoTime(), 36);
            admin.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Edge store\"}").expect(201);
            String key = admin.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"01\"}")
                    .expect(201).at("/key");
            Reply tokens = TestServer.client(central.port(), null).post("/app/v1/accounts",
                    "{\"email\": \"edge" + System.nanoTime() + "@example.jp\", \"password\": \"edge app secret\"}")
                    .expect(201);
            ApiClient app = TestServer.client(central.port(), tokens.at("/accessToken"));
            String card = app.get("/app/v1/card").expect(200).at("/number");
            String code = app.get("/app/v1/card/code").expect(200).at("/code");

            try (Edge edge = startEdge(central.port())) {
                ApiClient till = TestServer.client(edge.port(), key);
                assertEquals(card, till.post("/pos/v1/identify", "{\"scan\": \"]Q1" + code + "\"}", null)
                        .expect(200).at("/card"));
                String forged = code.substring(0, 14) + "0000000000";
                till.post("/pos/v1/identify", "{\"scan\": \"" + forged + "\"}", null)
                        .problem(400, "card_code_invalid");
            }
        }
    }

    private Edge startEdge(int centralPort) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "kizuna.edge.central-url", "http://127.0.0.1:" + centralPort + "/",
                        "kizuna.edge.dir", edgeFolder.toString(),
                        "kizuna.edge.call-timeout", "PT1S",
                        "kizuna.edge.retry-attempts", "2",
                        "kizuna.edge.retry-backoff", "PT0.02S",
                        "kizuna.edge.breaker-open-for", "PT0.3S",
                        "kizuna.edge.replay-interval", "PT0.1S")))
                .build();
        return Edge.start(config, EdgeConfig.from(config.get("kizuna.edge")), Clock.systemUTC());
    }

    private static void awaitEmptyJournal(Edge edge) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (edge.status().queueDepth() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the journal did not drain: " + edge.status());
            }
            Thread.sleep(100);
        }
    }

    private static String sale(String card, int number) {
        return "{\"businessDay\": \"2026-04-07\", \"receiptNumber\": \"E" + number + "\", \"card\": \"" + card
                + "\", \"currency\": \"JPY\", \"lines\": [{\"lineNumber\": 1, \"sku\": \"4901234567894\", "
                + "\"quantity\": 1, \"unitPrice\": 1000, \"amount\": 1000, \"discount\": 0}]}";
    }
}
