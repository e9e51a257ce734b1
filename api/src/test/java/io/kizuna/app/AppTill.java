package io.kizuna.app;

import java.net.http.HttpRequest;
import java.util.concurrent.atomic.AtomicInteger;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;

/** A store with one terminal, for app tests that need a sale at a real till over /pos/v1. */
final class AppTill {
    private static final AtomicInteger RECEIPTS = new AtomicInteger();
    final String store;
    final ApiClient terminal;

    private AppTill(String store, ApiClient terminal) {
        this.store = store;
        this.terminal = terminal;
    }

    static AppTill open() {
        ApiClient admin = TestServer.admin();
        String store = "APP" + Long.toString(System.nanoTime(), 36);
        admin.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"App test store\"}").expect(201);
        ApiClient terminal = TestServer.as(admin.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"01\"}")
                .expect(201).at("/key"));
        admin.send(admin.request("/api/v1/products/4901234567894").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"Onigiri\", \"category\": \"FOOD\", \"excludedFromEarning\": false}"))
                .build()).expect(200);
        return new AppTill(store, terminal);
    }

    Reply identify(String scan) {
        return terminal.post("/pos/v1/identify", "{\"scan\": \"" + scan + "\"}", null);
    }

    /** A one-line sale of {@code amount} yen; answers the receipt number. */
    String sell(String card, long amount) {
        String receipt = "A" + RECEIPTS.incrementAndGet();
        terminal.post("/pos/v1/sales", "{\"businessDay\": \"2026-04-01\", \"receiptNumber\": \"" + receipt + "\", "
                + "\"card\": \"" + card + "\", \"currency\": \"JPY\", \"lines\": [{\"lineNumber\": 1, "
                + "\"sku\": \"4901234567894\", \"quantity\": 1, \"unitPrice\": " + amount + ", \"amount\": " + amount
                + ", \"discount\": 0}]}", null).expect(201);
        return receipt;
    }
}
