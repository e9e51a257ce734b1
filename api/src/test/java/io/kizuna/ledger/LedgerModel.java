package io.kizuna.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.kizuna.error.ErrorCode;

/**
 * A deliberately simple, in-memory points ledger written from the ledger's rules, not from {@link Ledger}'s code:
 * the oracle that {@link LedgerModelTest} compares the real ledger with after every step. Wallets and transfers
 * are plain integers (their order of creation); the test maps them to the real ids.
 *
 * <p>Only the vocabulary (codes, phases, error codes) is shared with production; every rule is restated here.
 */
final class LedgerModel {
    static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    static final int NO_SUCH_TRANSFER = -1;
    private static final int VALID_MONTHS = 12;

    /** What a caller asks for. Equal commands are the same request, which is what idempotency compares. */
    sealed interface Command permits Earn, Redeem, Hold, Capture, Release, Reverse, Adjust {
    }

    /** Points earned, posted now or pending for {@code window} (null: posted now). */
    record Earn(int wallet, long points, Duration window) implements Command {
    }

    record Redeem(int wallet, long points) implements Command {
    }

    record Hold(int wallet, long points, Duration timeout) implements Command {
    }

    /** Posts a pending transfer: all of it ({@code points} null) or part of it. */
    record Capture(int pending, Long points) implements Command {
    }

    record Release(int pending) implements Command {
    }

    /** Reverses what is left of a transfer ({@code points} null) or part of it. */
    record Reverse(int original, Long points) implements Command {
    }

    /** A manual correction: positive credits, negative debits. */
    record Adjust(int wallet, long points) implements Command {
    }

    record Receipt(int transfer, TransferCode code, TransferPhase phase, long points, int wallet,
                   WalletBalance balance) {
    }

    /** Either a receipt (maybe a replay of an earlier one) or the error the ledger must answer. */
    record Outcome(Receipt receipt, boolean replay, ErrorCode error) {
        static Outcome refused(ErrorCode error) {
            return new Outcome(null, false, error);
        }
    }

    record ExpiryOutcome(int pendingPosted, int holdsExpired, int walletsExpired, long pointsExpired,
                         List<Transfer> written) {
    }

    record Totals(long outstanding, long pending, long held, long issued, long redeemed, long expired) {
    }

    /** The program's own accounts, on the other side of every transfer that touches a wallet. */
    enum Program { ISSUANCE, REDEMPTION, ADJUSTMENT, EXPIRY }

    static final class Wallet {
        long posted;
        long pendingCredits;
        long pendingDebits;
        final List<Lot> lots = new ArrayList<>();

        long available() {
            return posted - pendingDebits;
        }

        long debt() {
            return Math.max(0, -available());
        }
    }

    static final class Lot {
        final int order;
        final long amount;
        long remaining;
        final Instant expiresAt;
        final YearMonth lastValidMonth;

        Lot(int order, long amount, Instant earnedAt) {
            this.order = order;
            this.amount = amount;
            this.remaining = amount;
            this.lastValidMonth = YearMonth.from(earnedAt.atZone(ZONE)).plusMonths(VALID_MONTHS);
            this.expiresAt = lastValidMonth.atEndOfMonth().plusDays(1).atStartOfDay(ZONE).toInstant();
        }
    }

    /** One transfer. {@code intoWallet}: the wallet is credited (earn, positive adjustment, clawback reversed). */
    static final class Transfer {
        final int id;
        final int wallet;
        final TransferCode code;
        final TransferPhase phase;
        final long amount;
        final boolean intoWallet;
        final Program program;
        final Instant createdAt;
        Instant timeoutAt;
        boolean open;
        int resolves = NO_SUCH_TRANSFER;
        int reverses = NO_SUCH_TRANSFER;
        long reversed;
        Lot lot;
        /** Net change this transfer made to each lot's remainder. */
        final Map<Lot, Long> lotChanges = new LinkedHashMap<>();

        Transfer(int id, int wallet, TransferCode code, TransferPhase phase, long amount, boolean intoWallet,
                 Program program, Instant createdAt) {
            this.id = id;
            this.wallet = wallet;
            this.code = code;
            this.phase = phase;
            this.amount = amount;
            this.intoWallet = intoWallet;
            this.program = program;
            this.createdAt = createdAt;
        }

        boolean isReversible() {
            boolean posted = phase == TransferPhase.SINGLE || phase == TransferPhase.POST;
            return posted && (code == TransferCode.EARN || code == TransferCode.REDEMPTION
                    || code == TransferCode.ADJUSTMENT);
        }

        long reversible() {
            return amount - reversed;
        }
    }

    /** A rule refusing a command; thrown before the command changed anything. */
    private static final class Refused extends RuntimeException {
        final ErrorCode error;

        Refused(ErrorCode error) {
            super(error.code(), null, false, false);
            this.error = error;
        }
    }

    private record Stored(Command command, Receipt receipt) {
    }

    private final List<Wallet> wallets = new ArrayList<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final Map<Program, Long> programBalances = new HashMap<>();
    private final Map<String, Stored> keys = new HashMap<>();
    private int lotsCreated;

    int addWallet() {
        wallets.add(new Wallet());
        return wallets.size() - 1;
    }

    Wallet wallet(int wallet) {
        return wallets.get(wallet);
    }

    List<Transfer> transfers() {
        return transfers;
    }

    int lotCount() {
        return lotsCreated;
    }

    /** Runs a command once per key: the same key and command answer the first receipt, another command conflicts. */
    Outcome submit(String key, Command command, Instant now) {
        Stored earlier = keys.get(key);
        if (earlier != null) {
            return earlier.command().equals(command)
                    ? new Outcome(earlier.receipt(), true, null)
                    : Outcome.refused(ErrorCode.IDEMPOTENCY_CONFLICT);
        }
        try {
            Receipt receipt = run(command, now);
            keys.put(key, new Stored(command, receipt));
            return new Outcome(receipt, false, null);
        } catch (Refused refused) {
            return Outcome.refused(refused.error);
        }
    }

    private Receipt run(Command command, Instant now) {
        return switch (command) {
            case Earn earn -> earn(earn, now);
            case Redeem redeem -> spend(redeem.wallet(), redeem.points(), TransferCode.REDEMPTION,
                    Program.REDEMPTION, now);
            case Hold hold -> hold(hold, now);
            case Capture capture -> capture(capture, now);
            case Release release -> release(release, now);
            case Reverse reverse -> reverse(reverse, now);
            case Adjust adjust -> adjust(adjust, now);
        };
    }

    private Receipt adjust(Adjust adjust, Instant now) {
        if (adjust.points() < 0) {
            return spend(adjust.wallet(), -adjust.points(), TransferCode.ADJUSTMENT, Program.ADJUSTMENT, now);
        }
        return receipt(credit(write(adjust.wallet(), TransferCode.ADJUSTMENT, TransferPhase.SINGLE, adjust.points(),
                true, Program.ADJUSTMENT, now), now));
    }

    private Receipt earn(Earn earn, Instant now) {
        if (earn.window() == null) {
            return receipt(credit(write(earn.wallet(), TransferCode.EARN, TransferPhase.SINGLE, earn.points(), true,
                    Program.ISSUANCE, now), now));
        }
        Transfer pending = write(earn.wallet(), TransferCode.EARN, TransferPhase.PENDING, earn.points(), true,
                Program.ISSUANCE, now);
        pending.timeoutAt = now.plus(earn.window());
        pending.open = true;
        wallet(earn.wallet()).pendingCredits += earn.points();
        return receipt(pending);
    }

    private Receipt spend(int walletId, long points, TransferCode code, Program program, Instant now) {
        requireAvailable(walletId, points + dueForExpiry(walletId, now));
        expireDue(walletId, now);
        Transfer spent = write(walletId, code, TransferPhase.SINGLE, points, false, program, now);
        post(spent);
        consume(spent, points, null);
        return receipt(spent);
    }

    private Receipt hold(Hold hold, Instant now) {
        requireAvailable(hold.wallet(), hold.points() + dueForExpiry(hold.wallet(), now));
        expireDue(hold.wallet(), now);
        Transfer pending = write(hold.wallet(), TransferCode.REDEMPTION, TransferPhase.PENDING, hold.points(), false,
                Program.REDEMPTION, now);
        pending.timeoutAt = now.plus(hold.timeout());
        pending.open = true;
        wallet(hold.wallet()).pendingDebits += hold.points();
        consume(pending, hold.points(), null);
        return receipt(pending);
    }

    private Receipt capture(Capture capture, Instant now) {
        Transfer pending = find(capture.pending());
        long points = capture.points() == null ? pending.amount : capture.points();
        if (points > pending.amount) {
            throw new Refused(ErrorCode.INVALID_REQUEST);
        }
        if (pending.phase == TransferPhase.PENDING && pending.open && !pending.intoWallet
                && !now.isBefore(pending.timeoutAt)) {
            throw new Refused(ErrorCode.HOLD_EXPIRED);
        }
        return resolve(pending, TransferPhase.POST, points, now);
    }

    private Receipt release(Release release, Instant now) {
        Transfer pending = find(release.pending());
        return resolve(pending, TransferPhase.VOID, pending.amount, now);
    }

    /**
     * Posts, voids or expires a pending transfer exactly once. A posted earn becomes a lot dated when it was
     * earned; whatever a hold does not post goes back to the lots it came from. A hold past its timeout can no
     * longer be captured (its points are on their way back), only released or expired.
     */
    private Receipt resolve(Transfer pending, TransferPhase outcome, long points, Instant now) {
        if (pending.phase != TransferPhase.PENDING) {
            throw new Refused(ErrorCode.INVALID_REQUEST);
        }
        if (!pending.open) {
            throw new Refused(ErrorCode.PENDING_TRANSFER_RESOLVED);
        }
        pending.open = false;
        Transfer resolution = write(pending.wallet, pending.code, outcome, points, pending.intoWallet,
                pending.program, now);
        resolution.resolves = pending.id;
        long posted = outcome == TransferPhase.POST ? points : 0;
        Wallet wallet = wallet(pending.wallet);
        if (pending.intoWallet) {
            wallet.pendingCredits -= pending.amount;
            if (posted > 0) {
                credit(resolution, pending.createdAt);
            }
        } else {
            long debt = wallet.debt();
            wallet.pendingDebits -= pending.amount;
            post(resolution);
            giveBack(resolution, List.of(pending), pending.amount - posted, debt);
        }
        return receipt(resolution);
    }

    private Receipt reverse(Reverse reverse, Instant now) {
        Transfer original = find(reverse.original());
        if (!original.isReversible()) {
            throw new Refused(ErrorCode.TRANSFER_NOT_REVERSIBLE);
        }
        long points = reverse.points() == null ? original.reversible() : reverse.points();
        if (points <= 0 || points > original.reversible()) {
            throw new Refused(ErrorCode.REVERSAL_EXCEEDS_ORIGINAL);
        }
        List<Transfer> earlierReversals = transfers.stream().filter(t -> t.reverses == original.id).toList();
        Transfer reversal = write(original.wallet, TransferCode.REVERSAL, TransferPhase.SINGLE, points,
                !original.intoWallet, original.program, now);
        reversal.reverses = original.id;
        original.reversed += points;
        long debt = wallet(original.wallet).debt();
        post(reversal);
        if (original.intoWallet) {
            // A clawback takes from the lot the original created first; what no lot holds becomes debt.
            consume(reversal, points, original.lot);
        } else {
            List<Transfer> spenders = new ArrayList<>(earlierReversals);
            spenders.add(original);
            if (original.resolves != NO_SUCH_TRANSFER) {
                spenders.add(find(original.resolves));
            }
            giveBack(reversal, spenders, points, debt);
        }
        return receipt(reversal);
    }

    /** Resolves due pending transfers in timeout order, then expires what is left of lots past their expiry. */
    ExpiryOutcome runExpiry(Instant now) {
        int before = transfers.size();
        List<Transfer> due = transfers.stream()
                .filter(t -> t.open && !t.timeoutAt.isAfter(now))
                .sorted(Comparator.comparing((Transfer t) -> t.timeoutAt).thenComparing(t -> t.id))
                .toList();
        int posted = 0;
        for (Transfer pending : due) {
            resolve(pending, pending.intoWallet ? TransferPhase.POST : TransferPhase.EXPIRE, pending.amount, now);
            posted += pending.intoWallet ? 1 : 0;
        }
        int walletsExpired = 0;
        long pointsExpired = 0;
        for (int id = 0; id < wallets.size(); id++) {
            long points = expireDue(id, now);
            if (points > 0) {
                walletsExpired++;
                pointsExpired += points;
            }
        }
        return new ExpiryOutcome(posted, due.size() - posted, walletsExpired, pointsExpired,
                List.copyOf(transfers.subList(before, transfers.size())));
    }

    /** Expires what is left of a wallet's lots past their expiry: the run does it, and so does every debit first. */
    private long expireDue(int walletId, Instant now) {
        List<Lot> expired = dueLots(walletId, now);
        long points = expired.stream().mapToLong(lot -> lot.remaining).sum();
        if (points > 0) {
            Transfer expiry = write(walletId, TransferCode.EXPIRY, TransferPhase.SINGLE, points, false,
                    Program.EXPIRY, now);
            post(expiry);
            expired.forEach(lot -> change(expiry, lot, -lot.remaining));
        }
        return points;
    }

    private long dueForExpiry(int walletId, Instant now) {
        return dueLots(walletId, now).stream().mapToLong(lot -> lot.remaining).sum();
    }

    private List<Lot> dueLots(int walletId, Instant now) {
        return wallet(walletId).lots.stream().filter(lot -> lot.remaining > 0 && !lot.expiresAt.isAfter(now)).toList();
    }

    // --- lots ----------------------------------------------------------------------------------------------

    /** A credit first pays the wallet's debt; only the rest reaches the new lot. */
    private Transfer credit(Transfer transfer, Instant earnedAt) {
        Wallet wallet = wallet(transfer.wallet);
        long debt = wallet.debt();
        post(transfer);
        Lot lot = new Lot(lotsCreated++, transfer.amount, earnedAt);
        lot.remaining -= Math.min(debt, transfer.amount);
        wallet.lots.add(lot);
        transfer.lot = lot;
        return transfer;
    }

    /** Takes points from the preferred lot, then from the lots that expire first (the older lot on a tie). */
    private void consume(Transfer by, long points, Lot preferred) {
        List<Lot> order = new ArrayList<>(wallet(by.wallet).lots);
        order.sort(Comparator.comparing((Lot lot) -> lot != preferred)
                .thenComparing(lot -> lot.expiresAt)
                .thenComparingInt(lot -> lot.order));
        long left = points;
        for (Lot lot : order) {
            long taken = Math.min(left, lot.remaining);
            change(by, lot, -taken);
            left -= taken;
        }
    }

    /**
     * Gives points back to the lots the {@code spenders} took them from, latest expiry first. A wallet in debt
     * keeps what pays its debt, so only the rest goes back to lots.
     */
    private void giveBack(Transfer by, List<Transfer> spenders, long points, long debt) {
        Map<Lot, Long> taken = new HashMap<>();
        spenders.forEach(spender -> spender.lotChanges.forEach((lot, change) -> taken.merge(lot, -change, Long::sum)));
        List<Lot> latestFirst = taken.keySet().stream()
                .sorted(Comparator.comparing((Lot lot) -> lot.expiresAt).thenComparingInt(lot -> lot.order)
                        .reversed())
                .toList();
        long left = points - Math.min(debt, points);
        for (Lot lot : latestFirst) {
            long given = Math.min(left, taken.get(lot));
            if (given > 0) {
                change(by, lot, given);
                left -= given;
            }
        }
        if (left != 0) {
            throw new IllegalStateException("model: lots of " + spenders.size() + " spenders miss " + left);
        }
    }

    private static void change(Transfer by, Lot lot, long delta) {
        if (delta != 0) {
            lot.remaining += delta;
            by.lotChanges.merge(lot, delta, Long::sum);
        }
    }

    // --- transfers and balances ------------------------------------------------------------------------------

    private Transfer write(int walletId, TransferCode code, TransferPhase phase, long amount, boolean intoWallet,
                           Program program, Instant now) {
        Transfer transfer = new Transfer(transfers.size(), walletId, code, phase, amount, intoWallet, program, now);
        transfers.add(transfer);
        return transfer;
    }

    /** Moves a posted transfer's points between the wallet and the program account; pending phases move none. */
    private void post(Transfer transfer) {
        if (transfer.phase == TransferPhase.SINGLE || transfer.phase == TransferPhase.POST) {
            long intoWallet = transfer.intoWallet ? transfer.amount : -transfer.amount;
            wallet(transfer.wallet).posted += intoWallet;
            programBalances.merge(transfer.program, -intoWallet, Long::sum);
        }
    }

    private Transfer find(int id) {
        if (id < 0 || id >= transfers.size()) {
            throw new Refused(ErrorCode.TRANSFER_NOT_FOUND);
        }
        return transfers.get(id);
    }

    private void requireAvailable(int walletId, long points) {
        if (wallet(walletId).available() < points) {
            throw new Refused(ErrorCode.INSUFFICIENT_POINTS);
        }
    }

    private Receipt receipt(Transfer transfer) {
        return new Receipt(transfer.id, transfer.code, transfer.phase, transfer.amount, transfer.wallet,
                balanceOf(transfer.wallet));
    }

    WalletBalance balanceOf(int walletId) {
        Wallet wallet = wallet(walletId);
        return new WalletBalance(wallet.available(), wallet.pendingCredits, wallet.pendingDebits);
    }

    /** Points still in lots, by the last month they can be spent: past months too, until expiry runs. */
    SortedMap<YearMonth, Long> expiringByMonth(int walletId) {
        SortedMap<YearMonth, Long> byMonth = new TreeMap<>();
        wallet(walletId).lots.stream()
                .filter(lot -> lot.remaining > 0)
                .forEach(lot -> byMonth.merge(lot.lastValidMonth, lot.remaining, Long::sum));
        return byMonth;
    }

    Totals totals() {
        long outstanding = wallets.stream().mapToLong(wallet -> wallet.posted).sum();
        return new Totals(outstanding,
                wallets.stream().mapToLong(wallet -> wallet.pendingCredits).sum(),
                wallets.stream().mapToLong(wallet -> wallet.pendingDebits).sum(),
                -programBalances.getOrDefault(Program.ISSUANCE, 0L) - programBalances.getOrDefault(Program.ADJUSTMENT,
                        0L),
                programBalances.getOrDefault(Program.REDEMPTION, 0L),
                programBalances.getOrDefault(Program.EXPIRY, 0L));
    }
}
