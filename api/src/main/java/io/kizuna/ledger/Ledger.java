package io.kizuna.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Commands.Adjust;
import io.kizuna.ledger.Commands.Capture;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Commands.Hold;
import io.kizuna.ledger.Commands.Redeem;
import io.kizuna.ledger.Commands.Release;
import io.kizuna.ledger.Commands.Reverse;
import io.kizuna.feed.EventType;
import io.kizuna.feed.FeedEvents;
import io.kizuna.feed.Outbox;
import io.kizuna.persistence.Ids;
import jakarta.persistence.EntityManager;

/**
 * The points ledger: every change to points is a transfer written here, inside the caller's database transaction.
 *
 * <p>Each operation first locks the wallet row it changes ({@code SELECT ... FOR UPDATE}), which serialises all
 * changes to one wallet across threads and server processes, and then keeps three things true before commit:
 * the wallet's cached balances equal the sums of its transfers; every lot's remainder equals its amount plus its
 * movements; and the wallet's lots together hold exactly its available points when those are positive, and nothing
 * when a clawback has left the wallet in debt. The program's own accounts are never cached, so no row is shared
 * by all members.
 */
public final class Ledger {
    private static final int LOT_PAGE = 8;

    private static final Map<AccountId, AccountKind> PROGRAM_ACCOUNTS = Map.of(
            AccountId.ISSUANCE, AccountKind.ISSUANCE, AccountId.REDEMPTION, AccountKind.REDEMPTION,
            AccountId.EXPIRY, AccountKind.EXPIRY, AccountId.ADJUSTMENT, AccountKind.ADJUSTMENT);

    private final Clock clock;
    private final LedgerConfig config;
    private final Outbox outbox;

    public Ledger(Clock clock, LedgerConfig config, Outbox outbox) {
        this.clock = clock;
        this.config = config;
        this.outbox = outbox;
    }

    /** The program's time zone, where months begin and end. */
    public java.time.ZoneId zone() {
        return config.zone();
    }

    public TransferReceipt earn(EntityManager em, Earn earn) {
        AccountEntity wallet = lockWallet(em, earn.wallet());
        long points = earn.points().value();
        Instant now = clock.instant();
        if (earn.pendingFor() != null) {
            Instant timeout = now.plus(earn.pendingFor());
            TransferEntity pending = write(em, AccountId.ISSUANCE, wallet.id(), points, TransferCode.EARN,
                    TransferPhase.PENDING, earn.memo()).timingOutAt(timeout);
            em.persist(new PendingTransferEntity(pending.id(), wallet.id(),
                    PendingTransferEntity.OnTimeout.POST, timeout, now));
            wallet.addPendingCredit(points);
            return receipt(pending, wallet);
        }
        TransferEntity transfer = write(em, AccountId.ISSUANCE, wallet.id(), points, TransferCode.EARN,
                TransferPhase.SINGLE, earn.memo());
        credit(em, wallet, transfer, points, now);
        return receipt(transfer, wallet);
    }

    public TransferReceipt redeem(EntityManager em, Redeem redeem) {
        AccountEntity wallet = lockWallet(em, redeem.wallet());
        long points = redeem.points().value();
        expireDue(em, wallet);
        requireAvailable(wallet, points);
        TransferEntity transfer = write(em, wallet.id(), AccountId.REDEMPTION, points, TransferCode.REDEMPTION,
                TransferPhase.SINGLE, redeem.memo());
        wallet.post(-points);
        consumeLots(em, wallet, transfer.id(), points, null);
        return receipt(transfer, wallet);
    }

    public TransferReceipt hold(EntityManager em, Hold hold) {
        AccountEntity wallet = lockWallet(em, hold.wallet());
        long points = hold.points().value();
        expireDue(em, wallet);
        requireAvailable(wallet, points);
        Instant timeout = clock.instant().plus(hold.timeout());
        TransferEntity pending = write(em, wallet.id(), AccountId.REDEMPTION, points, TransferCode.REDEMPTION,
                TransferPhase.PENDING, hold.memo()).timingOutAt(timeout);
        em.persist(new PendingTransferEntity(pending.id(), wallet.id(),
                PendingTransferEntity.OnTimeout.EXPIRE, timeout, clock.instant()));
        wallet.addPendingDebit(points);
        consumeLots(em, wallet, pending.id(), points, null);
        return receipt(pending, wallet);
    }

    public TransferReceipt capture(EntityManager em, Capture capture) {
        TransferEntity pending = findTransfer(em, capture.pending());
        long points = capture.points() == null ? pending.amount() : capture.points().value();
        if (points > pending.amount()) {
            throw KizunaException.invalid("Cannot capture " + points + " points of a pending transfer of "
                    + pending.amount() + ".");
        }
        boolean hold = pending.phase() == TransferPhase.PENDING && pending.debit().equals(walletSide(em, pending));
        if (hold && !clock.instant().isBefore(pending.timeoutAt())
                && em.find(PendingTransferEntity.class, pending.id().value()) != null) {
            // Past its timeout a hold's points are going back; a late sale must not take them.
            throw new KizunaException(ErrorCode.HOLD_EXPIRED, "Hold " + pending.id() + " timed out at "
                    + pending.timeoutAt() + ".");
        }
        return resolve(em, pending, TransferPhase.POST, points);
    }

    public TransferReceipt release(EntityManager em, Release release) {
        TransferEntity pending = findTransfer(em, release.pending());
        return resolve(em, pending, TransferPhase.VOID, pending.amount());
    }

    /** Resolves a pending transfer whose time has come: earns post, holds expire. Empty if already resolved. */
    Optional<TransferReceipt> timeOut(EntityManager em, TransferId pendingId) {
        TransferEntity pending = findTransfer(em, pendingId);
        lockWallet(em, walletSide(em, pending));
        PendingTransferEntity open = em.find(PendingTransferEntity.class, pendingId.value());
        if (open == null) {
            return Optional.empty();
        }
        TransferPhase outcome = open.onTimeout() == PendingTransferEntity.OnTimeout.POST
                ? TransferPhase.POST
                : TransferPhase.EXPIRE;
        return Optional.of(resolve(em, pending, outcome, pending.amount()));
    }

    private TransferReceipt resolve(EntityManager em, TransferEntity pending, TransferPhase outcome, long points) {
        if (pending.phase() != TransferPhase.PENDING) {
            throw KizunaException.invalid("Transfer " + pending.id() + " is not a pending transfer.");
        }
        boolean earning = pending.credit().equals(walletSide(em, pending));
        AccountEntity wallet = lockWallet(em, walletSide(em, pending));
        AccountEntity campaign = earning ? campaignOrNull(em, pending.debit()) : null;
        PendingTransferEntity open = em.find(PendingTransferEntity.class, pending.id().value());
        if (open == null) {
            throw new KizunaException(ErrorCode.PENDING_TRANSFER_RESOLVED,
                    "Pending transfer " + pending.id() + " was already resolved.");
        }
        em.remove(open);
        TransferEntity resolution = write(em, transfer(pending.debit(), pending.credit(), points, pending.code(),
                outcome, pending.memo()).resolving(pending.id()));
        long posted = outcome == TransferPhase.POST ? points : 0;
        if (earning) {
            wallet.addPendingCredit(-pending.amount());
            if (campaign != null) {
                campaign.addPendingDebit(-pending.amount());
                campaign.post(-posted);
            }
            if (posted > 0) {
                credit(em, wallet, resolution, posted, open.earnedAt());
            }
        } else {
            long debtBefore = debt(wallet);
            wallet.addPendingDebit(-pending.amount());
            wallet.post(-posted);
            long givenBack = pending.amount() - posted;
            if (givenBack > 0) {
                restoreLots(em, List.of(pending.id()), resolution.id(), givenBack);
                settleDebt(em, wallet, resolution.id(), debtBefore, givenBack);
            }
        }
        return receipt(resolution, wallet);
    }

    public TransferReceipt reverse(EntityManager em, Reverse reverse) {
        TransferEntity original = findTransfer(em, reverse.original());
        if (!original.phase().isPosted() || !isReversible(original.code())) {
            throw new KizunaException(ErrorCode.TRANSFER_NOT_REVERSIBLE,
                    "A " + original.phase() + " " + original.code() + " transfer cannot be reversed.");
        }
        AccountEntity wallet = lockWallet(em, walletSide(em, original));
        List<TransferEntity> earlier = reversalsOf(em, original.id());
        long alreadyReversed = earlier.stream().mapToLong(TransferEntity::amount).sum();
        long left = original.amount() - alreadyReversed;
        long points = reverse.points() == null ? left : reverse.points().value();
        if (points <= 0 || points > left) {
            throw new KizunaException(ErrorCode.REVERSAL_EXCEEDS_ORIGINAL, "Transfer " + original.id()
                    + " has " + left + " points left to reverse, not " + points + ".");
        }
        TransferEntity reversal = write(em, transfer(original.credit(), original.debit(), points,
                TransferCode.REVERSAL, TransferPhase.SINGLE, reverse.memo()).reversing(original.id()));
        if (original.credit().equals(wallet.id())) {
            // A clawback: take the points back from the lot they created first, then from what expires first.
            // What the lots cannot cover leaves the wallet in debt, settled by its next credit.
            wallet.post(-points);
            AccountEntity campaign = campaignOrNull(em, original.debit());
            if (campaign != null) {
                campaign.post(points);
            }
            UUID ownLot = lotCreatedBy(em, original.id());
            consumeLots(em, wallet, reversal.id(), points, ownLot);
        } else {
            long debtBefore = debt(wallet);
            wallet.post(points);
            List<TransferId> consumers = new ArrayList<>();
            consumers.add(original.id());
            if (original.pendingId() != null) {
                consumers.add(original.pendingId());
            }
            earlier.forEach(previous -> consumers.add(previous.id()));
            restoreLots(em, consumers, reversal.id(), points);
            settleDebt(em, wallet, reversal.id(), debtBefore, points);
        }
        return receipt(reversal, wallet);
    }

    public TransferReceipt adjust(EntityManager em, Adjust adjust) {
        AccountEntity wallet = lockWallet(em, adjust.wallet());
        long points = Math.abs(adjust.points());
        if (adjust.points() > 0) {
            TransferEntity transfer = write(em, AccountId.ADJUSTMENT, wallet.id(), points, TransferCode.ADJUSTMENT,
                    TransferPhase.SINGLE, adjust.memo());
            credit(em, wallet, transfer, points, clock.instant());
            return receipt(transfer, wallet);
        }
        expireDue(em, wallet);
        requireAvailable(wallet, points);
        TransferEntity transfer = write(em, wallet.id(), AccountId.ADJUSTMENT, points, TransferCode.ADJUSTMENT,
                TransferPhase.SINGLE, adjust.memo());
        wallet.post(-points);
        consumeLots(em, wallet, transfer.id(), points, null);
        return receipt(transfer, wallet);
    }

    // --- campaign budgets ---------------------------------------------------------------------------------------

    /** Opens a campaign's budget account, funded from issuance with {@code budget} points. */
    public AccountId openCampaign(EntityManager em, long budget, Memo memo) {
        AccountEntity account = AccountEntity.campaign(Ids.next(), clock.instant());
        em.persist(account);
        em.flush();
        if (budget > 0) {
            write(em, AccountId.ISSUANCE, account.id(), budget, TransferCode.CAMPAIGN_BUDGET, TransferPhase.SINGLE,
                    memo);
            account.post(budget);
        }
        return account.id();
    }

    /**
     * Awards up to {@code points} from a campaign's budget to a wallet, like an earn (posted with a lot, or pending
     * for {@code pendingFor}). The wallet is locked first, then the campaign's account, whose lock serialises the
     * sales that award from it: an award never takes the budget below zero but gives what is left, or nothing.
     */
    public Optional<TransferReceipt> awardFromCampaign(EntityManager em, AccountId campaignAccount, Earn earn) {
        AccountEntity wallet = lockWallet(em, earn.wallet());
        AccountEntity campaign = lockCampaign(em, campaignAccount);
        long points = Math.min(earn.points().value(), campaign.available());
        if (points <= 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (earn.pendingFor() != null) {
            Instant timeout = now.plus(earn.pendingFor());
            TransferEntity pending = write(em, campaign.id(), wallet.id(), points, TransferCode.EARN,
                    TransferPhase.PENDING, earn.memo()).timingOutAt(timeout);
            em.persist(new PendingTransferEntity(pending.id(), wallet.id(),
                    PendingTransferEntity.OnTimeout.POST, timeout, now));
            wallet.addPendingCredit(points);
            campaign.addPendingDebit(points);
            return Optional.of(receipt(pending, wallet));
        }
        TransferEntity transfer = write(em, campaign.id(), wallet.id(), points, TransferCode.EARN,
                TransferPhase.SINGLE, earn.memo());
        campaign.post(-points);
        credit(em, wallet, transfer, points, now);
        return Optional.of(receipt(transfer, wallet));
    }

    /** Returns what is left of a campaign's budget to issuance; answers the points returned. */
    public long closeCampaign(EntityManager em, AccountId campaignAccount, Memo memo) {
        AccountEntity campaign = lockCampaign(em, campaignAccount);
        long left = campaign.available();
        if (left > 0) {
            write(em, campaign.id(), AccountId.ISSUANCE, left, TransferCode.CAMPAIGN_BUDGET, TransferPhase.SINGLE,
                    memo);
            campaign.post(-left);
        }
        return Math.max(left, 0);
    }

    /** What a campaign may still award: its posted budget less what pending awards hold. */
    public long campaignBudgetLeft(EntityManager em, AccountId campaignAccount) {
        AccountEntity campaign = em.find(AccountEntity.class, campaignAccount.value());
        return campaign == null ? 0 : campaign.available();
    }

    private static AccountEntity lockCampaign(EntityManager em, AccountId id) {
        AccountEntity account = em.createNamedQuery(AccountEntity.LOCK, AccountEntity.class)
                .setParameter(1, UuidConverter.toBytes(id.value()))
                .getResultStream()
                .findFirst()
                .orElse(null);
        if (account == null || account.kind() != AccountKind.CAMPAIGN) {
            throw KizunaException.invalid("Account " + id + " is not a campaign's.");
        }
        return account;
    }

    /**
     * Expires what is left of the wallet's lots that are past their expiry, as one transfer to the expiry account.
     * Returns the points expired (0 when nothing was due).
     */
    long expireLots(EntityManager em, AccountId walletId) {
        return expireDue(em, lockWallet(em, walletId));
    }

    /**
     * The expiry of a locked wallet's lots that are due. Every debit runs it first, so that points past their
     * expiry are never spent, whenever the expiry job comes by.
     */
    private long expireDue(EntityManager em, AccountEntity wallet) {
        List<LotEntity> due = em.createQuery("SELECT l FROM LotEntity l WHERE l.accountId = :account"
                        + " AND l.remaining > 0 AND l.expiresAt <= :now ORDER BY l.expiresAt, l.id", LotEntity.class)
                .setParameter("account", wallet.id().value())
                .setParameter("now", clock.instant())
                .getResultList();
        long points = due.stream().mapToLong(LotEntity::remaining).sum();
        if (points == 0) {
            return 0;
        }
        TransferEntity expiry = write(em, wallet.id(), AccountId.EXPIRY, points, TransferCode.EXPIRY,
                TransferPhase.SINGLE, Memo.NONE);
        wallet.post(-points);
        for (LotEntity lot : due) {
            move(em, lot, expiry.id(), -lot.remaining());
        }
        return points;
    }

    /**
     * Moves everything a wallet holds to another wallet, lots with their expiry dates and pending earnings with
     * their timeouts: what a card registration and a member merge do. Refused while redemption holds are open.
     */
    public long moveWallet(EntityManager em, AccountId fromId, AccountId toId, TransferCode code, Memo memo) {
        boolean fromFirst = fromId.value().compareTo(toId.value()) < 0;
        AccountEntity first = lockWallet(em, fromFirst ? fromId : toId);
        AccountEntity second = lockWallet(em, fromFirst ? toId : fromId);
        AccountEntity from = fromFirst ? first : second;
        AccountEntity to = fromFirst ? second : first;
        if (from.pendingDebits() > 0) {
            throw new KizunaException(ErrorCode.OPEN_HOLDS,
                    "The wallet has " + from.pendingDebits() + " points held for a redemption in progress.");
        }
        movePendingEarnings(em, from, to);
        long available = from.available();
        if (available > 0) {
            TransferEntity transfer = write(em, from.id(), to.id(), available, code, TransferPhase.SINGLE, memo);
            long debtBefore = debt(to);
            from.post(-available);
            to.post(available);
            for (LotEntity lot : openLots(em, from.id())) {
                em.persist(new LotEntity(Ids.next(), to.id(), transfer.id(), lot.remaining(), lot.earnedAt(),
                        lot.expiresAt()));
                move(em, lot, transfer.id(), -lot.remaining());
            }
            em.flush();
            settleDebt(em, to, transfer.id(), debtBefore, available);
        } else if (available < 0) {
            TransferEntity transfer = write(em, to.id(), from.id(), -available, code, TransferPhase.SINGLE, memo);
            to.post(available);
            from.post(-available);
            consumeLots(em, to, transfer.id(), -available, null);
        }
        return available;
    }

    private void movePendingEarnings(EntityManager em, AccountEntity from, AccountEntity to) {
        List<PendingTransferEntity> open = em.createQuery(
                        "SELECT p FROM PendingTransferEntity p WHERE p.accountId = :account",
                        PendingTransferEntity.class)
                .setParameter("account", from.id().value())
                .getResultList();
        for (PendingTransferEntity entry : open) {
            TransferEntity pending = findTransfer(em, entry.transferId());
            em.remove(entry);
            write(em, transfer(pending.debit(), pending.credit(), pending.amount(), pending.code(),
                    TransferPhase.VOID, pending.memo()).resolving(pending.id()));
            from.addPendingCredit(-pending.amount());
            TransferEntity moved = write(em, pending.debit(), to.id(), pending.amount(), pending.code(),
                    TransferPhase.PENDING, pending.memo()).timingOutAt(pending.timeoutAt());
            em.persist(new PendingTransferEntity(moved.id(), to.id(), entry.onTimeout(), pending.timeoutAt(),
                    entry.earnedAt()));
            to.addPendingCredit(pending.amount());
        }
    }

    /** A wallet's balance with what expires by month, read inside the caller's transaction. */
    public Balance balance(EntityManager em, AccountId wallet) {
        AccountEntity account = em.find(AccountEntity.class, wallet.value());
        if (account == null || !account.kind().isWallet()) {
            throw KizunaException.invalid("Account " + wallet + " is not a wallet.");
        }
        List<Balance.ExpiringPoints> expiring = expiringByMonth(em, wallet).entrySet().stream()
                .map(entry -> new Balance.ExpiringPoints(entry.getKey(), entry.getValue()))
                .toList();
        return new Balance(wallet, account.available(), account.pendingCredits(), account.pendingDebits(), expiring);
    }

    /** A redemption hold: the wallet it reserves points of, how many, until when, and what the till wrote on it. */
    public record OpenHold(TransferId id, AccountId wallet, long points, Instant timeoutAt, String reference) {
    }

    /** The hold with this id if it is an open redemption hold; empty otherwise. */
    public Optional<OpenHold> openHold(EntityManager em, TransferId id) {
        TransferEntity transfer = em.find(TransferEntity.class, id.value());
        if (!isHold(transfer) || em.find(PendingTransferEntity.class, id.value()) == null) {
            return Optional.empty();
        }
        return Optional.of(hold(transfer));
    }

    /**
     * The redemption hold with this id if it timed out, expiring it now when the expiry job has not come by yet;
     * empty when the id names no hold, one still within its time, or one captured or released. Its points are back
     * in the wallet: a sale that still wants them redeems them from what is available.
     */
    public Optional<OpenHold> timedOutHold(EntityManager em, TransferId id) {
        TransferEntity transfer = em.find(TransferEntity.class, id.value());
        if (!isHold(transfer) || clock.instant().isBefore(transfer.timeoutAt())) {
            return Optional.empty();
        }
        if (em.find(PendingTransferEntity.class, id.value()) != null) {
            timeOut(em, id);
        } else if (!em.createQuery("SELECT t FROM TransferEntity t WHERE t.pendingId = :hold", TransferEntity.class)
                .setParameter("hold", id.value())
                .getResultStream()
                .anyMatch(resolution -> resolution.phase() == TransferPhase.EXPIRE)) {
            return Optional.empty();
        }
        return Optional.of(hold(transfer));
    }

    private static boolean isHold(TransferEntity transfer) {
        return transfer != null && transfer.phase() == TransferPhase.PENDING
                && transfer.code() == TransferCode.REDEMPTION;
    }

    private static OpenHold hold(TransferEntity transfer) {
        return new OpenHold(transfer.id(), transfer.debit(), transfer.amount(), transfer.timeoutAt(),
                transfer.memo().reference());
    }

    /** Where a transfer that may have started pending stands now. */
    public sealed interface Settlement {
        /** Moved points: this transfer (itself, or the POST that resolved it) can be reversed. */
        record Posted(TransferId transfer) implements Settlement {
        }

        /** Still pending: it can be reduced before it posts. */
        record Pending(TransferId transfer, long points) implements Settlement {
        }

        /** Voided or expired: nothing left to take back. */
        record Gone() implements Settlement {
        }
    }

    public Settlement settlementOf(EntityManager em, TransferId id) {
        TransferEntity transfer = findTransfer(em, id);
        if (transfer.phase() != TransferPhase.PENDING) {
            return new Settlement.Posted(id);
        }
        if (em.find(PendingTransferEntity.class, id.value()) != null) {
            return new Settlement.Pending(id, transfer.amount());
        }
        return em.createQuery("SELECT t FROM TransferEntity t WHERE t.pendingId = :pending", TransferEntity.class)
                .setParameter("pending", id.value())
                .getResultStream()
                .filter(resolution -> resolution.phase() == TransferPhase.POST)
                .<Settlement>map(resolution -> new Settlement.Posted(resolution.id()))
                .findFirst()
                .orElse(new Settlement.Gone());
    }

    /**
     * Takes points off a pending earn before it posts: the pending transfer is voided and, when something is
     * left, a new one for the rest is written with the same timeout. Returns the new pending transfer, if any.
     */
    public Optional<TransferId> reducePending(EntityManager em, TransferId pendingId, long points, Memo memo) {
        TransferEntity pending = findTransfer(em, pendingId);
        if (points <= 0 || points > pending.amount()) {
            throw KizunaException.invalid("Cannot take " + points + " points off a pending transfer of "
                    + pending.amount() + ".");
        }
        AccountEntity wallet = lockWallet(em, pending.credit());
        PendingTransferEntity open = em.find(PendingTransferEntity.class, pendingId.value());
        if (open == null) {
            throw new KizunaException(ErrorCode.PENDING_TRANSFER_RESOLVED,
                    "Pending transfer " + pendingId + " was already resolved.");
        }
        Instant earnedAt = open.earnedAt();
        resolve(em, pending, TransferPhase.VOID, pending.amount());
        long rest = pending.amount() - points;
        if (rest == 0) {
            return Optional.empty();
        }
        AccountEntity campaign = campaignOrNull(em, pending.debit());
        if (campaign != null) {
            campaign.addPendingDebit(rest);
        }
        TransferEntity replacement = write(em, pending.debit(), wallet.id(), rest, pending.code(),
                TransferPhase.PENDING, memo).timingOutAt(pending.timeoutAt());
        em.persist(new PendingTransferEntity(replacement.id(), wallet.id(), PendingTransferEntity.OnTimeout.POST,
                pending.timeoutAt(), earnedAt));
        wallet.addPendingCredit(rest);
        return Optional.of(replacement.id());
    }

    /** The month-by-month amounts that will expire, as of now, for a wallet's balance view. */
    Map<YearMonth, Long> expiringByMonth(EntityManager em, AccountId wallet) {
        // Summed in the database: a wallet has a lot per earning, and the balance view needs only their totals.
        List<Object[]> totals = em.createNamedQuery(LotEntity.OPEN_BY_EXPIRY, Object[].class)
                .setParameter("account", wallet.value())
                .getResultList();
        Map<YearMonth, Long> byMonth = new java.util.TreeMap<>();
        for (Object[] total : totals) {
            // A lot expires at the first instant after its last valid month; that month is what members see.
            YearMonth lastMonth = YearMonth.from(((Instant) total[0]).minusNanos(1).atZone(config.zone()));
            byMonth.merge(lastMonth, ((Number) total[1]).longValue(), Long::sum);
        }
        return byMonth;
    }

    Instant expiryFor(Instant earnedAt) {
        YearMonth lastValidMonth = YearMonth.from(earnedAt.atZone(config.zone())).plusMonths(config.expiryMonths());
        return lastValidMonth.plusMonths(1).atDay(1).atStartOfDay(config.zone()).toInstant();
    }

    // --- lots ---------------------------------------------------------------------------------------------

    private void credit(EntityManager em, AccountEntity wallet, TransferEntity transfer, long points,
                        Instant earnedAt) {
        long debtBefore = debt(wallet);
        wallet.post(points);
        em.persist(new LotEntity(Ids.next(), wallet.id(), transfer.id(), points, earnedAt, expiryFor(earnedAt)));
        if (debtBefore > 0) {
            em.flush();
            settleDebt(em, wallet, transfer.id(), debtBefore, points);
        }
    }

    /** A credit to a wallet in debt pays the debt first: that part of the credit never reaches a lot. */
    private void settleDebt(EntityManager em, AccountEntity wallet, TransferId by, long debtBefore, long credited) {
        long owed = Math.min(debtBefore, credited);
        if (owed > 0) {
            consumeLots(em, wallet, by, owed, null);
        }
    }

    /** Takes up to {@code points} from the wallet's lots, a preferred lot first, then earliest expiry first. */
    private void consumeLots(EntityManager em, AccountEntity wallet, TransferId by, long points, UUID preferredLot) {
        long left = points;
        if (preferredLot != null) {
            LotEntity preferred = em.find(LotEntity.class, preferredLot);
            if (preferred != null && preferred.remaining() > 0) {
                left -= take(em, preferred, by, left);
            }
        }
        // A page of the earliest-expiring lots at a time: a redemption seldom needs more than one or two of them.
        // Lots emptied here drop out of the next page's query, which sees them after the automatic flush.
        while (left > 0) {
            List<LotEntity> lots = em.createNamedQuery(LotEntity.OPEN_EARLIEST, LotEntity.class)
                    .setParameter("account", wallet.id().value())
                    .setMaxResults(LOT_PAGE)
                    .getResultList();
            long before = left;
            for (LotEntity lot : lots) {
                left -= take(em, lot, by, left);
                if (left == 0) {
                    break;
                }
            }
            if (lots.size() < LOT_PAGE) {
                break;
            }
            if (left == before) {
                throw new IllegalStateException("A page of open lots of " + wallet.id() + " gave no points");
            }
        }
    }

    private static long take(EntityManager em, LotEntity lot, TransferId by, long wanted) {
        long taken = Math.min(wanted, lot.remaining());
        move(em, lot, by, -taken);
        return taken;
    }

    /**
     * Gives back up to {@code points} to the lots that the {@code consumers} transfers took them from, latest
     * expiry first. A lot already past its expiry gets its points back too; the next expiry run takes them.
     */
    private void restoreLots(EntityManager em, List<TransferId> consumers, TransferId by, long points) {
        List<UUID> ids = consumers.stream().map(TransferId::value).toList();
        Map<UUID, Long> netTaken = new HashMap<>();
        em.createQuery("SELECT m FROM LotMovementEntity m WHERE m.transferId IN :transfers", LotMovementEntity.class)
                .setParameter("transfers", ids)
                .getResultList()
                .forEach(movement -> netTaken.merge(movement.lotId(), -movement.amount(), Long::sum));
        List<LotEntity> lots = netTaken.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .map(entry -> em.find(LotEntity.class, entry.getKey()))
                .sorted(Comparator.comparing(LotEntity::expiresAt).thenComparing(LotEntity::id).reversed())
                .toList();
        long left = points;
        for (LotEntity lot : lots) {
            if (left == 0) {
                break;
            }
            long given = Math.min(left, netTaken.get(lot.id()));
            move(em, lot, by, given);
            left -= given;
        }
        if (left != 0) {
            throw new IllegalStateException("Lots of " + consumers + " cannot take back " + left + " points");
        }
    }

    private List<LotEntity> openLots(EntityManager em, AccountId wallet) {
        return em.createNamedQuery(LotEntity.OPEN_EARLIEST, LotEntity.class)
                .setParameter("account", wallet.value())
                .getResultList();
    }

    private static void move(EntityManager em, LotEntity lot, TransferId by, long delta) {
        lot.change(delta);
        em.persist(new LotMovementEntity(Ids.next(), lot.id(), by, delta));
    }

    private UUID lotCreatedBy(EntityManager em, TransferId transfer) {
        return em.createQuery("SELECT l FROM LotEntity l WHERE l.transferId = :transfer", LotEntity.class)
                .setParameter("transfer", transfer.value())
                .getResultStream()
                .map(LotEntity::id)
                .findFirst()
                .orElse(null);
    }

    // --- accounts and transfers ------------------------------------------------------------------------------

    private static AccountEntity lockWallet(EntityManager em, AccountId id) {
        AccountEntity account = em.createNamedQuery(AccountEntity.LOCK, AccountEntity.class)
                .setParameter(1, UuidConverter.toBytes(id.value()))
                .getResultStream()
                .findFirst()
                .orElse(null);
        if (account == null || !account.kind().isWallet()) {
            throw KizunaException.invalid("Account " + id + " is not a wallet.");
        }
        return account;
    }

    private static void requireAvailable(AccountEntity wallet, long points) {
        if (wallet.available() < points) {
            throw new KizunaException(ErrorCode.INSUFFICIENT_POINTS,
                    "The wallet has " + Math.max(0, wallet.available()) + " points available, not " + points + ".");
        }
    }

    private static long debt(AccountEntity wallet) {
        return Math.max(0, -wallet.available());
    }

    private static boolean isReversible(TransferCode code) {
        return code == TransferCode.EARN || code == TransferCode.REDEMPTION || code == TransferCode.ADJUSTMENT;
    }

    /**
     * The wallet a member-facing transfer touches: the side that is not one of the program's own accounts nor a
     * campaign's.
     */
    static AccountId walletSide(EntityManager em, TransferEntity transfer) {
        if (isProgramAccount(transfer.debit())) {
            return transfer.credit();
        }
        if (isProgramAccount(transfer.credit())) {
            return transfer.debit();
        }
        return campaignOrNull(em, transfer.debit()) != null ? transfer.credit() : transfer.debit();
    }

    /** The campaign account among a transfer's sides, locked; null for a wallet or a program account. */
    private static AccountEntity campaignOrNull(EntityManager em, AccountId account) {
        if (isProgramAccount(account)) {
            return null;
        }
        AccountEntity found = em.find(AccountEntity.class, account.value());
        if (found == null || found.kind() != AccountKind.CAMPAIGN) {
            return null;
        }
        return lockCampaign(em, account);
    }

    private static boolean isProgramAccount(AccountId account) {
        return PROGRAM_ACCOUNTS.containsKey(account);
    }

    static TransferEntity findTransfer(EntityManager em, TransferId id) {
        TransferEntity transfer = em.find(TransferEntity.class, id.value());
        if (transfer == null) {
            throw new KizunaException(ErrorCode.TRANSFER_NOT_FOUND, "No transfer has the id " + id + ".");
        }
        return transfer;
    }

    private static List<TransferEntity> reversalsOf(EntityManager em, TransferId original) {
        return em.createQuery("SELECT t FROM TransferEntity t WHERE t.reversesId = :original", TransferEntity.class)
                .setParameter("original", original.value())
                .getResultList();
    }

    private TransferEntity write(EntityManager em, AccountId debit, AccountId credit, long amount, TransferCode code,
                                 TransferPhase phase, Memo memo) {
        return write(em, transfer(debit, credit, amount, code, phase, memo));
    }

    private TransferEntity transfer(AccountId debit, AccountId credit, long amount, TransferCode code,
                                    TransferPhase phase, Memo memo) {
        return new TransferEntity(Ids.next(), debit, credit, amount, code, phase, clock.instant()).describedBy(memo);
    }

    /** Persists a transfer and tells the feed, in the same database transaction. */
    private TransferEntity write(EntityManager em, TransferEntity transfer) {
        em.persist(transfer);
        AccountEntity debit = walletOrNull(em, transfer.debit());
        AccountEntity credit = walletOrNull(em, transfer.credit());
        AccountEntity wallet = credit != null && (credit.kind().isWallet() || debit == null) ? credit : debit;
        outbox.write(em, EventType.POINTS_MOVED, wallet.memberId(), new FeedEvents.PointsMoved(
                transfer.id().toString(), transfer.code().name(), transfer.phase().name(), transfer.amount(),
                kindOf(transfer.debit(), debit), kindOf(transfer.credit(), credit), wallet.id().toString(),
                Objects.toString(transfer.pendingId(), null), Objects.toString(transfer.reversesId(), null),
                transfer.createdAt()));
        return transfer;
    }

    /** A wallet among a transfer's two accounts; the program's own accounts answer null without a query. */
    private static AccountEntity walletOrNull(EntityManager em, AccountId account) {
        return isProgramAccount(account) ? null : em.find(AccountEntity.class, account.value());
    }

    private static String kindOf(AccountId account, AccountEntity wallet) {
        if (wallet != null) {
            return wallet.kind().name();
        }
        return PROGRAM_ACCOUNTS.get(account).name();
    }

    private static TransferReceipt receipt(TransferEntity transfer, AccountEntity wallet) {
        return new TransferReceipt(transfer.id(), transfer.code(), transfer.phase(), transfer.amount(), wallet.id(),
                WalletBalance.of(wallet), false);
    }
}
