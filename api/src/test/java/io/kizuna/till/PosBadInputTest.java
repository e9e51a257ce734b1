package io.kizuna.till;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.BadRequest;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input at the till gets a 4xx problem+json and changes nothing. */
class PosBadInputTest {
    private static final ApiClient ADMIN = TestServer.admin();
    private static ApiClient till;
    private static String card;

    @BeforeAll
    static void aTerminalAndAMemberWithPoints() {
        String store = "BAD" + Long.toString(System.nanoTime(), 36);
        ADMIN.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Bad Input\"}").expect(201);
        till = TestServer.as(ADMIN.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"01\"}")
                .expect(201).at("/key"));
        String member = ADMIN.enroll("Bad Input Shopper");
        card = ADMIN.get("/api/v1/members/" + member).at("/cards/0/number");
        till.post("/pos/v1/sales", sale("SEED", line(1, "1", 10_000)), null).expect(201);
    }

    @AfterEach
    void ledgerBalances() {
        ADMIN.assertLedgerBalanced();
    }

    static Stream<Arguments> badRequests() {
        String tooManyLines = IntStream.rangeClosed(1, 501).mapToObj(i -> line(i, "1", 100))
                .collect(Collectors.joining(","));
        return Stream.of(
                new BadRequest("garbage scan", 400, "invalid_card_number",
                        api -> api.post("/pos/v1/identify", "{\"scan\": \"hello world\"}", null)),
                new BadRequest("wrong check digit", 400, "invalid_card_number",
                        api -> api.post("/pos/v1/identify", "{\"scan\": \"" + wrongCheckDigit() + "\"}", null)),
                new BadRequest("malformed JSON", 400, "malformed_json",
                        api -> api.post("/pos/v1/sales", "{\"businessDay\": ", null)),
                new BadRequest("negative quantity in a sale", 400, "invalid_request",
                        api -> api.post("/pos/v1/sales", sale("NEG", line(1, "-1", 100)), null)),
                new BadRequest("negative amount", 400, "invalid_request",
                        api -> api.post("/pos/v1/sales", sale("NEGA", line(1, "1", -100)), null)),
                new BadRequest("quantity with four decimals", 400, "invalid_request",
                        api -> api.post("/pos/v1/sales", sale("DEC", line(1, "0.0001", 100)), null)),
                new BadRequest("receipt over the line limit", 400, "invalid_request",
                        api -> api.post("/pos/v1/sales", sale("BIG", tooManyLines), null)),
                new BadRequest("points tender without a hold", 400, "invalid_request",
                        api -> api.post("/pos/v1/sales", sale("NOHOLD", line(1, "1", 100))
                                .replace("\"lines\"", "\"tenders\": [{\"type\": \"POINTS\", \"amount\": 10}], \"lines\""),
                                null)),
                new BadRequest("points tender with an unknown hold", 404, "hold_not_found",
                        api -> api.post("/pos/v1/sales", sale("BADHOLD", line(1, "1", 100)).replace("\"lines\"",
                                "\"tenders\": [{\"type\": \"POINTS\", \"amount\": 10, \"holdId\": \"x\"}], \"lines\""),
                                null)),
                new BadRequest("points tender without a card", 400, "invalid_request",
                        api -> api.post("/pos/v1/sales", sale("NOCARD", line(1, "1", 100))
                                .replace("\"card\": \"" + card + "\", ", "").replace("\"lines\"",
                                        "\"tenders\": [{\"type\": \"POINTS\", \"amount\": 10, \"holdId\": \"x\"}], "
                                                + "\"lines\""), null)),
                new BadRequest("hold beyond the balance", 409, "insufficient_points",
                        api -> api.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 101}", null)),
                new BadRequest("unknown card", 404, "card_not_found",
                        api -> api.post("/pos/v1/sales", sale("UNKNOWN", line(1, "1", 100))
                                .replace(card, "2999999999991"), null)),
                new BadRequest("no terminal key", 401, "unauthenticated",
                        api -> TestServer.as(null).post("/pos/v1/sales", sale("ANON", line(1, "1", 100)), null)),
                new BadRequest("a staff key is not a terminal key", 401, "unauthenticated",
                        api -> ADMIN.post("/pos/v1/sales", sale("STAFF", line(1, "1", 100)), null)),
                new BadRequest("unknown till route", 404, "not_found", api -> api.get("/pos/v1/nothing"))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndWritesNothing(BadRequest bad) {
        bad.assertRefused(till);
    }

    private static String wrongCheckDigit() {
        int last = card.charAt(12) - '0';
        return card.substring(0, 12) + ((last + 1) % 10);
    }

    private static String sale(String receipt, String lines) {
        return "{\"businessDay\": \"2026-04-03\", \"receiptNumber\": \"" + receipt + "\", \"card\": \"" + card
                + "\", \"currency\": \"JPY\", \"lines\": [" + lines + "]}";
    }

    private static String line(int number, String quantity, long amount) {
        return "{\"lineNumber\": " + number + ", \"sku\": \"4901234567894\", \"quantity\": " + quantity
                + ", \"unitPrice\": " + Math.abs(amount) + ", \"amount\": " + amount + ", \"discount\": 0}";
    }
}
