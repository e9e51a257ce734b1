package io.kizuna.till;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The till over real HTTP: terminals of two stores scan, sell, pay with points and retry. */
class TillTest {
    private static final ApiClient ADMIN = TestServer.admin();
    private static ApiClient shibuya;
    private static ApiClient umeda;
    private static int receipts;

    @BeforeAll
    static void twoStoresWithATerminalEachAndACatalogue() {
        String suffix = Long.toString(System.nanoTime(), 36);
        ADMIN.post("/api/v1/stores", "{\"code\": \"SHB" + suffix + "\", \"name\": \"Shibuya\"}").expect(201);
        ADMIN.post("/api/v1/stores", "{\"code\": \"UMD" + suffix + "\", \"name\": \"Umeda\"}").expect(201);
        shibuya = TestServer.as(ADMIN.post("/api/v1/stores/SHB" + suffix + "/terminals", "{\"code\": \"01\"}")
                .expect(201).at("/key"));
        umeda = TestServer.as(ADMIN.post("/api/v1/stores/UMD" + suffix + "/terminals", "{\"code\": \"01\"}")
                .expect(201).at("/key"));
        put("4901234567894", "Onigiri", "FOOD", false);
        put("4900000000003", "Cigarettes", "TOBACCO", false);
        put("4912345678904", "Prepaid card", "PREPAID", true);
    }

    @AfterEach
    void ledgerBalances() {
        ADMIN.assertLedgerBalanced();
    }

    @Test
    void scanAnAppCardWithAimPrefixAndSeeMaskedNameAndPoints() {
        String card = memberCard("佐藤 花子");
        Reply identified = shibuya.post("/pos/v1/identify", "{\"scan\": \"]E0" + card + "\\r\\n\"}", null)
                .expect(200);
        assertEquals(card, identified.at("/card"));
        assertEquals("佐* 花*", identified.at("/member/maskedName"));
        assertEquals(0, identified.number("/points/available"));
        int wrongCheckDigit = (card.charAt(12) - '0' + 1) % 10;
        shibuya.post("/pos/v1/identify", "{\"scan\": \"" + card.substring(0, 12) + wrongCheckDigit + "\"}", null)
                .problem(400, "invalid_card_number");
    }

    @Test
    void aCameraPictureOfTheCardIdentifiesItToo() throws Exception {
        String card = memberCard("Camera User");
        var matrix = new com.google.zxing.oned.EAN13Writer()
                .encode(card, com.google.zxing.BarcodeFormat.EAN_13, 380, 160);
        var png = new java.io.ByteArrayOutputStream();
        com.google.zxing.client.j2se.MatrixToImageWriter.writeToStream(matrix, "PNG", png);
        Reply identified = shibuya.send(shibuya.request("/pos/v1/identify").header("Content-Type", "image/png")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).build()).expect(200);
        assertEquals(card, identified.at("/card"));
        shibuya.send(shibuya.request("/pos/v1/identify").header("Content-Type", "image/png")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("not a picture")).build())
                .problem(400, "invalid_card_number");
    }

    @Test
    void aSaleEarnsOnEligibleSpendOnlyAndShowsTheRule() {
        String card = memberCard("Earner");
        Reply sale = shibuya.post("/pos/v1/sales", sale(card, """
                {"lineNumber": 1, "sku": "4901234567894", "quantity": 3, "unitPrice": 150, "amount": 450, "discount": 0},
                {"lineNumber": 2, "sku": "4900000000003", "quantity": 1, "unitPrice": 600, "amount": 600, "discount": 0},
                {"lineNumber": 3, "sku": "4912345678904", "quantity": 1, "unitPrice": 3000, "amount": 3000, "discount": 0},
                {"lineNumber": 4, "sku": "2100000123453", "category": "DELI", "quantity": 0.356, "unitPrice": 398,
                 "amount": 142, "discount": 20}""", ""), null).expect(201);
        assertEquals(5, sale.number("/points/earned"), "(450 + 122) / 100, tobacco and prepaid excluded");
        assertEquals("base", sale.at("/points/rules/0/ruleId"));
        assertEquals(5, sale.number("/balance/available"));
        assertEquals("ONLINE", sale.at("/processing"));
    }

    @Test
    void aRetriedSaleGetsTheFirstAnswerAndEarnsOnce() {
        String card = memberCard("Retrier");
        String body = sale(card, line(1000), "");
        Reply first = shibuya.post("/pos/v1/sales", body, null).expect(201);
        Reply retry = shibuya.post("/pos/v1/sales", body, null).expect(200);
        assertEquals(first.at("/receiptId"), retry.at("/receiptId"));
        assertEquals("true", retry.at("/replay"));
        assertEquals(10, identify(card).number("/points/available"));
        shibuya.post("/pos/v1/sales", body.replace("1000", "2000"), null).problem(409, "idempotency_conflict");
    }

    @Test
    void pointsPayPartOfASaleThroughAHoldThatTheSaleCaptures() {
        String card = memberCard("Payer");
        shibuya.post("/pos/v1/sales", sale(card, line(50_000), ""), null).expect(201);
        Reply hold = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 300}", null).expect(201);
        assertEquals(200, hold.number("/balance/available"));
        Reply paid = shibuya.post("/pos/v1/sales", sale(card, line(1000),
                ", \"tenders\": [{\"type\": \"POINTS\", \"amount\": 300, \"holdId\": \"" + hold.at("/holdId")
                        + "\"}, {\"type\": \"CASH\", \"amount\": 700}]"), null).expect(201);
        assertEquals(300, paid.number("/points/paid"));
        assertEquals(7, paid.number("/points/rules/0/points"), "points paid do not earn: base on 700 yen");
        // 50,000 yen made the member Silver (default tiers): x1.2 adds 1 on top of the base 7.
        assertEquals("tier:SILVER", paid.at("/points/rules/1/ruleId"));
        assertEquals(8, paid.number("/points/earned"));
        assertEquals(208, paid.number("/balance/available"));
        shibuya.post("/pos/v1/holds/" + hold.at("/holdId") + "/release", "", null).problem(404, "hold_not_found");
    }

    @Test
    void aReleasedOrForgottenHoldGivesThePointsBack() {
        String card = memberCard("Changes Mind");
        shibuya.post("/pos/v1/sales", sale(card, line(10_000), ""), null).expect(201);
        String released = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 60}", null)
                .expect(201).at("/holdId");
        assertEquals(100, shibuya.post("/pos/v1/holds/" + released + "/release", "", null).expect(200)
                .number("/balance/available"));

        shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 70}", null).expect(201);
        assertEquals(30, identify(card).number("/points/available"));
        TestServer.CLOCK.advance(Duration.ofMinutes(16));
        ADMIN.post("/api/v1/ledger/expiry-runs", "").expect(200);
        assertEquals(100, identify(card).number("/points/available"));
    }

    @Test
    void aSaleThatArrivesAfterItsHoldTimedOutStillTakesItsPointsIfTheWalletHasThem() {
        String card = memberCard("Late Payer");
        shibuya.post("/pos/v1/sales", sale(card, line(10_000), ""), null).expect(201); // 100 points
        String before = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 50}", null)
                .expect(201).at("/holdId");
        TestServer.CLOCK.advance(Duration.ofMinutes(16)); // timed out, the expiry job not yet come by
        Reply late = shibuya.post("/pos/v1/sales", sale(card, line(1000), pointsTender(50, before)), null).expect(201);
        assertEquals(50, late.number("/points/paid"));
        assertEquals(100 - 50 + 9, late.number("/balance/available"), "the hold expired, the sale redeemed 50");

        String expired = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 40}", null)
                .expect(201).at("/holdId");
        TestServer.CLOCK.advance(Duration.ofMinutes(16));
        ADMIN.post("/api/v1/ledger/expiry-runs", "").expect(200); // the job gave the 40 points back
        String other = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 30}", null)
                .expect(201).at("/holdId");
        shibuya.post("/pos/v1/sales", sale(card, line(1000), pointsTender(40, expired)), null)
                .problem(409, "insufficient_points");
        assertEquals(29, identify(card).number("/points/available"), "the refused sale changed nothing");

        shibuya.post("/pos/v1/holds/" + other + "/release", "", null).expect(200);
        assertEquals(40, shibuya.post("/pos/v1/sales", sale(card, line(1000), pointsTender(40, expired)), null)
                .expect(201).number("/points/paid"));
        umeda.post("/pos/v1/sales", sale(card, line(1000), pointsTender(10, expired)), null)
                .problem(404, "hold_not_found");
    }

    private static String pointsTender(long points, String holdId) {
        return ", \"tenders\": [{\"type\": \"POINTS\", \"amount\": " + points + ", \"holdId\": \"" + holdId
                + "\"}, {\"type\": \"CASH\", \"amount\": " + (1000 - points) + "}]";
    }

    @Test
    void aRevokedTerminalKeyIsRefusedAtOnceEvenRightAfterItWasUsed() {
        String store = "REV" + Long.toString(System.nanoTime(), 36);
        ADMIN.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Revocation\"}").expect(201);
        var issued = ADMIN.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"07\"}").expect(201);
        ApiClient till = TestServer.as(issued.at("/key"));
        assertEquals(store, till.get("/pos/v1/terminal").expect(200).at("/storeCode"), "the key works, and is trusted");

        ADMIN.post("/api/v1/terminals/" + issued.at("/terminal/id") + "/revoke", "").expect(200);

        till.get("/pos/v1/terminal").problem(401, "unauthenticated");
    }

    @Test
    void aTerminalCannotTouchAnotherStoresHold() {
        String card = memberCard("Two Stores");
        shibuya.post("/pos/v1/sales", sale(card, line(10_000), ""), null).expect(201);
        String hold = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 50}", null)
                .expect(201).at("/holdId");
        umeda.post("/pos/v1/holds/" + hold + "/release", "", null).problem(404, "hold_not_found");
        umeda.post("/pos/v1/sales", sale(card, line(100), ", \"tenders\": [{\"type\": \"POINTS\", \"amount\": 50, "
                + "\"holdId\": \"" + hold + "\"}]"), null).problem(404, "hold_not_found");
        assertEquals(50, identify(card).number("/points/available"), "the hold is still in place");
        TestServer.as("kzt_forged").post("/pos/v1/identify", "{\"scan\": \"" + card + "\"}", null)
                .problem(401, "unauthenticated");
    }

    @Test
    void anUnregisteredCardEarnsAndABlockedCardIdentifiesNobody() {
        String card = ADMIN.post("/api/v1/cards", "{\"kind\": \"PHYSICAL\"}").expect(201).at("/card/number");
        Reply sale = shibuya.post("/pos/v1/sales", sale(card, line(800), ""), null).expect(201);
        assertEquals(8, sale.number("/points/earned"));
        assertFalse(identify(card).json().has("member"), "nobody has registered the card yet");
        ADMIN.post("/api/v1/cards/" + card + "/block", "{\"reason\": \"lost\"}").expect(200);
        shibuya.post("/pos/v1/identify", "{\"scan\": \"" + card + "\"}", null).problem(409, "card_not_active");
    }

    @Test
    void anAnonymousSaleIsRecordedWithoutPoints() {
        Reply sale = shibuya.post("/pos/v1/sales", sale(null, line(500), ""), null).expect(201);
        assertEquals(0, sale.number("/points/earned"));
        assertTrue(sale.json().at("/balance").isMissingNode());
    }

    @Test
    void aPartialReturnTakesBackPointsAndGivesBackPointsPaidInProportionNeverMore() {
        String card = memberCard("Returner");
        shibuya.post("/pos/v1/sales", sale(card, line(20_000), ""), null).expect(201);
        String hold = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 200}", null)
                .expect(201).at("/holdId");
        String number = "R" + (++receipts);
        Reply sold = shibuya.post("/pos/v1/sales", "{\"businessDay\": \"2026-04-01\", \"receiptNumber\": \""
                + number + "\", \"card\": \"" + card + "\", \"currency\": \"JPY\", \"lines\": ["
                + "{\"lineNumber\": 1, \"sku\": \"4901234567894\", \"quantity\": 2, \"unitPrice\": 500, "
                + "\"amount\": 1000, \"discount\": 0},"
                + "{\"lineNumber\": 2, \"sku\": \"4901234567894\", \"quantity\": 0.356, \"unitPrice\": 2809, "
                + "\"amount\": 1000, \"discount\": 0},"
                + "{\"lineNumber\": 3, \"sku\": \"4900000000003\", \"quantity\": 1, \"unitPrice\": 600, "
                + "\"amount\": 600, \"discount\": 0}],"
                + "\"tenders\": [{\"type\": \"POINTS\", \"amount\": 200, \"holdId\": \"" + hold + "\"}]}",
                null).expect(201);
        assertEquals(18, sold.number("/points/earned"), "(2000 eligible - 200 paid) / 100");
        long before = sold.number("/balance/available");

        Reply first = shibuya.post("/pos/v1/returns", returning(number, "[{\"lineNumber\": 1, \"quantity\": 1},"
                + "{\"lineNumber\": 2, \"quantity\": 0.178}]"), null).expect(201);
        assertEquals(1000, first.number("/amountReturned"));
        assertEquals(9, first.number("/pointsReversed"), "half the eligible spend came back");
        assertEquals(76, first.number("/pointsRefunded"), "200 paid x 1000 / 2600");
        assertEquals(before - 9 + 76, first.number("/balance/available"));

        Reply rest = shibuya.post("/pos/v1/returns", returning(number, null), null).expect(201);
        assertEquals(1600, rest.number("/amountReturned"));
        assertEquals(9, rest.number("/pointsReversed"), "the rest, so that exactly 18 were reversed");
        assertEquals(124, rest.number("/pointsRefunded"), "the rest, so that exactly 200 came back");

        shibuya.post("/pos/v1/returns", returning(number, null), null).problem(409, "return_exceeds_sale");
    }

    @Test
    void aReturnCannotTakeBackMoreThanWasSoldOrReachAnotherStoresSale() {
        String card = memberCard("Greedy Returner");
        String number = "R" + (++receipts);
        shibuya.post("/pos/v1/sales", "{\"businessDay\": \"2026-04-01\", \"receiptNumber\": \"" + number
                + "\", \"card\": \"" + card + "\", \"currency\": \"JPY\", \"lines\": [" + line(1000) + "]}",
                null).expect(201);
        shibuya.post("/pos/v1/returns", returning(number, "[{\"lineNumber\": 1, \"quantity\": 2}]"), null)
                .problem(409, "return_exceeds_sale");
        shibuya.post("/pos/v1/returns", returning(number, "[{\"lineNumber\": 9, \"quantity\": 1}]"), null)
                .problem(400, "invalid_request");
        shibuya.post("/pos/v1/returns", returning("NOPE", null), null).problem(404, "receipt_not_found");
        umeda.post("/pos/v1/returns", returning(number, null), null).problem(404, "receipt_not_found");
        shibuya.post("/pos/v1/returns", returning(number, "[{\"lineNumber\": 1, \"quantity\": -1}]"), null)
                .problem(400, "invalid_request");
        assertEquals(10, identify(card).number("/points/available"), "nothing moved");
    }

    @Test
    void aVoidTakesBackEverythingOnceAndAReturnOfSpentPointsLeavesADebt() {
        String card = memberCard("Voider");
        String number = "R" + (++receipts);
        shibuya.post("/pos/v1/sales", "{\"businessDay\": \"2026-04-01\", \"receiptNumber\": \"" + number
                + "\", \"card\": \"" + card + "\", \"currency\": \"JPY\", \"lines\": [" + line(5000) + "]}",
                null).expect(201);
        String hold = shibuya.post("/pos/v1/holds", "{\"card\": \"" + card + "\", \"points\": 30}", null)
                .expect(201).at("/holdId");
        shibuya.post("/pos/v1/sales", sale(card, line(100), ", \"tenders\": [{\"type\": \"POINTS\", "
                + "\"amount\": 30, \"holdId\": \"" + hold + "\"}, {\"type\": \"CASH\", \"amount\": 70}]"), null)
                .expect(201);
        assertEquals(20, identify(card).number("/points/available"));

        String voidBody = "{\"businessDay\": \"2026-04-01\", \"receiptNumber\": \"" + number + "\"}";
        Reply voided = shibuya.post("/pos/v1/voids", voidBody, null).expect(201);
        assertEquals(50, voided.number("/pointsReversed"));
        assertEquals(-30, voided.number("/balance/available"), "30 of the 50 were spent: the member owes them");
        assertEquals("true", shibuya.post("/pos/v1/voids", voidBody, null).expect(200).at("/replay"));
        shibuya.post("/pos/v1/returns", returning(number, null), null).problem(409, "return_exceeds_sale");

        shibuya.post("/pos/v1/sales", sale(card, line(4000), ""), null).expect(201);
        assertEquals(10, identify(card).number("/points/available"), "the next 40 points settle the debt first");
    }

    private static String returning(String original, String lines) {
        return "{\"businessDay\": \"2026-04-02\", \"receiptNumber\": \"RT" + (++receipts) + "\", "
                + "\"original\": {\"terminal\": \"01\", \"businessDay\": \"2026-04-01\", \"receiptNumber\": \""
                + original + "\"}" + (lines == null ? "" : ", \"lines\": " + lines) + "}";
    }

    private static Reply identify(String card) {
        return shibuya.post("/pos/v1/identify", "{\"scan\": \"" + card + "\"}", null).expect(200);
    }

    private static String memberCard(String name) {
        String member = ADMIN.enroll(name);
        return ADMIN.get("/api/v1/members/" + member).at("/cards/0/number");
    }

    private static String sale(String card, String lines, String extra) {
        return "{\"businessDay\": \"2026-04-01\", \"receiptNumber\": \"R" + (++receipts) + "\", "
                + (card == null ? "" : "\"card\": \"" + card + "\", ")
                + "\"currency\": \"JPY\", \"lines\": [" + lines + "]" + extra + "}";
    }

    private static String line(long amount) {
        return "{\"lineNumber\": 1, \"sku\": \"4901234567894\", \"quantity\": 1, \"unitPrice\": " + amount
                + ", \"amount\": " + amount + ", \"discount\": 0}";
    }

    private static void put(String sku, String name, String category, boolean excluded) {
        TestServer.admin().send(TestServer.admin().request("/api/v1/products/" + sku)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\", \"category\": \""
                        + category + "\", \"excludedFromEarning\": " + excluded + "}")).build()).expect(200);
    }
}
