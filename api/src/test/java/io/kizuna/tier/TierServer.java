package io.kizuna.tier;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.MutableClock;
import io.kizuna.testing.TestDatabases;
import io.kizuna.testing.TestServer;

/**
 * A Kizuna of its own for one tier scenario: a fresh schema (so reviews and simulations count exactly this
 * scenario's members), its own clock (moved here, never the shared one), one store with one till.
 */
final class TierServer implements AutoCloseable {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** Regular from 0, Silver from 10,000 yen (x1.5), Gold from 50,000 yen (x2). */
    static final String TIERS = """
            {"tiers": [
              {"code": "REGULAR", "name": "Regular", "rank": 1, "threshold": 0, "multiplier": 1},
              {"code": "SILVER", "name": "Silver", "rank": 2, "threshold": 10000, "multiplier": 1.5},
              {"code": "GOLD", "name": "Gold", "rank": 3, "threshold": 50000, "multiplier": 2,
               "benefits": ["Birthday coupon"]}]}""";
    private static final AtomicInteger RECEIPTS = new AtomicInteger();

    final MutableClock clock;
    final Kizuna kizuna;
    final ApiClient admin;
    final ApiClient till;

    TierServer(String purpose, Instant start) {
        this(purpose, start, Map.of());
    }

    /** With {@code settings} on top of the test's own (e.g. another qualification metric). */
    TierServer(String purpose, Instant start, Map<String, String> settings) {
        clock = new MutableClock(start);
        Map<String, String> values = new java.util.HashMap<>(Map.of("server.port", "0", "server.host", "127.0.0.1",
                "kizuna.security.bootstrap-admin-key", TestServer.ADMIN_KEY,
                "kizuna.feed.dispatch-interval", "PT1H",
                "kizuna.tiers.review-check", "PT1H"));
        values.putAll(settings);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .build();
        kizuna = Kizuna.start(config, TestDatabases.freshSchema(purpose), clock);
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        admin.post("/api/v1/stores", "{\"code\": \"T1\", \"name\": \"Tier store\"}").expect(201);
        till = TestServer.client(kizuna.port(),
                admin.post("/api/v1/stores/T1/terminals", "{\"code\": \"01\"}").expect(201).at("/key"));
    }

    /** Moves the clock to a Tokyo local time (only ever forward). */
    void at(String tokyoLocalTime) {
        clock.set(java.time.LocalDateTime.parse(tokyoLocalTime).atZone(TOKYO).toInstant());
    }

    Reply putTiers(String json) {
        return admin.send(admin.request("/api/v1/tiers").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A member with a virtual card: [member id, card number]. */
    String[] enroll(String name) {
        String id = admin.enroll(name);
        return new String[] {id, admin.get("/api/v1/members/" + id).expect(200).at("/cards/0/number")};
    }

    /** A recorded sale of the given line amounts. */
    record Sale(String receiptNumber, LocalDate day, Reply reply) {
    }

    Sale sell(String card, long... amounts) {
        String number = "R" + RECEIPTS.incrementAndGet();
        LocalDate day = LocalDate.ofInstant(clock.instant(), TOKYO);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < amounts.length; i++) {
            lines.append(i == 0 ? "" : ", ").append("{\"lineNumber\": ").append(i + 1)
                    .append(", \"sku\": \"4901234567894\", \"category\": \"FOOD\", \"quantity\": 1, \"unitPrice\": ")
                    .append(amounts[i]).append(", \"amount\": ").append(amounts[i]).append(", \"discount\": 0}");
        }
        Reply reply = till.post("/pos/v1/sales", "{\"businessDay\": \"" + day + "\", \"receiptNumber\": \"" + number
                + "\", \"card\": \"" + card + "\", \"currency\": \"JPY\", \"lines\": [" + lines + "]}", null)
                .expect(201);
        return new Sale(number, day, reply);
    }

    /** Voids a whole sale of this till (the void names the sale's own business day and receipt number). */
    Reply voidSale(Sale sale) {
        return till.post("/pos/v1/voids", "{\"businessDay\": \"" + sale.day() + "\", \"receiptNumber\": \""
                + sale.receiptNumber() + "\"}", null).expect(201);
    }

    Reply returnLine(Sale sale, int line) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), TOKYO);
        return till.post("/pos/v1/returns", "{\"businessDay\": \"" + day + "\", \"receiptNumber\": \"RT"
                + RECEIPTS.incrementAndGet() + "\", \"original\": {\"terminal\": \"01\", \"businessDay\": \""
                + sale.day() + "\", \"receiptNumber\": \"" + sale.receiptNumber() + "\"}, \"lines\": [{\"lineNumber\": "
                + line + ", \"quantity\": 1}]}", null).expect(201);
    }

    Reply review() {
        return admin.post("/api/v1/tiers/reviews", "{}").expect(200);
    }

    Reply member(String memberId) {
        return admin.get("/api/v1/tiers/members/" + memberId).expect(200);
    }

    void assertLedgerBalanced() {
        admin.assertLedgerBalanced();
    }

    @Override
    public void close() {
        kizuna.close();
    }
}
