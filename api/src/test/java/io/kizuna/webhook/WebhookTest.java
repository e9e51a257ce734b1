package io.kizuna.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.feed.EventLog;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.MutableClock;
import io.kizuna.testing.TestDatabases;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery over real HTTP to a real receiver that checks signatures: catching up after an outage,
 * backoff, filtering, consent, dead letters and their replay, concurrent runs, restarts. Runs its own Kizuna on a
 * fresh schema with its own clock, so that counts are exact and moving time disturbs no other test.
 */
class WebhookTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    private static final String SCHEMA = "webhooks" + System.nanoTime();
    private static Kizuna kizuna;
    private static ApiClient admin;

    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<String> subscriptions = new ArrayList<>();

    @BeforeAll
    static void startKizuna() {
        kizuna = start(SCHEMA);
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
    }

    @AfterAll
    static void stopKizuna() {
        kizuna.close();
    }

    @AfterEach
    void cleanUp() {
        subscriptions.forEach(id -> delete(admin, id));
        receivers.forEach(WebhookReceiver::close);
        admin.assertLedgerBalanced();
    }

    @Test
    void aReceiverThatWasDownGetsEveryEventExactlyOnceInFeedOrderWithValidSignatures() {
        WebhookReceiver receiver = receiver();
        receiver.stop();
        kizuna.core().dispatcher.run();
        String id = subscribe(receiver, "");
        long start = end();
        String aoi = enroll("Aoi Down", true);
        String ben = enroll("Ben Down", true);
        adjust(aoi, 10);
        adjust(ben, 20);
        adjust(aoi, 30);
        kizuna.core().dispatcher.run();

        WebhookDelivery.Summary first = deliver();
        assertEquals(1, first.failedAttempts());
        assertEquals(0, first.delivered());
        JsonNode delivery = state(id).get("delivery");
        assertEquals(1, delivery.get("consecutiveFailures").asInt());
        assertEquals("could not connect", delivery.get("lastError").asText());
        assertEquals(start, delivery.get("position").asLong(), "a failing subscription does not skip ahead");
        assertEquals(end() - start, delivery.get("lag").asLong());
        assertTrue(nextAttempt(id).isAfter(CLOCK.instant()));
        for (int outage = 0; outage < 3; outage++) {
            WebhookDelivery.Summary early = deliver();
            assertEquals(0, early.failedAttempts() + early.delivered(), "nothing is tried before the next attempt");
            CLOCK.set(nextAttempt(id));
            adjust(ben, 5 + outage);
            kizuna.core().dispatcher.run();
            assertEquals(1, deliver().failedAttempts());
        }
        assertEquals(4, state(id).at("/delivery/consecutiveFailures").asInt());
        Instant backedOff = nextAttempt(id);
        assertTrue(backedOff.isAfter(CLOCK.instant().plusSeconds(3)), "the fourth wait is 4 to 8 seconds");

        receiver.restart();
        assertEquals(0, deliver().delivered(), "back up, but its next attempt is not due yet");
        assertTrue(receiver.deliveries().isEmpty(), "the receiver heard nothing before the next attempt time");
        CLOCK.set(backedOff);
        WebhookDelivery.Summary caughtUp = deliver();
        long last = end();
        assertEquals(last - start, caughtUp.delivered());

        assertEquals(LongStream.rangeClosed(start + 1, last).boxed().toList(), positions(receiver.acceptedEvents()),
                "every event exactly once, in feed order");
        assertEquals(2, receiver.deliveries().size(), "ten events in batches of five");
        for (WebhookReceiver.Delivery received : receiver.deliveries()) {
            assertTrue(received.signatureValid(), "signature of " + received.id());
            assertEquals(CLOCK.instant().getEpochSecond(), received.signedAt());
            assertEquals(id, received.subscriptionId());
            assertFalse(received.replay());
        }
        assertEquals(2, receiver.deliveries().stream().map(WebhookReceiver.Delivery::id).distinct().count());
        assertEquals(List.of("member.enrolled", "member.consents-changed", "points.moved", "points.moved"),
                types(ofMember(receiver.acceptedEvents(), aoi)), "in order per member");
        assertEquals(List.of(20L, 5L, 6L, 7L), ofMember(receiver.acceptedEvents(), ben).stream()
                .filter(event -> event.get("type").asText().equals("points.moved"))
                .map(event -> event.at("/data/points").asLong()).toList());
        delivery = state(id).get("delivery");
        assertEquals(last, delivery.get("position").asLong());
        assertEquals(0, delivery.get("lag").asLong());
        assertEquals(0, delivery.get("consecutiveFailures").asInt());
        assertFalse(delivery.has("lastError"));
        assertEquals(0, deliver().delivered(), "nothing is sent twice");
    }

    @Test
    void aSubscriptionGetsOnlyTheTypesItAskedForAndMembersWithoutConsentAreNotNamed() {
        WebhookReceiver receiver = receiver();
        kizuna.core().dispatcher.run();
        String id = subscribe(receiver, ", \"eventTypes\": [\"points.moved\"]");
        String open = enroll("Open Person", true);
        String hidden = enroll("Private Person", false);
        adjust(open, 7);
        adjust(hidden, 8);
        for (int i = 0; i < 3; i++) {
            enroll("Only Enrolled " + i, true); // six events of a type it did not ask for: a whole batch and more
        }
        kizuna.core().dispatcher.run();

        assertEquals(2, deliver().delivered());
        List<JsonNode> events = receiver.acceptedEvents();
        assertEquals(List.of("points.moved", "points.moved"), types(events));
        assertEquals(List.of(7L, 8L), events.stream().map(event -> event.at("/data/points").asLong()).toList());
        assertEquals(open, events.get(0).get("memberId").asText());
        assertTrue(events.get(0).get("data").has("walletId"));
        assertFalse(events.get(1).has("memberId"), "no analytics consent: not named");
        assertFalse(events.get(1).get("data").has("walletId"));
        assertFalse(receiver.deliveries().toString().contains(hidden));
        assertEquals(end(), state(id).at("/delivery/position").asLong(), "it passed over the other types");
        assertEquals(0, state(id).at("/delivery/lag").asLong());
        assertEquals(List.of("points.moved"), List.of(state(id).at("/eventTypes/0").asText()));
    }

    @Test
    void afterTheFailureLimitABatchIsDeadLetteredAndAReplayDeliversItExactlyOnce() {
        WebhookReceiver receiver = receiver();
        receiver.answer(503);
        kizuna.core().dispatcher.run();
        String id = subscribe(receiver, "");
        String member = enroll("Dead Letter", true);
        adjust(member, 3);
        kizuna.core().dispatcher.run();
        long deadEnd = end();

        for (int attempt = 1; attempt <= 12; attempt++) {
            WebhookDelivery.Summary summary = deliver();
            assertEquals(1, summary.failedAttempts(), "attempt " + attempt);
            assertEquals(attempt == 12 ? 3 : 0, summary.deadLettered(), "attempt " + attempt);
            CLOCK.set(nextAttempt(id));
        }
        assertEquals(12, receiver.deliveries().size());
        assertEquals(1, receiver.deliveries().stream().map(WebhookReceiver.Delivery::id).distinct().count(),
                "a retried batch keeps its delivery id");
        assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::signatureValid));
        List<JsonNode> letters = admin.get("/api/v1/webhooks/" + id + "/dead-letters").expect(200).json()
                .findParents("position");
        assertEquals(List.of(deadEnd - 2, deadEnd - 1, deadEnd), positions(letters));
        assertEquals(List.of("member.enrolled", "member.consents-changed", "points.moved"), types(letters));
        assertEquals("HTTP 503", letters.getFirst().get("lastError").asText());
        JsonNode delivery = state(id).get("delivery");
        assertEquals(deadEnd, delivery.get("position").asLong(), "delivery moved on past them");
        assertEquals(0, delivery.get("consecutiveFailures").asInt());
        assertEquals(3, delivery.get("deadLetters").asInt());

        receiver.answer(200);
        adjust(member, 4);
        kizuna.core().dispatcher.run();
        assertEquals(1, deliver().delivered(), "new events flow again");
        admin.post("/api/v1/webhooks/" + id + "/dead-letters/replay",
                "{\"ids\": [\"" + letters.getFirst().get("id").asText() + "\"]}").expect(200);
        WebhookDelivery.Summary partial = deliver();
        assertEquals(1, partial.replayed());
        assertEquals(List.of(deadEnd - 2), positions(receiver.accepted().getLast().events()));
        assertTrue(receiver.accepted().getLast().replay(), "marked as a replay");
        assertEquals(2, admin.get("/api/v1/webhooks/" + id + "/dead-letters").expect(200).json().size());

        JsonNode requested = admin.send(admin.request("/api/v1/webhooks/" + id + "/dead-letters/replay")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).expect(200).json();
        assertEquals(2, requested.get("requested").asInt(), "no body: all of them");
        assertEquals(2, deliver().replayed());
        assertEquals(0, deliver().replayed() + deliver().delivered(), "replayed once, not again");
        assertEquals(0, admin.get("/api/v1/webhooks/" + id + "/dead-letters").expect(200).json().size());
        List<Long> accepted = positions(receiver.acceptedEvents());
        assertEquals(List.of(deadEnd + 1, deadEnd - 2, deadEnd - 1, deadEnd), accepted);
        assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::signatureValid));
    }

    @Test
    void twoNodesDeliveringAtOnceNeverSendABatchTwice() throws Exception {
        List<WebhookReceiver> slow = List.of(receiver(), receiver(), receiver());
        kizuna.core().dispatcher.run();
        long start = end();
        for (WebhookReceiver receiver : slow) {
            receiver.delay(40); // real time: it keeps batches in flight while the other node tries them
            subscribe(receiver, "");
        }
        for (int i = 0; i < 4; i++) {
            String member = enroll("Concurrent " + i, i % 2 == 0);
            adjust(member, 1);
            adjust(member, 2);
            adjust(member, 3);
        }
        kizuna.core().dispatcher.run();
        long last = end();
        List<Long> expected = LongStream.rangeClosed(start + 1, last).boxed().toList();
        try (Kizuna second = start(SCHEMA); ExecutorService nodes = Executors.newFixedThreadPool(2)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> delivered = new ArrayList<>();
            for (Kizuna node : List.of(kizuna, second)) {
                delivered.add(nodes.submit(() -> {
                    go.await();
                    int total = 0;
                    for (int run = 0; run < 200 && !slow.stream().allMatch(r -> r.acceptedEvents().size()
                            >= expected.size()); run++) {
                        total += node.core().webhooks.deliverDue().delivered();
                    }
                    return total;
                }));
            }
            go.countDown();
            assertEquals(3 * expected.size(), delivered.get(0).get() + delivered.get(1).get());
        }
        for (WebhookReceiver receiver : slow) {
            assertEquals(expected, positions(receiver.acceptedEvents()), "each event once, in order");
            assertTrue(receiver.deliveries().stream().allMatch(WebhookReceiver.Delivery::signatureValid));
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerTimesOutWithoutHoldingUpTheOthers() {
        WebhookReceiver stuck = receiver();
        WebhookReceiver healthy = receiver();
        stuck.delay(10_000); // real time: longer than the request timeout of one second
        kizuna.core().dispatcher.run();
        String stuckId = subscribe(stuck, "");
        String healthyId = subscribe(healthy, "");
        adjust(enroll("Patient Person", true), 9);
        kizuna.core().dispatcher.run();

        long began = System.nanoTime();
        WebhookDelivery.Summary summary = deliver();
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        assertTrue(tookMillis < 5_000, "the run did not wait for the stuck receiver: " + tookMillis + " ms");
        assertEquals(3, summary.delivered());
        assertEquals(1, summary.failedAttempts());
        assertEquals(3, healthy.acceptedEvents().size());
        assertEquals(0, state(healthyId).at("/delivery/lag").asLong());
        assertTrue(state(stuckId).at("/delivery/lastError").asText().startsWith("timed out"));
        assertEquals(3, state(stuckId).at("/delivery/lag").asLong(), "it will get them on a later attempt");
    }

    @Test
    void eventsWrittenWhileNothingDeliversReachTheReceiverAfterARestart() {
        String schema = "webhookrestart" + System.nanoTime();
        WebhookReceiver receiver = receiver();
        String id;
        try (Kizuna first = start(schema)) {
            ApiClient api = TestServer.client(first.port(), TestServer.ADMIN_KEY);
            JsonNode created = api.post("/api/v1/webhooks", "{\"url\": \"" + receiver.url() + "\"}").expect(201)
                    .json();
            id = created.at("/subscription/id").asText();
            receiver.secret(created.get("secret").asText());
            String member = api.enroll("Survives Restarts");
            api.post("/api/v1/members/" + member + "/adjustments", "{\"points\": 40, \"reason\": \"goodwill\"}")
                    .expect(201);
        }
        try (Kizuna second = start(schema)) {
            second.core().dispatcher.run();
            assertEquals(3, second.core().webhooks.deliverDue().delivered());
            assertEquals(List.of(1L, 2L, 3L), positions(receiver.acceptedEvents()));
            assertEquals(List.of("member.enrolled", "member.consents-changed", "points.moved"),
                    types(receiver.acceptedEvents()));
            assertTrue(receiver.deliveries().getFirst().signatureValid());
            assertEquals(id, receiver.deliveries().getFirst().subscriptionId());
        }
    }

    // ---- helpers ----

    static Kizuna start(String schema) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1",
                                "kizuna.security.bootstrap-admin-key", TestServer.ADMIN_KEY,
                                "kizuna.ledger.expiry-interval", "PT1H",
                                // The tests run the dispatcher and the delivery themselves.
                                "kizuna.feed.dispatch-interval", "PT1H",
                                "kizuna.feed.webhook-interval", "PT1H",
                                "kizuna.feed.webhook-batch-size", "5",
                                "kizuna.feed.webhook-request-timeout", "PT1S")),
                        ConfigSources.classpath("application.yaml"))
                .build();
        return Kizuna.start(config, TestDatabases.open(schema), CLOCK);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        receivers.add(receiver);
        return receiver;
    }

    private String subscribe(WebhookReceiver receiver, String moreFields) {
        JsonNode created = admin.post("/api/v1/webhooks", "{\"url\": \"" + receiver.url() + "\"" + moreFields + "}")
                .expect(201).json();
        receiver.secret(created.get("secret").asText());
        String id = created.at("/subscription/id").asText();
        subscriptions.add(id);
        return id;
    }

    private static String enroll(String name, boolean analyticsConsent) {
        return admin.post("/api/v1/members", "{\"profile\": {\"name\": \"" + name + "\"}, \"consents\": "
                + "{\"marketingMessages\": false, \"analyticsUse\": " + analyticsConsent + "}, \"card\": \"VIRTUAL\"}")
                .expect(201).at("/member/id");
    }

    private static void adjust(String member, int points) {
        admin.post("/api/v1/members/" + member + "/adjustments",
                "{\"points\": " + points + ", \"reason\": \"webhook test\"}").expect(201);
    }

    private static WebhookDelivery.Summary deliver() {
        return kizuna.core().webhooks.deliverDue();
    }

    private static JsonNode state(String id) {
        return admin.get("/api/v1/webhooks/" + id).expect(200).json();
    }

    private static Instant nextAttempt(String id) {
        return Instant.parse(state(id).at("/delivery/nextAttemptAt").asText());
    }

    static long end() {
        try (Connection connection = kizuna.database().dataSource().getConnection()) {
            return EventLog.lastPosition(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> positions(List<JsonNode> events) {
        List<Long> positions = events.stream().map(event -> event.get("position").asLong()).toList();
        Set<Long> distinct = new HashSet<>(positions);
        assertEquals(positions.size(), distinct.size(), "no event twice: " + positions);
        return positions;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(event -> event.get("type").asText()).toList();
    }

    private static List<JsonNode> ofMember(List<JsonNode> events, String member) {
        return events.stream().filter(event -> member.equals(event.path("memberId").asText())).toList();
    }

    static void delete(ApiClient api, String id) {
        api.send(api.request("/api/v1/webhooks/" + id).DELETE().build());
    }
}
