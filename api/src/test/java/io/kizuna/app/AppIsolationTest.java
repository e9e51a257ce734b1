package io.kizuna.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kizuna.app.AppClients.AppMember;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A member's token reaches that member's data only, on every /app/v1 route the OpenAPI document lists; and
 * tokens that are expired, forged or signed with another key get nowhere.
 */
class AppIsolationTest {
    /** A request per authenticated route, in an order that leaves the destructive ones for last. */
    private static final Map<String, String> BODIES = new LinkedHashMap<>();

    static {
        BODIES.put("GET /app/v1/me", null);
        BODIES.put("GET /app/v1/me/export", null);
        BODIES.put("GET /app/v1/consents", null);
        BODIES.put("PUT /app/v1/consents", "{\"marketingMessages\": false, \"analyticsUse\": true}");
        BODIES.put("GET /app/v1/card", null);
        BODIES.put("GET /app/v1/card.png", null);
        BODIES.put("GET /app/v1/card.svg", null);
        BODIES.put("GET /app/v1/card/code", null);
        BODIES.put("GET /app/v1/points", null);
        BODIES.put("GET /app/v1/points/history", null);
        BODIES.put("GET /app/v1/tier", null);
        BODIES.put("GET /app/v1/offers", null);
        BODIES.put("POST /app/v1/offers/{offerId}/entry", null);
        BODIES.put("POST /app/v1/surveys/nps", "{\"score\": 3, \"comment\": \"from A\"}");
        BODIES.put("PUT /app/v1/me/password", "{\"currentPassword\": \"" + AppClients.PASSWORD
                + "\", \"newPassword\": \"another long secret\"}");
        BODIES.put("DELETE /app/v1/sessions/current", null);
        BODIES.put("DELETE /app/v1/me", "{\"password\": \"another long secret\"}");
    }

    @Test
    void memberAsTokenNeverReadsOrChangesAnythingOfMemberB() {
        assertEquals(AppRoutes.documented(), union(BODIES.keySet(), AppRoutes.OPEN),
                "every documented /app/v1 route is walked (or is one of the three open ones)");
        AppMember a = AppClients.signUp("Alice Anders");
        AppMember b = AppClients.signUp("Bob Brown");
        AppClients.send(b, "POST", "/app/v1/surveys/nps", "{\"score\": 10, \"comment\": \"from B\"}").expect(201);
        String bCard = b.get("/app/v1/card").expect(200).at("/number");
        String bExport = export(b);

        for (var route : BODIES.entrySet()) {
            String method = AppRoutes.method(route.getKey());
            // No campaign runs on the shared server: an offer id is never A's, so entering it is a 404.
            boolean offerEntry = route.getKey().contains("{offerId}");
            String path = AppRoutes.path(route.getKey()).replace("{offerId}", UUID.randomUUID().toString());
            if (route.getKey().equals("DELETE /app/v1/me") || route.getKey().startsWith("DELETE /app/v1/sessions")) {
                // A fresh session of A for each destructive step: the previous one may be signed out by now.
                a = AppClients.member(AppClients.signIn(a.email(), "another long secret", AppClients.newAddress())
                        .expect(201), a.email());
            }
            for (String target : new String[] {path, path + "?memberId=" + b.id() + "&card=" + bCard}) {
                Reply reply = AppClients.send(a, method, target, route.getValue());
                assertTrue(offerEntry ? reply.status() == 404 : reply.status() < 300,
                        () -> route.getKey() + " as A: " + reply.status() + " " + reply.text());
                for (String secret : new String[] {b.id(), b.email(), "Bob", bCard, "from B"}) {
                    assertFalse(reply.text().contains(secret), () -> route.getKey() + " showed B's " + secret);
                }
                if (!method.equals("GET")) {
                    break; // changes are made once; reads are tried with B's id and card slipped in as well
                }
            }
        }
        assertEquals(bExport, export(b), "B's data is exactly as it was");
        Reply card = TestServer.admin().get("/api/v1/cards/" + bCard).expect(200);
        assertEquals("ACTIVE", card.at("/status"));
        assertEquals(b.id(), card.at("/memberId"));
        b.get("/app/v1/me").expect(200);
        assertEquals("ACTIVE", TestServer.admin().get("/api/v1/members/" + b.id()).expect(200).at("/status"));
    }

    @Test
    void expiredForgedAndForeignTokensAreRefusedOnEveryRoute() {
        AppMember a = AppClients.signUp("Token Holder");
        AppMember b = AppClients.signUp("Token Target");
        AccessTokens.Claims claims = new AccessTokens(secret(), TestServer.CLOCK).verify(a.access());
        Instant later = TestServer.CLOCK.instant().plus(Duration.ofMinutes(10));

        String genuine = new AccessTokens(secret(), TestServer.CLOCK)
                .issue(new AccessTokens.Claims(claims.memberId(), claims.sessionId(), later));
        TestServer.as(genuine).get("/app/v1/me").expect(200); // the way these tokens are made here is right
        String otherKey = new AccessTokens("some-other-key-that-is-long-enough-1234".getBytes(StandardCharsets.UTF_8),
                TestServer.CLOCK).issue(new AccessTokens.Claims(claims.memberId(), claims.sessionId(), later));
        String swapped = forgeMember(a.access(), UUID.fromString(b.id()));
        String garbage = "kz1.bm90IGEgdG9rZW4." + "AAAA";

        for (String token : new String[] {otherKey, swapped, garbage, a.access() + "x", "", b.refresh()}) {
            walkRefused(TestServer.as(token), token);
        }
        TestServer.CLOCK.advance(Duration.ofMinutes(16));
        walkRefused(a.app(), "expired");
        Reply renewed = AppClients.anonymous("POST", "/app/v1/sessions/refresh",
                "{\"refreshToken\": \"" + a.refresh() + "\"}", AppClients.newAddress()).expect(200);
        TestServer.as(renewed.at("/accessToken")).get("/app/v1/me").expect(200);
    }

    private static void walkRefused(ApiClient client, String what) {
        for (String route : BODIES.keySet()) {
            Reply reply = AppClients.send(client, AppRoutes.method(route),
                    AppRoutes.path(route).replace("{offerId}", UUID.randomUUID().toString()), BODIES.get(route),
                    AppClients.newAddress());
            reply.problem(401, "unauthenticated");
            assertFalse(reply.text().contains("Exception"), what);
        }
    }

    /** A's token with B's member id in the payload, and A's MAC: the MAC no longer fits. */
    private static String forgeMember(String token, UUID member) {
        String[] parts = token.split("\\.");
        byte[] payload = java.util.Base64.getUrlDecoder().decode(parts[1]);
        java.nio.ByteBuffer.wrap(payload).putLong(member.getMostSignificantBits())
                .putLong(member.getLeastSignificantBits());
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "."
                + parts[2];
    }

    private static byte[] secret() {
        return TestServer.APP_TOKEN_SECRET.getBytes(StandardCharsets.UTF_8);
    }

    private static String export(AppMember member) {
        Reply export = member.get("/app/v1/me/export").expect(200);
        ((ObjectNode) export.json()).remove("exportedAt");
        return export.json().toString();
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
