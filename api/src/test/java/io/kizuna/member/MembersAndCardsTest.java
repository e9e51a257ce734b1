package io.kizuna.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import io.kizuna.Kizuna;
import io.kizuna.card.CardNumber;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Commands.Redeem;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.Points;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.TestServer;
import io.kizuna.web.IdempotencyKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Members and cards over real HTTP, with points moved through the running server's own ledger. */
class MembersAndCardsTest {
    private final ApiClient admin = TestServer.admin();
    private final Kizuna.Core core = TestServer.get().core();

    @AfterEach
    void ledgerBalances() {
        admin.assertLedgerBalanced();
    }

    @Test
    void enrolReadUpdateAndCloseAMember() {
        Reply enrolled = admin.post("/api/v1/members", """
                {"profile": {"name": "佐藤 花子", "nameKana": "サトウ ハナコ", "email": "hanako@example.jp",
                             "birthDate": "1990-05-17", "gender": "FEMALE", "postalCode": "150-0001",
                             "prefecture": "東京都"},
                 "consents": {"marketingMessages": true, "analyticsUse": false},
                 "card": "PHYSICAL"}""").expect(201);
        String id = enrolled.at("/member/id");
        assertEquals("ACTIVE", enrolled.at("/member/status"));
        String card = enrolled.at("/member/cards/0/number");
        assertEquals(13, card.length());

        Reply read = admin.get("/api/v1/members/" + id).expect(200);
        assertEquals("佐藤 花子", read.at("/profile/name"));
        assertEquals("true", read.at("/consents/marketingMessages"));

        Reply updated = admin.patch("/api/v1/members/" + id,
                "{\"consents\": {\"marketingMessages\": false, \"analyticsUse\": true}}").expect(200);
        assertEquals("false", updated.at("/consents/marketingMessages"));
        assertEquals("true", updated.at("/consents/analyticsUse"));
        assertEquals("佐藤 花子", updated.at("/profile/name"), "a change of consents keeps the profile");

        assertEquals("SUSPENDED", admin.post("/api/v1/members/" + id + "/suspend", "").expect(200).at("/status"));
        assertEquals("ACTIVE", admin.post("/api/v1/members/" + id + "/reactivate", "").expect(200).at("/status"));
        assertEquals("CLOSED", admin.post("/api/v1/members/" + id + "/close", "").expect(200).at("/status"));
        admin.post("/api/v1/members/" + id + "/reactivate", "").problem(409, "member_not_active");
        admin.patch("/api/v1/members/" + id, "{\"consents\": {\"marketingMessages\": true, \"analyticsUse\": true}}")
                .problem(409, "member_not_active");
    }

    @Test
    void enrolmentIsIdempotent() {
        String body = "{\"profile\": {\"name\": \"Idem Potent\"}}";
        String key = UUID.randomUUID().toString();
        Reply first = admin.post("/api/v1/members", body, key).expect(201);
        Reply again = admin.post("/api/v1/members", body, key).expect(200);
        assertEquals(first.at("/member/id"), again.at("/member/id"));
        assertEquals("true", again.at("/replay"));
        admin.post("/api/v1/members", "{\"profile\": {\"name\": \"Someone Else\"}}", key)
                .problem(409, "idempotency_conflict");
    }

    @Test
    void cardNumbersCarryTheGs1CheckDigitAndTheProgramPrefix() {
        String number = admin.post("/api/v1/cards", "{\"kind\": \"PHYSICAL\"}").expect(201).at("/card/number");
        assertTrue(number.startsWith("29"), number);
        assertEquals(CardNumber.checkDigit(number.substring(0, 12)), number.charAt(12) - '0');
        assertEquals(4, CardNumber.checkDigit("490123456789"), "GS1's published example 4901234567894");
        assertEquals("2901234567896", new CardNumber("2901234567896").value());
        admin.get("/api/v1/cards/2901234567894").problem(400, "invalid_card_number");
    }

    @Test
    void registeringACardMovesWhatItEarnedToTheMember() {
        String card = admin.post("/api/v1/cards", "{\"kind\": \"PHYSICAL\"}").expect(201).at("/card/number");
        var cardWallet = core.cards.walletOf(new CardNumber(card));
        core.points.earn(key(), Earn.posted(cardWallet, Points.of(120), Memo.reference("receipt-1")));
        core.points.earn(key(), Earn.pending(cardWallet, Points.of(30), Memo.reference("receipt-2"),
                Duration.ofDays(14)));
        assertEquals(120, admin.get("/api/v1/cards/" + card + "/balance").expect(200).number("/available"));

        String member = admin.enroll("Card Holder");
        Reply registered = admin.post("/api/v1/cards/" + card + "/register", "{\"memberId\": \"" + member + "\"}")
                .expect(200);
        assertEquals(120, registered.number("/pointsMoved"));

        Reply balance = admin.get("/api/v1/members/" + member + "/balance").expect(200);
        assertEquals(120, balance.number("/available"));
        assertEquals(30, balance.number("/pending"), "pending points follow the card too");
        assertEquals(0, core.points.balance(cardWallet).available(), "the card's own wallet is empty");
        assertEquals(core.members.walletOf(MemberId.parse(member)), core.cards.walletOf(new CardNumber(card)),
                "once registered the card earns for its member");
        admin.post("/api/v1/cards/" + card + "/register", "{\"memberId\": \"" + admin.enroll("Other") + "\"}")
                .problem(409, "card_already_registered");
    }

    @Test
    void aLostCardIsBlockedAndReplacedAndTheBalanceStays() {
        String member = admin.enroll("Loses Cards");
        String card = admin.get("/api/v1/members/" + member).at("/cards/0/number");
        core.points.earn(key(), Earn.posted(core.members.walletOf(MemberId.parse(member)), Points.of(500),
                Memo.NONE));

        Reply replaced = admin.post("/api/v1/cards/" + card + "/replace", "{\"kind\": \"PHYSICAL\"}").expect(201);
        String newCard = replaced.at("/card/number");
        assertNotEquals(card, newCard);

        Reply old = admin.get("/api/v1/cards/" + card).expect(200);
        assertEquals("BLOCKED", old.at("/status"));
        assertEquals(newCard, old.at("/replacedBy"));
        assertEquals(member, admin.get("/api/v1/cards/" + newCard).at("/memberId"));
        assertEquals(500, admin.get("/api/v1/members/" + member + "/balance").number("/available"));
        assertEquals(500, core.points.balance(core.cards.walletOf(new CardNumber(newCard))).available(),
                "the new card reaches the same wallet");
        admin.post("/api/v1/cards/" + card + "/register", "{\"memberId\": \"" + member + "\"}")
                .problem(409, "card_already_registered");
    }

    @Test
    void mergingTwoRecordsOfOnePersonKeepsEveryPoint() {
        String survivor = admin.enroll("Same Person");
        String duplicate = admin.enroll("Same Person (duplicate)");
        var survivorWallet = core.members.walletOf(MemberId.parse(survivor));
        var duplicateWallet = core.members.walletOf(MemberId.parse(duplicate));
        core.points.earn(key(), Earn.posted(survivorWallet, Points.of(100), Memo.NONE));
        core.points.earn(key(), Earn.posted(duplicateWallet, Points.of(250), Memo.NONE));
        core.points.redeem(key(), new Redeem(duplicateWallet, Points.of(50), Memo.NONE));
        core.points.earn(key(), Earn.pending(duplicateWallet, Points.of(40), Memo.NONE, Duration.ofDays(7)));
        long expiringBefore = core.points.balance(duplicateWallet).expiring().getFirst().points();
        String duplicateCard = admin.get("/api/v1/members/" + duplicate).at("/cards/0/number");

        Reply merged = admin.post("/api/v1/members/" + survivor + "/merge",
                "{\"mergedMemberId\": \"" + duplicate + "\"}").expect(200);
        assertEquals(200, merged.number("/pointsMoved"));

        Reply balance = admin.get("/api/v1/members/" + survivor + "/balance").expect(200);
        assertEquals(300, balance.number("/available"));
        assertEquals(40, balance.number("/pending"));
        assertEquals(0, core.points.balance(duplicateWallet).available());
        assertEquals(expiringBefore + 100, balance.json().at("/expiring/0/points").asLong(),
                "merged points keep their expiry month");
        Reply duplicateRecord = admin.get("/api/v1/members/" + duplicate).expect(200);
        assertEquals("MERGED", duplicateRecord.at("/status"));
        assertEquals(survivor, duplicateRecord.at("/mergedInto"));
        assertEquals(survivor, admin.get("/api/v1/cards/" + duplicateCard).at("/memberId"),
                "the duplicate's card now identifies the survivor");
        admin.post("/api/v1/members/" + survivor + "/merge", "{\"mergedMemberId\": \"" + survivor + "\"}")
                .problem(409, "merge_not_allowed");
    }

    @Test
    void staffAdjustmentsAndReversalsLandInHistoryAndTheAuditLog() {
        String member = admin.enroll("Adjusted");
        Reply adjustment = admin.post("/api/v1/members/" + member + "/adjustments",
                "{\"points\": 75, \"reason\": \"compensation for a broken till\"}").expect(201);
        String transfer = adjustment.at("/transferId");
        assertEquals(75, adjustment.number("/balance/available"));

        Reply reversal = admin.post("/api/v1/transfers/" + transfer + "/reversals",
                "{\"points\": 25, \"reason\": \"over-compensated\"}").expect(201);
        assertEquals(50, reversal.number("/balance/available"));

        Reply history = admin.get("/api/v1/members/" + member + "/transfers?limit=1").expect(200);
        assertEquals("REVERSAL", history.at("/items/0/code"));
        assertEquals(-25, history.number("/items/0/points"));
        assertEquals(transfer, history.at("/items/0/reversesId"));
        Reply older = admin.get("/api/v1/members/" + member + "/transfers?cursor=" + history.at("/nextCursor"))
                .expect(200);
        assertEquals("ADJUSTMENT", older.at("/items/0/code"));
        assertEquals("admin:bootstrap-admin", older.at("/items/0/actor"));
        assertFalse(older.json().has("nextCursor"));

        Reply log = admin.get("/api/v1/audit-log?limit=5").expect(200);
        assertEquals("ledger.reverse", log.at("/0/action"));
        assertEquals("ledger.adjust", log.at("/1/action"));
        assertEquals("admin:bootstrap-admin", log.at("/1/actor"));
    }

    @Test
    void expiryRunsOnDemandAndTakesOnlyWhatIsDue() {
        String member = admin.enroll("Expires");
        var wallet = core.members.walletOf(MemberId.parse(member));
        core.points.earn(key(), Earn.posted(wallet, Points.of(10), Memo.NONE));
        String month = admin.get("/api/v1/members/" + member + "/balance").at("/expiring/0/month");
        assertEquals(java.time.YearMonth.from(TestServer.CLOCK.instant().atZone(java.time.ZoneId.of("Asia/Tokyo")))
                .plusMonths(12).toString(), month);
        admin.post("/api/v1/ledger/expiry-runs", "").expect(200);
        assertEquals(10, admin.get("/api/v1/members/" + member + "/balance").number("/available"));
    }

    private static IdempotencyKey key() {
        return new IdempotencyKey(UUID.randomUUID().toString());
    }
}
