package io.kizuna.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.kizuna.app.AppClients.AppMember;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.BadRequest;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input on every /app/v1 route gets a 4xx problem+json with a stable code and writes nothing at all. */
class AppBadInputTest {
    private static final String ADDRESS = AppClients.newAddress();
    private static AppMember member;
    private static AppTill till;
    private static final List<Case> CASES = new ArrayList<>();

    private record Case(String route, BadRequest bad) {
    }

    @BeforeAll
    static void aMemberWithPoints() {
        member = AppClients.signUp("Bad Input");
        till = AppTill.open();
        till.sell(member.get("/app/v1/card").expect(200).at("/number"), 1000);
        String existing = member.email();
        String plastic = TestServer.admin().post("/api/v1/cards", "{\"kind\": \"PHYSICAL\"}").expect(201)
                .at("/card/number");
        String signUp = "{\"email\": \"%s\", \"password\": \"" + AppClients.PASSWORD + "\"%s}";
        String fresh = AppClients.newEmail("fresh");
        String badCheckDigit = plastic.substring(0, 12) + (char) ('0' + (plastic.charAt(12) - '0' + 1) % 10);

        open("POST /app/v1/accounts", "malformed JSON", 400, "malformed_json", "{\"email\": ");
        open("POST /app/v1/accounts", "empty body", 400, "malformed_json", "");
        open("POST /app/v1/accounts", "unknown field", 400, "malformed_json", signUp.formatted(fresh, ", \"pin\": 1"));
        open("POST /app/v1/accounts", "email missing", 400, "invalid_request", "{\"password\": \"long enough pw\"}");
        open("POST /app/v1/accounts", "not an email", 400, "invalid_request", signUp.formatted("nobody", ""));
        open("POST /app/v1/accounts", "short password", 400, "invalid_request",
                "{\"email\": \"" + fresh + "\", \"password\": \"short\"}");
        open("POST /app/v1/accounts", "born in the future", 400, "invalid_request",
                signUp.formatted(fresh, ", \"profile\": {\"birthDate\": \"2100-01-01\"}"));
        open("POST /app/v1/accounts", "unknown gender", 400, "invalid_request",
                signUp.formatted(fresh, ", \"profile\": {\"gender\": \"DRAGON\"}"));
        open("POST /app/v1/accounts", "consent as a string", 400, "malformed_json",
                signUp.formatted(fresh, ", \"consents\": {\"marketingMessages\": \"yes\"}"));
        open("POST /app/v1/accounts", "card with a wrong check digit", 400, "invalid_card_number",
                signUp.formatted(fresh, ", \"card\": {\"number\": \"" + badCheckDigit
                        + "\", \"lastPurchaseTotal\": 1}"));
        open("POST /app/v1/accounts", "card without its check", 400, "invalid_request",
                signUp.formatted(fresh, ", \"card\": {\"number\": \"" + plastic + "\"}"));
        open("POST /app/v1/accounts", "email taken", 409, "already_exists", signUp.formatted(existing, ""));
        open("POST /app/v1/accounts", "email taken in other case", 409, "already_exists",
                signUp.formatted(existing.toUpperCase(java.util.Locale.ROOT), ""));
        open("POST /app/v1/sessions", "password missing", 400, "invalid_request", "{\"email\": \"" + existing + "\"}");
        open("POST /app/v1/sessions", "email as a number", 400, "malformed_json",
                "{\"email\": 5, \"password\": \"x\"}");
        open("POST /app/v1/sessions/refresh", "made-up refresh token", 401, "unauthenticated",
                "{\"refreshToken\": \"kzr_made-up\"}");
        open("POST /app/v1/sessions/refresh", "refresh token missing", 401, "unauthenticated", "{}");
        open("POST /app/v1/sessions/refresh", "refresh token as an array", 400, "malformed_json",
                "{\"refreshToken\": []}");

        signedIn("DELETE /app/v1/sessions/current", "no token", 401, "unauthenticated", null, false);
        signedIn("PUT /app/v1/me/password", "new password too short", 400, "invalid_request",
                "{\"currentPassword\": \"" + AppClients.PASSWORD + "\", \"newPassword\": \"short\"}", true);
        signedIn("PUT /app/v1/me/password", "current password missing", 400, "invalid_request",
                "{\"newPassword\": \"long enough now\"}", true);
        signedIn("GET /app/v1/me", "no token", 401, "unauthenticated", null, false);
        signedIn("DELETE /app/v1/me", "no body", 400, "malformed_json", null, true);
        signedIn("DELETE /app/v1/me", "password missing", 400, "invalid_request", "{}", true);
        signedIn("DELETE /app/v1/me", "no token", 401, "unauthenticated", "{\"password\": \"x\"}", false);
        signedIn("GET /app/v1/me/export", "no token", 401, "unauthenticated", null, false);
        signedIn("GET /app/v1/consents", "no token", 401, "unauthenticated", null, false);
        signedIn("PUT /app/v1/consents", "nothing to change", 400, "invalid_request", "{}", true);
        signedIn("PUT /app/v1/consents", "consent as a string", 400, "malformed_json",
                "{\"analyticsUse\": \"yes\"}", true);
        signedIn("PUT /app/v1/consents", "form instead of JSON", 415, "unsupported_media_type", null, true);
        signedIn("GET /app/v1/card", "no token", 401, "unauthenticated", null, false);
        signedIn("GET /app/v1/card.png?format=pdf", "unknown picture format", 400, "invalid_request", null, true);
        signedIn("GET /app/v1/card.svg?format=ean13", "unknown picture format", 400, "invalid_request", null, true);
        signedIn("GET /app/v1/card/code", "no token", 401, "unauthenticated", null, false);
        signedIn("GET /app/v1/points", "no token", 401, "unauthenticated", null, false);
        signedIn("GET /app/v1/points/history?limit=0", "limit 0", 400, "invalid_request", null, true);
        signedIn("GET /app/v1/points/history?limit=x", "limit not a number", 400, "invalid_request", null, true);
        signedIn("GET /app/v1/points/history?cursor=nope", "cursor not given out", 400, "invalid_request", null, true);
        signedIn("GET /app/v1/tier", "no token", 401, "unauthenticated", null, false);
        offerEntry("unknown offer", 404, "not_found", java.util.UUID.randomUUID().toString(), true);
        offerEntry("offer id not an id", 404, "not_found", "not-an-id", true);
        offerEntry("no token", 401, "unauthenticated", java.util.UUID.randomUUID().toString(), false);
        signedIn("GET /app/v1/offers", "no token", 401, "unauthenticated", null, false);
        signedIn("POST /app/v1/surveys/nps", "score 11", 400, "invalid_request", "{\"score\": 11}", true);
        signedIn("POST /app/v1/surveys/nps", "score -1", 400, "invalid_request", "{\"score\": -1}", true);
        signedIn("POST /app/v1/surveys/nps", "score missing", 400, "invalid_request", "{\"comment\": \"hi\"}", true);
        signedIn("POST /app/v1/surveys/nps", "fractional score", 400, "malformed_json", "{\"score\": 9.5}", true);
        signedIn("POST /app/v1/surveys/nps", "comment too long", 400, "invalid_request",
                "{\"score\": 5, \"comment\": \"" + "x".repeat(1001) + "\"}", true);
        CASES.add(new Case("-", new BadRequest("unknown app route", 404, "not_found",
                app -> AppClients.send(app, "GET", "/app/v1/nothing-here", null, ADDRESS))));
        CASES.add(new Case("-", new BadRequest("rotating code with a bad card check digit at the till", 400,
                "card_code_invalid", app -> till.identify("9" + badCheckDigit + "0123456789"))));
    }

    @AfterEach
    void ledgerBalances() {
        TestServer.admin().assertLedgerBalanced();
    }

    static Stream<Arguments> badRequests() {
        return CASES.stream().map(c -> Arguments.of(c.route() + ": " + c.bad().name(), c.bad()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedAndChangesNothing(String name, BadRequest bad) {
        bad.assertRefused(member.app());
    }

    @Test
    void everyDocumentedRouteHasBadInputCases() {
        Set<String> covered = new TreeSet<>();
        CASES.stream().map(Case::route).filter(route -> !route.equals("-"))
                .map(route -> route.replaceAll("\\?.*", "")).forEach(covered::add);
        AppRoutes.assertCovers(covered, "the bad input cases");
    }

    private static void open(String route, String name, int status, String code, String json) {
        CASES.add(new Case(route, new BadRequest(name, status, code,
                app -> AppClients.anonymous(AppRoutes.method(route), AppRoutes.path(route), json, ADDRESS))));
    }

    private static void offerEntry(String name, int status, String code, String offerId, boolean withToken) {
        CASES.add(new Case("POST /app/v1/offers/{offerId}/entry", new BadRequest(name, status, code, app ->
                AppClients.send(withToken ? app : TestServer.as(null), "POST", "/app/v1/offers/" + offerId + "/entry",
                        null, ADDRESS))));
    }

    /** With the member's token, or with none at all when {@code withToken} is false. */
    private static void signedIn(String route, String name, int status, String code, String json, boolean withToken) {
        CASES.add(new Case(route, new BadRequest(name, status, code, app -> {
            ApiClient client = withToken ? app : TestServer.as(null);
            if (code.equals("unsupported_media_type")) {
                return client.send(client.request(AppRoutes.path(route)).header("Content-Type", "text/plain")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("analyticsUse=true")).build());
            }
            Reply reply = AppClients.send(client, AppRoutes.method(route), AppRoutes.path(route), json, ADDRESS);
            return reply;
        })));
    }
}
