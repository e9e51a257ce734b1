package io.kizuna.web;

import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.stream.Stream;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.BadRequest;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input of every kind gets a 4xx problem+json with a stable code, and writes nothing at all. */
class BadInputTest {
    private static final ApiClient ADMIN = TestServer.admin();
    private static String member;
    private static String marketerKey;

    @BeforeAll
    static void aMemberWithPoints() {
        member = ADMIN.enroll("Bad Input Target");
        ADMIN.post("/api/v1/members/" + member + "/adjustments", "{\"points\": 100, \"reason\": \"seed\"}")
                .expect(201);
        marketerKey = ADMIN.post("/api/v1/staff/credentials", "{\"name\": \"bad-input-marketer\", "
                + "\"role\": \"MARKETER\"}").expect(201).at("/key");
    }

    @AfterEach
    void ledgerBalances() {
        ADMIN.assertLedgerBalanced();
    }

    static Stream<Arguments> badRequests() {
        String adjust = "/api/v1/members/%s/adjustments";
        return Stream.of(
                new BadRequest("malformed JSON", 400, "malformed_json",
                        api -> api.post("/api/v1/members", "{\"profile\": ")),
                new BadRequest("JSON null body", 400, "malformed_json", api -> api.post("/api/v1/members", "null")),
                new BadRequest("empty body", 400, "malformed_json", api -> api.post("/api/v1/members", "")),
                new BadRequest("unknown field", 400, "malformed_json",
                        api -> api.post("/api/v1/members", "{\"profile\": {\"nickname\": \"x\"}}")),
                new BadRequest("points as a string", 400, "malformed_json",
                        api -> api.post(adjust.formatted(member), "{\"points\": \"12\", \"reason\": \"r\"}")),
                new BadRequest("fractional points", 400, "malformed_json",
                        api -> api.post(adjust.formatted(member), "{\"points\": 1.5, \"reason\": \"r\"}")),
                new BadRequest("zero points", 400, "invalid_request",
                        api -> api.post(adjust.formatted(member), "{\"points\": 0, \"reason\": \"r\"}")),
                new BadRequest("absurd points", 400, "invalid_request",
                        api -> api.post(adjust.formatted(member), "{\"points\": 1000000000000, \"reason\": \"r\"}")),
                new BadRequest("adjustment without reason", 400, "invalid_request",
                        api -> api.post(adjust.formatted(member), "{\"points\": 5}")),
                new BadRequest("negative reversal", 400, "invalid_request",
                        api -> api.post("/api/v1/transfers/" + UUID.randomUUID() + "/reversals",
                                "{\"points\": -5, \"reason\": \"r\"}")),
                new BadRequest("debit beyond the balance", 409, "insufficient_points",
                        api -> api.post(adjust.formatted(member), "{\"points\": -101, \"reason\": \"r\"}")),
                new BadRequest("unknown member", 404, "member_not_found",
                        api -> api.post(adjust.formatted(UUID.randomUUID()), "{\"points\": 5, \"reason\": \"r\"}")),
                new BadRequest("member id that is not an id", 404, "member_not_found",
                        api -> api.get("/api/v1/members/12345")),
                new BadRequest("unknown transfer", 404, "transfer_not_found",
                        api -> api.post("/api/v1/transfers/" + UUID.randomUUID() + "/reversals",
                                "{\"reason\": \"r\"}")),
                new BadRequest("bad check digit", 400, "invalid_card_number",
                        api -> api.post("/api/v1/cards/2901234567894/register",
                                "{\"memberId\": \"" + member + "\"}")),
                new BadRequest("card number too short", 400, "invalid_card_number",
                        api -> api.get("/api/v1/cards/290123")),
                new BadRequest("invalid email", 400, "invalid_request",
                        api -> api.post("/api/v1/members", "{\"profile\": {\"email\": \"not-an-email\"}}")),
                new BadRequest("birth date in the future", 400, "invalid_request",
                        api -> api.post("/api/v1/members", "{\"profile\": {\"birthDate\": \"2999-01-01\"}}")),
                new BadRequest("unknown enum value", 400, "malformed_json",
                        api -> api.post("/api/v1/cards", "{\"kind\": \"PAPER\"}")),
                new BadRequest("oversized body", 413, "payload_too_large",
                        api -> api.post("/api/v1/members", "{\"profile\": {\"name\": \""
                                + "x".repeat(20_000) + "\"}}")),
                new BadRequest("not JSON content", 415, "unsupported_media_type",
                        api -> api.send(api.request("/api/v1/members").header("Content-Type", "text/plain")
                                .header("Idempotency-Key", "k").POST(HttpRequest.BodyPublishers.ofString("hi"))
                                .build())),
                new BadRequest("missing Idempotency-Key", 400, "idempotency_key_required",
                        api -> api.post("/api/v1/members", "{}", null)),
                new BadRequest("unknown route", 404, "not_found", api -> api.get("/api/v1/nothing-here")),
                new BadRequest("missing credentials", 401, "unauthenticated",
                        api -> TestServer.as(null).post("/api/v1/members", "{}")),
                new BadRequest("wrong credentials", 401, "unauthenticated",
                        api -> TestServer.as("kz_not-a-real-key").post("/api/v1/members", "{}")),
                new BadRequest("role without the permission", 403, "forbidden",
                        api -> TestServer.as(marketerKey).post(adjust.formatted(member),
                                "{\"points\": 5, \"reason\": \"r\"}"))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndWritesNothing(BadRequest bad) {
        bad.assertRefused(ADMIN);
    }
}
