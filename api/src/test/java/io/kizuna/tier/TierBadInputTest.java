package io.kizuna.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.util.stream.Stream;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.BadRequest;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tier lists that do not make a program (overlapping ranks, thresholds that do not rise, negative multipliers...)
 * get a 400 problem+json, through PUT and through a simulation alike, and change nothing: no row anywhere, and the
 * tiers in force stay as they were.
 */
class TierBadInputTest {
    private static final ApiClient ADMIN = TestServer.admin();
    private static String auditorKey;
    private static String tiersBefore;

    @BeforeAll
    static void aMemberHoldingATier() {
        Shop shop = Shop.open();
        Shop.Member member = Shop.enroll("Tier Bad Input", false);
        shop.sale(member.card(), LocalDate.parse("2026-04-01"), Shop.line("4901234567894", "FOOD", 500));
        auditorKey = ADMIN.post("/api/v1/staff/credentials", "{\"name\": \"tier-auditor\", \"role\": \"AUDITOR\"}")
                .expect(201).at("/key");
        tiersBefore = ADMIN.get("/api/v1/tiers").expect(200).text();
    }

    @AfterEach
    void tiersUnchanged() {
        assertEquals(tiersBefore, ADMIN.get("/api/v1/tiers").expect(200).text());
    }

    private static String tier(String code, int rank, String threshold, String multiplier) {
        return "{\"code\": \"" + code + "\", \"name\": \"" + code + "\", \"rank\": " + rank + ", \"threshold\": "
                + threshold + ", \"multiplier\": " + multiplier + "}";
    }

    private static String list(String... tiers) {
        return "{\"tiers\": [" + String.join(", ", tiers) + "]}";
    }

    private static Reply put(ApiClient api, String json) {
        return api.send(api.request("/api/v1/tiers").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Stream<Arguments> badLists() {
        String regular = tier("REGULAR", 1, "0", "1");
        return Stream.of(
                new BadRequest("two tiers with one rank", 400, "invalid_request",
                        api -> put(api, list(regular, tier("SILVER", 2, "100", "1.2"), tier("GOLD", 2, "200", "2")))),
                new BadRequest("thresholds not rising with rank", 400, "invalid_request",
                        api -> put(api, list(regular, tier("SILVER", 2, "500", "1.2"), tier("GOLD", 3, "400", "2")))),
                new BadRequest("equal thresholds", 400, "invalid_request",
                        api -> put(api, list(regular, tier("SILVER", 2, "500", "1.2"), tier("GOLD", 3, "500", "2")))),
                new BadRequest("negative multiplier", 400, "invalid_request",
                        api -> put(api, list(regular, tier("SILVER", 2, "500", "-1.5")))),
                new BadRequest("multiplier below one", 400, "invalid_request",
                        api -> put(api, list(regular, tier("SILVER", 2, "500", "0.5")))),
                new BadRequest("multiplier with three decimals", 400, "invalid_request",
                        api -> put(api, list(regular, tier("SILVER", 2, "500", "1.255")))),
                new BadRequest("negative threshold", 400, "invalid_request",
                        api -> put(api, list(tier("REGULAR", 1, "-1", "1")))),
                new BadRequest("lowest tier not open to everyone", 400, "invalid_request",
                        api -> put(api, list(tier("REGULAR", 1, "10", "1")))),
                new BadRequest("one code twice", 400, "invalid_request",
                        api -> put(api, list(regular, tier("REGULAR", 2, "500", "1.2")))),
                new BadRequest("code not upper case", 400, "invalid_request",
                        api -> put(api, list(regular, tier("gold", 2, "500", "1.2")))),
                new BadRequest("rank zero", 400, "invalid_request",
                        api -> put(api, list(tier("REGULAR", 0, "0", "1")))),
                new BadRequest("no tiers", 400, "invalid_request", api -> put(api, list())),
                new BadRequest("no name", 400, "invalid_request", api -> put(api,
                        "{\"tiers\": [{\"code\": \"REGULAR\", \"rank\": 1, \"threshold\": 0, \"multiplier\": 1}]}")),
                new BadRequest("unknown field", 400, "malformed_json", api -> put(api, "{\"tiers\": [{\"code\": "
                        + "\"REGULAR\", \"name\": \"R\", \"rank\": 1, \"threshold\": 0, \"multiplier\": 1, \"x\": 1}]}")),
                new BadRequest("malformed JSON", 400, "malformed_json", api -> put(api, "{\"tiers\": [")),
                new BadRequest("dropping a tier members hold", 400, "invalid_request",
                        api -> put(api, list(tier("BASIC", 1, "0", "1"), tier("PREMIUM", 2, "500", "2")))),
                new BadRequest("a bad list to simulate", 400, "invalid_request",
                        api -> api.post("/api/v1/tiers/simulations",
                                list(regular, tier("SILVER", 2, "500", "-2")))),
                new BadRequest("an auditor may not change tiers", 403, "forbidden",
                        api -> put(TestServer.as(auditorKey), list(regular))),
                new BadRequest("an auditor may not run a review", 403, "forbidden",
                        api -> TestServer.as(auditorKey).post("/api/v1/tiers/reviews", "{}")),
                new BadRequest("a member id that is not an id", 404, "member_not_found",
                        api -> api.get("/api/v1/tiers/members/12345")),
                new BadRequest("an unknown member", 404, "member_not_found",
                        api -> api.get("/api/v1/tiers/members/" + java.util.UUID.randomUUID()))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLists")
    void isRefusedWithAProblemAndChangesNothing(BadRequest bad) {
        bad.assertRefused(ADMIN);
    }
}
