package io.kizuna.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import io.kizuna.app.AppClients.AppMember;
import io.kizuna.app.AppProtocol.AppProfile;
import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.Export;
import io.kizuna.db.UuidConverter;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.RowCounts;
import io.kizuna.testing.TestServer;
import io.kizuna.web.JsonMapper;
import org.junit.jupiter.api.Test;

/**
 * Deleting an account erases the member's personal data and stops their card and tokens, while the ledger keeps
 * every transfer: the audit stays clean and the program's totals do not move.
 */
class AccountDeletionTest {
    private static final ApiClient ADMIN = TestServer.admin();

    @Test
    void afterDeletionNothingPersonalRemainsTheCardIdentifiesNobodyAndTheLedgerIsUnchanged() throws Exception {
        AppTill till = AppTill.open();
        AppMember member = AppClients.signUp("Erased Person");
        String card = member.get("/app/v1/card").expect(200).at("/number");
        till.sell(card, 3000);
        AppClients.send(member, "POST", "/app/v1/surveys/nps", "{\"score\": 4, \"comment\": \"My name is Erased\"}")
                .expect(201);
        String code = member.get("/app/v1/card/code").expect(200).at("/code");
        UUID session = new AccessTokens(TestServer.APP_TOKEN_SECRET.getBytes(StandardCharsets.UTF_8),
                TestServer.CLOCK).verify(member.access()).sessionId();
        Reply auditBefore = ADMIN.get("/api/v1/ledger/audit").expect(200);

        Map<String, Long> rows = RowCounts.snapshot();
        AppClients.send(member, "DELETE", "/app/v1/me", "{\"password\": \"not my password\"}")
                .problem(403, "password_mismatch");
        rows.put("app_failed_attempt", rows.get("app_failed_attempt") + 2); // the wrong password counts, nothing else
        assertEquals(rows, RowCounts.snapshot());
        AppClients.send(member, "DELETE", "/app/v1/me", "{\"password\": \"" + AppClients.PASSWORD + "\"}")
                .expect(204);

        member.get("/app/v1/me").problem(401, "unauthenticated");
        AppClients.signIn(member.email(), AppClients.PASSWORD, AppClients.newAddress()).problem(401, "unauthenticated");
        AppClients.anonymous("POST", "/app/v1/sessions/refresh", "{\"refreshToken\": \"" + member.refresh() + "\"}",
                AppClients.newAddress()).problem(401, "unauthenticated");
        till.identify(card).problem(409, "card_not_active");
        till.identify(code).problem(409, "card_not_active");

        Reply staffView = ADMIN.get("/api/v1/members/" + member.id()).expect(200);
        assertEquals("CLOSED", staffView.at("/status"));
        assertTrue(staffView.json().at("/profile/name").isMissingNode() || staffView.json().at("/profile/name")
                .isNull(), staffView.text());
        assertFalse(staffView.text().contains("Erased"), staffView.text());
        assertFalse(staffView.text().contains(member.email()), staffView.text());
        assertEquals("BLOCKED", staffView.at("/cards/0/status"));

        Export export = TestServer.get().core().memberApp.export(new AppSession(UUID.fromString(member.id()), session));
        String exported = JsonMapper.create().writeValueAsString(export);
        assertFalse(exported.contains("Erased"), exported);
        assertFalse(exported.contains(member.email()), exported);
        assertNull(export.member().email());
        assertEquals(AppProfile.EMPTY, export.member().profile());
        assertEquals(4, export.surveys().getFirst().score(), "the score stays for analytics");
        assertNull(export.surveys().getFirst().comment());
        assertTrue(export.sessions().stream().allMatch(s -> s.revokedAt() != null));
        assertEquals(30, export.balance().available(), "the points stay on the books");
        assertEquals(0, count("SELECT COUNT(*) FROM app_account WHERE member_id = ?", member.id()));

        Reply auditAfter = ADMIN.get("/api/v1/ledger/audit").expect(200);
        assertEquals(true, auditAfter.json().at("/balanced").asBoolean(), auditAfter.text());
        assertEquals(auditBefore.json().at("/totals"), auditAfter.json().at("/totals"));
        assertEquals(auditBefore.json().at("/transfers"), auditAfter.json().at("/transfers"));
        assertEquals(0, auditAfter.number("/sumOfAllBalances"));
    }

    private static long count(String sql, String memberId) throws Exception {
        try (Connection connection = TestServer.get().database().dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setBytes(1, UuidConverter.toBytes(UUID.fromString(memberId)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
