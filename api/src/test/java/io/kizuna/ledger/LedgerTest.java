package io.kizuna.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.YearMonth;
import java.util.List;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Commands.Adjust;
import io.kizuna.ledger.Commands.Capture;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Commands.Hold;
import io.kizuna.ledger.Commands.Redeem;
import io.kizuna.ledger.Commands.Release;
import io.kizuna.ledger.Commands.Reverse;
import io.kizuna.persistence.IdempotencyRetention;
import io.kizuna.web.IdempotencyKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static LedgerFixture fixture;
    private static int keys;

    @BeforeAll
    static void start() {
        fixture = new LedgerFixture("ledger");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @AfterEach
    void ledgerStillBalances() {
        fixture.assertBalanced();
    }

    private static IdempotencyKey key() {
        return new IdempotencyKey("k-" + (++keys));
    }

    @Test
    void replayingAKeyAnswersTheFirstResultAndSaysSo() {
        AccountId wallet = fixture.newWallet();
        IdempotencyKey key = key();
        TransferReceipt first = fixture.points.earn(key, Earn.posted(wallet, Points.of(100), Memo.reference("r1")));
        TransferReceipt again = fixture.points.earn(key, Earn.posted(wallet, Points.of(100), Memo.reference("r1")));

        assertFalse(first.replay());
        assertTrue(again.replay());
        assertEquals(first.transferId(), again.transferId());
        assertEquals(100, fixture.points.balance(wallet).available(), "the replay moved no points");
    }

    @Test
    void aKeyIsRememberedForTheRetentionPeriodAndThenForgotten() {
        AccountId wallet = fixture.newWallet();
        IdempotencyKey key = key();
        IdempotencyRetention retention = new IdempotencyRetention(fixture.transactions, Duration.ofDays(30),
                fixture.clock);
        fixture.points.earn(key, Earn.posted(wallet, Points.of(100), Memo.NONE));

        fixture.clock.advance(Duration.ofDays(29));
        retention.purge();
        assertTrue(fixture.points.earn(key, Earn.posted(wallet, Points.of(100), Memo.NONE)).replay(),
                "within the retention the key still answers its first result");

        fixture.clock.advance(Duration.ofDays(2));
        IdempotencyRetention.Purge purge = retention.purge();
        assertTrue(purge.removed() >= 1);
        assertFalse(fixture.points.earn(key, Earn.posted(wallet, Points.of(100), Memo.NONE)).replay(),
                "after it the key is forgotten and the command runs as a new one");
        assertEquals(200, fixture.points.balance(wallet).available());
        fixture.clock.advance(Duration.ofDays(-31));
    }

    @Test
    void reusingAKeyForADifferentRequestIsAConflictAndChangesNothing() {
        AccountId wallet = fixture.newWallet();
        IdempotencyKey key = key();
        fixture.points.earn(key, Earn.posted(wallet, Points.of(100), Memo.NONE));

        KizunaException conflict = assertThrows(KizunaException.class,
                () -> fixture.points.earn(key, Earn.posted(wallet, Points.of(999), Memo.NONE)));

        assertEquals(ErrorCode.IDEMPOTENCY_CONFLICT, conflict.code());
        assertEquals(100, fixture.points.balance(wallet).available());
    }

    @Test
    void redemptionsConsumeTheLotsThatExpireFirstAndExpiryTakesTheRest() {
        AccountId wallet = fixture.newWallet();
        fixture.clock.set(java.time.Instant.parse("2026-01-15T03:00:00Z"));
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(100), Memo.NONE)); // valid through 2027-01
        fixture.clock.set(java.time.Instant.parse("2026-03-10T03:00:00Z"));
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(50), Memo.NONE));  // valid through 2027-03

        fixture.points.redeem(key(), new Redeem(wallet, Points.of(30), Memo.NONE));

        assertEquals(List.of(new Balance.ExpiringPoints(YearMonth.of(2027, 1), 70),
                        new Balance.ExpiringPoints(YearMonth.of(2027, 3), 50)),
                fixture.points.balance(wallet).expiring(), "the 30 points came out of the January lot");

        fixture.clock.set(java.time.Instant.parse("2027-01-31T14:59:59Z")); // 23:59:59 in Tokyo: still valid
        fixture.points.runExpiry();
        assertEquals(120, fixture.points.balance(wallet).available());

        fixture.clock.set(java.time.Instant.parse("2027-01-31T15:00:00Z")); // 1 February in Tokyo
        ExpiryRun run = fixture.points.runExpiry();
        assertTrue(run.pointsExpired() >= 70);
        Balance after = fixture.points.balance(wallet);
        assertEquals(50, after.available());
        assertEquals(List.of(new Balance.ExpiringPoints(YearMonth.of(2027, 3), 50)), after.expiring());
        assertEquals(0, fixture.points.runExpiry().pointsExpired(), "expiry happens once");
    }

    @Test
    void pointsPastTheirExpiryCannotBeSpentBeforeTheExpiryJobComesBy() {
        AccountId wallet = fixture.newWallet();
        fixture.clock.set(java.time.Instant.parse("2026-01-15T03:00:00Z"));
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(100), Memo.NONE)); // valid through 2027-01
        fixture.clock.set(java.time.Instant.parse("2026-03-10T03:00:00Z"));
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(50), Memo.NONE));  // valid through 2027-03
        fixture.clock.set(java.time.Instant.parse("2027-02-01T00:00:00Z")); // the January lot is past its expiry

        KizunaException refused = assertThrows(KizunaException.class,
                () -> fixture.points.hold(key(), new Hold(wallet, Points.of(60), Memo.NONE, Duration.ofMinutes(15))));
        assertEquals(ErrorCode.INSUFFICIENT_POINTS, refused.code());
        assertEquals(150, fixture.points.balance(wallet).available(), "a refused hold changes nothing");

        fixture.points.redeem(key(), new Redeem(wallet, Points.of(40), Memo.NONE));
        Balance after = fixture.points.balance(wallet);
        assertEquals(10, after.available(), "the redemption expired the 100 due points first, then spent 40 of 50");
        assertEquals(List.of(new Balance.ExpiringPoints(YearMonth.of(2027, 3), 10)), after.expiring());
        fixture.points.runExpiry();
        assertEquals(after, fixture.points.balance(wallet), "the job finds nothing of this wallet left to expire");
    }

    @Test
    void aHoldIsCapturedOrReleasedExactlyOnce() {
        AccountId wallet = fixture.newWallet();
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(200), Memo.NONE));
        TransferReceipt hold = fixture.points.hold(key(), new Hold(wallet, Points.of(150), Memo.NONE,
                Duration.ofMinutes(15)));
        assertEquals(new WalletBalance(50, 0, 150), hold.balance());

        TransferReceipt captured = fixture.points.capture(key(), new Capture(hold.transferId(), Points.of(120)));
        assertEquals(new WalletBalance(80, 0, 0), captured.balance(), "30 of the hold came back");

        KizunaException again = assertThrows(KizunaException.class,
                () -> fixture.points.release(key(), new Release(hold.transferId())));
        assertEquals(ErrorCode.PENDING_TRANSFER_RESOLVED, again.code());
    }

    @Test
    void anUncapturedHoldExpiresAndAPendingEarnPostsWhenTheReturnWindowPasses() {
        AccountId wallet = fixture.newWallet();
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(100), Memo.NONE));
        fixture.points.hold(key(), new Hold(wallet, Points.of(60), Memo.NONE, Duration.ofMinutes(15)));
        fixture.points.earn(key(), Earn.pending(wallet, Points.of(40), Memo.NONE, Duration.ofDays(14)));
        assertEquals(new Balance(wallet, 40, 40, 60, fixture.points.balance(wallet).expiring()),
                fixture.points.balance(wallet));

        fixture.clock.advance(Duration.ofMinutes(16));
        ExpiryRun first = fixture.points.runExpiry();
        assertTrue(first.holdsExpired() >= 1);
        assertEquals(100, fixture.points.balance(wallet).available());

        fixture.clock.advance(Duration.ofDays(14));
        fixture.points.runExpiry();
        Balance after = fixture.points.balance(wallet);
        assertEquals(140, after.available());
        assertEquals(0, after.pending());
        fixture.clock.advance(Duration.ofDays(-14).minusMinutes(16));
    }

    @Test
    void redemptionNeverTakesAWalletBelowZero() {
        AccountId wallet = fixture.newWallet();
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(10), Memo.NONE));
        KizunaException refused = assertThrows(KizunaException.class,
                () -> fixture.points.redeem(key(), new Redeem(wallet, Points.of(11), Memo.NONE)));
        assertEquals(ErrorCode.INSUFFICIENT_POINTS, refused.code());
        assertEquals(10, fixture.points.balance(wallet).available());
    }

    @Test
    void aClawbackOfSpentPointsLeavesADebtThatTheNextEarnSettles() {
        AccountId wallet = fixture.newWallet();
        TransferReceipt earn = fixture.points.earn(key(), Earn.posted(wallet, Points.of(100), Memo.NONE));
        fixture.points.redeem(key(), new Redeem(wallet, Points.of(80), Memo.NONE));

        TransferReceipt reversal = fixture.points.reverse(key(), Reverse.all(earn.transferId(), Memo.NONE));
        assertEquals(-80, reversal.balance().available());

        fixture.points.earn(key(), Earn.posted(wallet, Points.of(100), Memo.NONE));
        Balance after = fixture.points.balance(wallet);
        assertEquals(20, after.available());
        assertEquals(20, after.expiring().stream().mapToLong(Balance.ExpiringPoints::points).sum());

        KizunaException twice = assertThrows(KizunaException.class,
                () -> fixture.points.reverse(key(), new Reverse(earn.transferId(), Points.of(1), Memo.NONE)));
        assertEquals(ErrorCode.REVERSAL_EXCEEDS_ORIGINAL, twice.code());
    }

    @Test
    void reversingARedemptionGivesThePointsBackToTheirLots() {
        AccountId wallet = fixture.newWallet();
        fixture.points.earn(key(), Earn.posted(wallet, Points.of(100), Memo.NONE));
        TransferReceipt redemption = fixture.points.redeem(key(), new Redeem(wallet, Points.of(60), Memo.NONE));
        fixture.points.reverse(key(), new Reverse(redemption.transferId(), Points.of(25), Memo.NONE));
        TransferReceipt rest = fixture.points.reverse(key(), Reverse.all(redemption.transferId(), Memo.NONE));
        assertEquals(35, rest.points());
        assertEquals(100, rest.balance().available());
    }

    @Test
    void aPendingEarnCanShrinkBeforeItPostsAndThenOnlyTheRestPostsDatedFromTheEarn() {
        AccountId wallet = fixture.newWallet();
        java.time.Instant start = fixture.clock.instant();
        fixture.clock.set(java.time.Instant.parse("2026-01-30T03:00:00Z"));
        TransferReceipt pending = fixture.points.earn(key(), Earn.pending(wallet, Points.of(10), Memo.NONE,
                Duration.ofDays(14)));
        fixture.clock.set(java.time.Instant.parse("2026-02-03T03:00:00Z"));
        TransferId replacement = fixture.transactions.inTransaction(em ->
                fixture.ledger.reducePending(em, pending.transferId(), 3, Memo.reference("return:1")).orElseThrow());
        assertEquals(7, fixture.points.balance(wallet).pending());
        assertEquals(new Ledger.Settlement.Gone(), fixture.transactions.inTransaction(em ->
                fixture.ledger.settlementOf(em, pending.transferId())));

        fixture.clock.set(java.time.Instant.parse("2026-02-14T03:00:00Z"));
        fixture.points.runExpiry();
        fixture.clock.set(start);
        Balance after = fixture.points.balance(wallet);
        assertEquals(7, after.available());
        assertEquals(0, after.pending());
        assertEquals(List.of(new Balance.ExpiringPoints(YearMonth.of(2027, 1), 7)), after.expiring(),
                "the points were earned in January, whenever they posted");
        Ledger.Settlement settled = fixture.transactions.inTransaction(em ->
                fixture.ledger.settlementOf(em, replacement));
        assertTrue(settled instanceof Ledger.Settlement.Posted, settled.toString());
    }

    @Test
    void adjustmentsNeedAReasonAndAnActorAndLandInHistory() {
        AccountId wallet = fixture.newWallet();
        assertThrows(KizunaException.class, () -> new Adjust(wallet, 10, Memo.reference("x")));
        fixture.points.adjust(key(), new Adjust(wallet, 10, new Memo(null, "goodwill", "admin:alice")));
        fixture.points.adjust(key(), new Adjust(wallet, -4, new Memo(null, "typo", "admin:alice")));
        HistoryPage page = fixture.points.history(wallet, null, 1);
        assertEquals(-4, page.items().getFirst().points());
        assertEquals("typo", page.items().getFirst().reason());
        HistoryPage next = fixture.points.history(wallet, page.nextCursor(), 10);
        assertEquals(10, next.items().getFirst().points());
        assertEquals(null, next.nextCursor());
    }
}
