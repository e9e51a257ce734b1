package io.kizuna.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** /api/v1/webhooks over real HTTP: the subscription lifecycle, its audit trail, and bad input changing nothing. */
class WebhookApiTest {
    private static final String HOOK = "https://receiver.example/hooks";
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static String existing;

    @BeforeAll
    static void startKizuna() {
        kizuna = WebhookTest.start("webhookapi" + System.nanoTime());
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        String member = admin.enroll("Api Person");
        admin.post("/api/v1/members/" + member + "/adjustments", "{\"points\": 5, \"reason\": \"seed\"}").expect(201);
        kizuna.core().dispatcher.run();
        existing = admin.post("/api/v1/webhooks", "{\"url\": \"" + HOOK + "\"}").expect(201).at("/subscription/id");
    }

    @AfterAll
    static void stopKizuna() {
        kizuna.close();
    }

    @Test
    void aSubscriptionIsCreatedWithASecretShownOnceListedReadAndDeletedAndEveryChangeIsAudited() {
        Reply created = admin.post("/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:9/in\", \"eventTypes\": [\"purchase.recorded\", \"points.moved\"]}")
                .expect(201);
        String id = created.at("/subscription/id");
        assertTrue(created.at("/secret").matches("whsec_[A-Za-z0-9_-]{43}"), created.text());
        assertEquals("http://127.0.0.1:9/in", created.at("/subscription/url"));
        assertEquals("points.moved", created.at("/subscription/eventTypes/1"));
        assertEquals(3, created.number("/subscription/delivery/position"), "it starts at the end of the feed");
        assertEquals(0, created.number("/subscription/delivery/lag"));

        Reply one = admin.get("/api/v1/webhooks/" + id).expect(200);
        assertEquals(id, one.at("/id"));
        assertEquals(0, one.number("/delivery/consecutiveFailures"));
        Reply all = admin.get("/api/v1/webhooks").expect(200);
        assertTrue(all.json().findValuesAsText("id").containsAll(List.of(id, existing)));
        assertFalse(one.text().contains("whsec_") || all.text().contains("whsec_"), "the secret is never shown again");

        Reply everything = admin.post("/api/v1/webhooks", "{\"url\": \"" + HOOK + "\", \"from\": 0}").expect(201);
        assertEquals(0, everything.number("/subscription/delivery/position"));
        assertEquals(3, everything.number("/subscription/delivery/lag"), "from 0: the whole feed is ahead of it");
        assertTrue(everything.json().at("/subscription/eventTypes").isEmpty(), "no types named: all of them");

        admin.send(admin.request("/api/v1/webhooks/" + id).DELETE().build()).expect(204);
        admin.get("/api/v1/webhooks/" + id).problem(404, "not_found");
        admin.send(admin.request("/api/v1/webhooks/" + id).DELETE().build()).problem(404, "not_found");

        JsonNode audit = admin.get("/api/v1/audit-log?limit=20").expect(200).json();
        List<String> actions = audit.findValuesAsText("action");
        List<String> targets = audit.findValuesAsText("target");
        assertTrue(actions.contains("webhook.create") && actions.contains("webhook.delete"), actions::toString);
        assertTrue(targets.contains(id));
        assertFalse(audit.toString().contains("whsec_"), "the audit log holds no secret");
    }

    @Test
    void onlyAdminsManageWebhooks() {
        String marketer = admin.post("/api/v1/staff/credentials", "{\"name\": \"hooks-m\", \"role\": \"MARKETER\"}")
                .expect(201).at("/key");
        ApiClient asMarketer = TestServer.client(kizuna.port(), marketer);
        asMarketer.get("/api/v1/webhooks").problem(403, "forbidden");
        asMarketer.post("/api/v1/webhooks", "{\"url\": \"" + HOOK + "\"}").problem(403, "forbidden");
    }

    static Stream<Arguments> badRequests() {
        String create = "/api/v1/webhooks";
        String unknown = "/api/v1/webhooks/" + UUID.randomUUID();
        return Stream.of(
                bad("ftp URL", 400, "invalid_request", api -> api.post(create, "{\"url\": \"ftp://x.example/in\"}")),
                bad("not a URL", 400, "invalid_request", api -> api.post(create, "{\"url\": \"not a url\"}")),
                bad("relative URL", 400, "invalid_request", api -> api.post(create, "{\"url\": \"/hooks\"}")),
                bad("URL with a password", 400, "invalid_request",
                        api -> api.post(create, "{\"url\": \"https://user:pw@x.example/in\"}")),
                bad("no URL", 400, "invalid_request", api -> api.post(create, "{\"eventTypes\": []}")),
                bad("unknown event type", 400, "invalid_request",
                        api -> api.post(create, "{\"url\": \"" + HOOK + "\", \"eventTypes\": [\"purchase.made\"]}")),
                bad("event types not a list", 400, "malformed_json",
                        api -> api.post(create, "{\"url\": \"" + HOOK + "\", \"eventTypes\": \"points.moved\"}")),
                bad("negative from", 400, "invalid_request",
                        api -> api.post(create, "{\"url\": \"" + HOOK + "\", \"from\": -1}")),
                bad("from past the end", 400, "invalid_request",
                        api -> api.post(create, "{\"url\": \"" + HOOK + "\", \"from\": 999999}")),
                bad("a secret of one's own", 400, "malformed_json",
                        api -> api.post(create, "{\"url\": \"" + HOOK + "\", \"secret\": \"mine\"}")),
                bad("malformed JSON", 400, "malformed_json", api -> api.post(create, "{\"url\": ")),
                bad("empty body", 400, "malformed_json", api -> api.post(create, "")),
                bad("unknown subscription", 404, "not_found", api -> api.get(unknown)),
                bad("subscription id that is not an id", 404, "not_found", api -> api.get("/api/v1/webhooks/42")),
                bad("deleting an unknown subscription", 404, "not_found",
                        api -> api.send(api.request(unknown).DELETE().build())),
                bad("dead letters of an unknown subscription", 404, "not_found",
                        api -> api.get(unknown + "/dead-letters")),
                bad("replay on an unknown subscription", 404, "not_found",
                        api -> api.post(unknown + "/dead-letters/replay", "{}")),
                bad("replay of a dead letter it does not have", 400, "invalid_request",
                        api -> api.post("/api/v1/webhooks/" + existing + "/dead-letters/replay",
                                "{\"ids\": [\"" + UUID.randomUUID() + "\"]}")),
                bad("replay of an empty list", 400, "invalid_request",
                        api -> api.post("/api/v1/webhooks/" + existing + "/dead-letters/replay", "{\"ids\": []}")),
                bad("replay id that is not an id", 400, "malformed_json",
                        api -> api.post("/api/v1/webhooks/" + existing + "/dead-letters/replay", "{\"ids\": [7]}")),
                bad("dead letters limit 0", 400, "invalid_request",
                        api -> api.get("/api/v1/webhooks/" + existing + "/dead-letters?limit=0")),
                bad("dead letters after -1", 400, "invalid_request",
                        api -> api.get("/api/v1/webhooks/" + existing + "/dead-letters?after=-1")));
    }

    private static Arguments bad(String name, int status, String code, Function<ApiClient, Reply> request) {
        return Arguments.of(name, status, code, request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAProblemAndChangesNothing(String name, int status, String code,
                                               Function<ApiClient, Reply> request) {
        Map<String, Long> before = rows();
        Reply reply = request.apply(admin);
        reply.problem(status, code);
        assertFalse(reply.text().contains("Exception"), reply.text());
        assertEquals(before, rows(), "nothing was written");
    }

    private static Map<String, Long> rows() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = kizuna.database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : List.of("webhook_subscription", "webhook_dead_letter", "feed_cursor", "audit_log")) {
                try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    row.next();
                    counts.put(table, row.getLong(1));
                }
            }
            try (ResultSet row = statement.executeQuery("SELECT COALESCE(SUM(position), 0) FROM feed_cursor")) {
                row.next();
                counts.put("cursor positions", row.getLong(1));
            }
            try (ResultSet row = statement.executeQuery(
                    "SELECT COUNT(replay_requested_at) FROM webhook_dead_letter")) {
                row.next();
                counts.put("replays requested", row.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }
}
