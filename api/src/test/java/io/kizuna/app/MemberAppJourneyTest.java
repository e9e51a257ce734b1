package io.kizuna.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.kizuna.app.AppClients.AppMember;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** A member's life in the app over real HTTP: sign up, show the card, earn at a till, see points and expiry. */
class MemberAppJourneyTest {
    private static AppTill till;

    @BeforeAll
    static void aStoreWithATill() {
        till = AppTill.open();
    }

    @AfterEach
    void ledgerBalances() {
        TestServer.admin().assertLedgerBalanced();
    }

    @Test
    void theCardPicturesDecodeToExactlyTheCardNumber() throws Exception {
        AppMember member = AppClients.signUp("Picture Taker");
        String card = member.get("/app/v1/card").expect(200).at("/number");
        assertEquals(card, member.get("/app/v1/me").expect(200).at("/cards/0/number"));

        Result code128 = decode(png(member, "/app/v1/card.png?format=code128"));
        assertEquals(BarcodeFormat.CODE_128, code128.getBarcodeFormat());
        assertEquals(card, code128.getText());
        Result qr = decode(png(member, "/app/v1/card.png?format=qr"));
        assertEquals(BarcodeFormat.QR_CODE, qr.getBarcodeFormat());
        assertEquals(card, qr.getText());

        BufferedImage bars = ImageIO.read(new ByteArrayInputStream(png(member, "/app/v1/card.png")));
        for (int x = 0; x < 10 * 4; x++) {
            assertEquals(0xFFFFFFFF, bars.getRGB(x, 0), "ten light modules of quiet zone before the first bar");
            assertEquals(0xFFFFFFFF, bars.getRGB(bars.getWidth() - 1 - x, 0), "and after the last one");
        }
        assertEquals(0xFF000000, bars.getRGB(10 * 4, 0), "then the first (dark) bar");

        for (String format : new String[] {"code128", "qr"}) {
            Reply svg = member.get("/app/v1/card.svg?format=" + format).expect(200);
            assertEquals("image/svg+xml", svg.contentType());
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.text().getBytes()));
            assertEquals("svg", document.getDocumentElement().getLocalName());
            assertEquals("http://www.w3.org/2000/svg", document.getDocumentElement().getNamespaceURI());
            assertEquals(card, document.getElementsByTagName("title").item(0).getTextContent());
        }
    }

    @Test
    void aSaleIdentifiedByTheRotatingCodeCreditsTheMemberAndTheAppShowsIt() {
        AppMember member = AppClients.signUp("Code Shower");
        String card = member.get("/app/v1/card").expect(200).at("/number");
        Reply code = member.get("/app/v1/card/code").expect(200);
        assertEquals(card, code.at("/card"));
        assertTrue(code.at("/code").matches("9[0-9]{23}"), code.at("/code"));
        assertNotEquals(card, code.at("/code"));

        Reply identified = till.identify("]Q1" + code.at("/code")).expect(200);
        assertEquals(card, identified.at("/card"), "identify resolves the code to the card the till sells to");
        assertEquals("C*** S*****", identified.at("/member/maskedName"));
        String receipt = till.sell(identified.at("/card"), 2480);

        Reply points = member.get("/app/v1/points").expect(200);
        assertEquals(24, points.number("/available"));
        assertEquals(0, points.number("/pending"));
        YearMonth earned = YearMonth.from(TestServer.CLOCK.instant().atZone(ZoneId.of("Asia/Tokyo")));
        assertEquals(earned.plusMonths(12).toString(), points.at("/expiring/0/month"));
        assertEquals(24, points.number("/expiring/0/points"));

        Reply history = member.get("/app/v1/points/history").expect(200);
        assertEquals("EARN", history.at("/items/0/code"));
        assertEquals(24, history.number("/items/0/points"));
        assertEquals(till.store, history.at("/items/0/where/store"));
        assertEquals("01", history.at("/items/0/where/terminal"));
        assertEquals(receipt, history.at("/items/0/where/receiptNumber"));
        assertEquals("2026-04-01", history.at("/items/0/where/businessDay"));
        assertEquals("base", history.at("/items/0/rules/0/ruleId"));
        assertEquals(24, history.number("/items/0/rules/0/points"));
    }

    @Test
    void historyPagesWithACursor() {
        AppMember member = AppClients.signUp("Pager");
        String card = member.get("/app/v1/card").expect(200).at("/number");
        String first = till.sell(card, 100);
        String second = till.sell(card, 200);
        String third = till.sell(card, 300);
        Reply page = member.get("/app/v1/points/history?limit=2").expect(200);
        assertEquals(third, page.at("/items/0/where/receiptNumber"));
        assertEquals(second, page.at("/items/1/where/receiptNumber"));
        Reply next = member.get("/app/v1/points/history?limit=2&cursor=" + page.at("/nextCursor")).expect(200);
        assertEquals(1, next.json().at("/items").size());
        assertEquals(first, next.at("/items/0/where/receiptNumber"));
        assertTrue(absent(next, "/nextCursor"), "the last page has no cursor");
    }

    @Test
    void aScreenshotOfTheCodeStopsWorkingAndForgedCodesAreRefused() {
        AppMember member = AppClients.signUp("Screenshot");
        String card = member.get("/app/v1/card").expect(200).at("/number");
        String code = member.get("/app/v1/card/code").expect(200).at("/code");
        till.identify(code).expect(200);

        String lastDigit = code.substring(23);
        String forged = code.substring(0, 23) + (lastDigit.equals("0") ? "1" : "0");
        till.identify(forged).problem(400, "card_code_invalid");
        String otherCard = AppClients.signUp("Victim").get("/app/v1/card").expect(200).at("/number");
        till.identify("9" + otherCard + code.substring(14)).problem(400, "card_code_invalid");

        TestServer.CLOCK.advance(Duration.ofSeconds(61));
        till.identify(code).problem(400, "card_code_expired");
        String fresh = member.get("/app/v1/card/code").expect(200).at("/code");
        assertNotEquals(code, fresh);
        assertEquals(card, till.identify(fresh).expect(200).at("/card"));
    }

    @Test
    void aPlasticCardWithItsLastPurchaseJoinsTheAppWithItsPoints() {
        String card = TestServer.admin().post("/api/v1/cards", "{\"kind\": \"PHYSICAL\"}").expect(201)
                .at("/card/number");
        till.sell(card, 1500);
        String address = AppClients.newAddress();
        String email = AppClients.newEmail("plastic");
        String signUp = """
                {"email": "%s", "password": "%s", "card": {"number": "%s", "lastPurchaseTotal": %d}}""";
        AppClients.anonymous("POST", "/app/v1/accounts", signUp.formatted(email, AppClients.PASSWORD, card, 1499),
                address).problem(403, "card_check_failed");
        AppClients.anonymous("POST", "/app/v1/accounts", signUp.formatted(email, AppClients.PASSWORD, card, 1500),
                address).expect(201);

        AppMember member = AppClients.member(AppClients.signIn(email, AppClients.PASSWORD, address).expect(201),
                email);
        assertEquals(card, member.get("/app/v1/card").expect(200).at("/number"));
        assertEquals(15, member.get("/app/v1/points").expect(200).number("/available"));
        Reply history = member.get("/app/v1/points/history").expect(200);
        assertEquals("CARD_REGISTRATION", history.at("/items/0/code"));
        assertEquals(15, history.number("/items/0/points"));
        assertEquals(member.id(), TestServer.admin().get("/api/v1/cards/" + card).expect(200).at("/memberId"));
        AppClients.anonymous("POST", "/app/v1/accounts", signUp.formatted(AppClients.newEmail("thief"),
                AppClients.PASSWORD, card, 1500), address).problem(409, "card_already_registered");
    }

    @Test
    void tokensRefreshRotateAndSignOutRevokes() {
        AppMember member = AppClients.signUp("Refresher");
        Reply renewed = AppClients.anonymous("POST", "/app/v1/sessions/refresh",
                "{\"refreshToken\": \"" + member.refresh() + "\"}", AppClients.newAddress()).expect(200);
        assertNotEquals(member.refresh(), renewed.at("/refreshToken"));
        AppClients.anonymous("POST", "/app/v1/sessions/refresh",
                "{\"refreshToken\": \"" + member.refresh() + "\"}", AppClients.newAddress())
                .problem(401, "unauthenticated");
        AppMember again = AppClients.member(renewed, member.email());
        again.get("/app/v1/me").expect(200);

        AppClients.send(again, "DELETE", "/app/v1/sessions/current", null).expect(204);
        again.get("/app/v1/me").problem(401, "unauthenticated");
        member.get("/app/v1/me").problem(401, "unauthenticated");
        AppClients.anonymous("POST", "/app/v1/sessions/refresh",
                "{\"refreshToken\": \"" + renewed.at("/refreshToken") + "\"}", AppClients.newAddress())
                .problem(401, "unauthenticated");
    }

    @Test
    void passwordChangeRevokesOtherSessionsAndTheNewPasswordSignsIn() {
        AppMember phone = AppClients.signUp("Changer");
        AppMember tablet = AppClients.member(AppClients.signIn(phone.email(), AppClients.PASSWORD,
                AppClients.newAddress()).expect(201), phone.email());
        AppClients.send(phone, "PUT", "/app/v1/me/password",
                "{\"currentPassword\": \"wrong password!\", \"newPassword\": \"a brand new secret\"}")
                .problem(403, "password_mismatch");
        AppClients.send(phone, "PUT", "/app/v1/me/password",
                "{\"currentPassword\": \"" + AppClients.PASSWORD + "\", \"newPassword\": \"a brand new secret\"}")
                .expect(204);
        phone.get("/app/v1/me").expect(200);
        tablet.get("/app/v1/me").problem(401, "unauthenticated");
        AppClients.signIn(phone.email(), AppClients.PASSWORD, AppClients.newAddress()).problem(401, "unauthenticated");
        AppClients.signIn(phone.email(), "a brand new secret", AppClients.newAddress()).expect(201);
    }

    @Test
    void consentsTierOffersAndSurveys() {
        AppMember member = AppClients.signUp("Voice");
        Reply consents = member.get("/app/v1/consents").expect(200);
        assertEquals("true", consents.at("/marketingMessages"));
        assertEquals("false", consents.at("/analyticsUse"));
        Reply changed = AppClients.send(member, "PUT", "/app/v1/consents", "{\"analyticsUse\": true}").expect(200);
        assertEquals("true", changed.at("/marketingMessages"));
        assertEquals("true", changed.at("/analyticsUse"));
        assertEquals("true", TestServer.admin().get("/api/v1/members/" + member.id()).at("/consents/analyticsUse"));

        Reply tier = member.get("/app/v1/tier").expect(200);
        assertEquals("Regular", tier.at("/current/name"), "a new member is in the lowest tier");
        assertEquals("Silver", tier.at("/next/name"));
        assertTrue(absent(tier, "/keep"), "nothing to keep in the lowest tier");
        assertEquals(0, member.get("/app/v1/offers").expect(200).json().at("/items").size());

        AppClients.send(member, "POST", "/app/v1/surveys/nps", "{\"score\": 9, \"comment\": \"Quick tills\"}")
                .expect(201);
        Reply export = member.get("/app/v1/me/export").expect(200);
        assertEquals(9, export.number("/surveys/0/score"));
        assertEquals("Quick tills", export.at("/surveys/0/comment"));
        assertEquals(member.email(), export.at("/member/email"));
        assertEquals("Voice", export.at("/member/profile/name"));
        assertEquals(1, export.json().at("/sessions").size());
    }

    private static boolean absent(Reply reply, String pointer) {
        return reply.json().at(pointer).isMissingNode() || reply.json().at(pointer).isNull();
    }

    private static byte[] png(AppMember member, String path) {
        HttpResponse<byte[]> response;
        try {
            response = java.net.http.HttpClient.newHttpClient().send(member.app().request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertEquals(200, response.statusCode());
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        return response.body();
    }

    private static Result decode(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
    }
}
