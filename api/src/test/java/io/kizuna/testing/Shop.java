package io.kizuna.testing;

import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

import io.kizuna.testing.ApiClient.Reply;

/**
 * A store with one terminal on the shared test server, for scenarios that need sales: members with cards, sales of
 * given amounts on given business days, and returns. Every store has its own code, so tests never share receipts.
 */
public final class Shop {
    private static final AtomicInteger STORES = new AtomicInteger();

    private final String code;
    private final ApiClient till;
    private final AtomicInteger receipts = new AtomicInteger();

    private Shop(String code, ApiClient till) {
        this.code = code;
        this.till = till;
    }

    public static Shop open() {
        return open(TestServer.admin());
    }

    /** A store on the server that {@code admin} speaks to. */
    public static Shop open(ApiClient admin) {
        String code = "S" + Long.toString(System.nanoTime(), 36) + STORES.incrementAndGet();
        admin.post("/api/v1/stores", "{\"code\": \"" + code + "\", \"name\": \"Test store\"}").expect(201);
        String key = admin.post("/api/v1/stores/" + code + "/terminals", "{\"code\": \"01\"}").expect(201).at("/key");
        return new Shop(code, admin.as(key));
    }

    public String code() {
        return code;
    }

    public ApiClient till() {
        return till;
    }

    /** A member and their card. */
    public record Member(String id, String card) {
    }

    /** Enrols a member with a virtual card; {@code profileAndConsents} is the JSON inside the enrolment body. */
    public static Member enroll(String profileAndConsents) {
        return enroll(TestServer.admin(), profileAndConsents);
    }

    /** Enrols a member on the server that {@code admin} talks to. */
    public static Member enroll(ApiClient admin, String profileAndConsents) {
        String id = admin.post("/api/v1/members", "{" + profileAndConsents + ", \"card\": \"VIRTUAL\"}")
                .expect(201).at("/member/id");
        return new Member(id, admin.get("/api/v1/members/" + id).at("/cards/0/number"));
    }

    public static Member enroll(String name, boolean analyticsConsent) {
        return enroll("\"profile\": {\"name\": \"" + name + "\"}, \"consents\": {\"marketingMessages\": false, "
                + "\"analyticsUse\": " + analyticsConsent + "}");
    }

    /** A line of a sale: its SKU, category and amount in yen (quantity 1). */
    public record Line(String sku, String category, long amount) {
    }

    public static Line line(String sku, String category, long amount) {
        return new Line(sku, category, amount);
    }

    /** Records a sale (card null: anonymous) and answers the till's reply; its receipt number is in /receiptNumber. */
    public Sale sale(String card, LocalDate day, Line... lines) {
        String number = "R" + receipts.incrementAndGet();
        StringBuilder body = new StringBuilder("{\"businessDay\": \"" + day + "\", \"receiptNumber\": \"" + number
                + "\", " + (card == null ? "" : "\"card\": \"" + card + "\", ")
                + "\"currency\": \"JPY\", \"lines\": [");
        for (int i = 0; i < lines.length; i++) {
            Line line = lines[i];
            body.append(i == 0 ? "" : ", ").append("{\"lineNumber\": ").append(i + 1).append(", \"sku\": \"")
                    .append(line.sku()).append("\", \"category\": \"").append(line.category())
                    .append("\", \"quantity\": 1, \"unitPrice\": ").append(line.amount()).append(", \"amount\": ")
                    .append(line.amount()).append(", \"discount\": 0}");
        }
        body.append("]}");
        return new Sale(day, number, till.post("/pos/v1/sales", body.toString(), null).expect(201));
    }

    /** A recorded sale: its business day, receipt number and the till's reply. */
    public record Sale(LocalDate day, String receiptNumber, Reply reply) {
    }

    /** Returns line {@code lineNumber} of {@code sale} whole, on {@code day}. */
    public Reply returnLine(Sale sale, int lineNumber, LocalDate day) {
        String body = "{\"businessDay\": \"" + day + "\", \"receiptNumber\": \"RT" + receipts.incrementAndGet()
                + "\", \"original\": {\"terminal\": \"01\", \"businessDay\": \"" + sale.day() + "\", "
                + "\"receiptNumber\": \"" + sale.receiptNumber() + "\"}, \"lines\": [{\"lineNumber\": " + lineNumber
                + ", \"quantity\": 1}]}";
        return till.post("/pos/v1/returns", body, null).expect(201);
    }
}
