package io.kizuna.ledger;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.kizuna.db.UuidConverter;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Commands.Adjust;
import io.kizuna.ledger.Commands.Capture;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Commands.Hold;
import io.kizuna.ledger.Commands.Redeem;
import io.kizuna.ledger.Commands.Release;
import io.kizuna.ledger.Commands.Reverse;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Transactions;
import io.kizuna.web.IdempotencyKey;
import jakarta.persistence.EntityManager;

/**
 * The ledger as a service: each command runs in its own database transaction, exactly once per idempotency key.
 * Callers that must combine a ledger command with other writes in one transaction use {@link Ledger} directly.
 */
public final class PointsService {
    private static final String KEY_SCOPE = "ledger";
    private static final int BATCH = 500;

    private final Transactions transactions;
    private final Idempotency idempotency;
    private final Ledger ledger;
    private final Clock clock;

    public PointsService(Transactions transactions, Idempotency idempotency, Ledger ledger, Clock clock) {
        this.transactions = transactions;
        this.idempotency = idempotency;
        this.ledger = ledger;
        this.clock = clock;
    }

    public TransferReceipt earn(IdempotencyKey key, Earn earn) {
        return once(key, "earn", earn, em -> ledger.earn(em, earn));
    }

    public TransferReceipt redeem(IdempotencyKey key, Redeem redeem) {
        return once(key, "redeem", redeem, em -> ledger.redeem(em, redeem));
    }

    public TransferReceipt hold(IdempotencyKey key, Hold hold) {
        return once(key, "hold", hold, em -> ledger.hold(em, hold));
    }

    public TransferReceipt capture(IdempotencyKey key, Capture capture) {
        return once(key, "capture", capture, em -> ledger.capture(em, capture));
    }

    public TransferReceipt release(IdempotencyKey key, Release release) {
        return once(key, "release", release, em -> ledger.release(em, release));
    }

    public TransferReceipt reverse(IdempotencyKey key, Reverse reverse) {
        return once(key, "reverse", reverse, em -> ledger.reverse(em, reverse));
    }

    public TransferReceipt adjust(IdempotencyKey key, Adjust adjust) {
        return once(key, "adjust", adjust, em -> ledger.adjust(em, adjust));
    }

    private TransferReceipt once(IdempotencyKey key, String operation, Object command,
                                 Function<EntityManager, TransferReceipt> work) {
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), operation, command,
                TransferReceipt.class, () -> work.apply(em)));
    }

    /**
     * Posts pending earnings whose return window has passed, expires redemption holds nobody captured, and
     * expires what is left of lots past their expiry, as of the clock. One short transaction per wallet, so a
     * long run never blocks the tills; safe to run on several nodes at once.
     */
    public ExpiryRun runExpiry() {
        int posted = 0;
        int expiredHolds = 0;
        for (List<UUID> due = duePending(); !due.isEmpty(); due = duePending()) {
            for (UUID pendingId : due) {
                var outcome = transactions.inTransaction(em -> ledger.timeOut(em, new TransferId(pendingId)));
                if (outcome.isPresent()) {
                    if (outcome.get().phase() == TransferPhase.POST) {
                        posted++;
                    } else {
                        expiredHolds++;
                    }
                }
            }
            if (due.size() < BATCH) {
                break;
            }
        }
        int wallets = 0;
        long points = 0;
        for (List<UUID> due = walletsWithExpiredLots(); !due.isEmpty(); due = walletsWithExpiredLots()) {
            for (UUID wallet : due) {
                long expired = transactions.inTransaction(em -> ledger.expireLots(em, new AccountId(wallet)));
                if (expired > 0) {
                    wallets++;
                    points += expired;
                }
            }
            if (due.size() < BATCH) {
                break;
            }
        }
        return new ExpiryRun(posted, expiredHolds, wallets, points);
    }

    private List<UUID> duePending() {
        return transactions.inTransaction(em -> em.createQuery(
                        "SELECT p FROM PendingTransferEntity p WHERE p.timeoutAt <= :now"
                                + " ORDER BY p.timeoutAt, p.transferId",
                        PendingTransferEntity.class)
                .setParameter("now", clock.instant())
                .setMaxResults(BATCH)
                .getResultList()
                .stream()
                .map(entry -> entry.transferId().value())
                .toList());
    }

    private List<UUID> walletsWithExpiredLots() {
        List<?> rows = transactions.inTransaction(em -> em.createNativeQuery(
                        "SELECT DISTINCT account_id FROM lot WHERE expires_at <= ? AND remaining > 0 LIMIT " + BATCH)
                .setParameter(1, java.time.LocalDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                .getResultList());
        return rows.stream().map(row -> UuidConverter.fromBytes((byte[]) row)).toList();
    }

    public Balance balance(AccountId wallet) {
        return transactions.inTransaction(em -> ledger.balance(em, wallet));
    }

    /** A wallet's transfers, newest first, {@code limit} at a time from {@code cursor} (null for the newest). */
    public HistoryPage history(AccountId wallet, String cursor, int limit) {
        if (limit < 1 || limit > 200) {
            throw KizunaException.invalid("limit is 1 to 200.");
        }
        byte[] before = cursor == null ? maxId() : UuidConverter.toBytes(parseCursor(cursor));
        byte[] account = UuidConverter.toBytes(wallet.value());
        List<TransferEntity> rows = transactions.inTransaction(em -> {
            @SuppressWarnings("unchecked")
            List<TransferEntity> found = em.createNativeQuery("""
                            (SELECT * FROM transfer WHERE debit_account_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3)
                            UNION ALL
                            (SELECT * FROM transfer WHERE credit_account_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3)
                            ORDER BY id DESC LIMIT ?3""", TransferEntity.class)
                    .setParameter(1, account)
                    .setParameter(2, before)
                    .setParameter(3, limit + 1)
                    .getResultList();
            return found;
        });
        List<TransferView> items = rows.stream().limit(limit).map(row -> TransferView.of(row, wallet)).toList();
        String next = rows.size() > limit ? items.getLast().id().toString() : null;
        return new HistoryPage(items, next);
    }

    /** One transfer, seen from the wallet it touched. */
    public TransferView transfer(TransferId id) {
        return transactions.inTransaction(em -> {
            TransferEntity transfer = Ledger.findTransfer(em, id);
            return TransferView.of(transfer, Ledger.walletSide(em, transfer));
        });
    }

    private static UUID parseCursor(String cursor) {
        try {
            return UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw KizunaException.invalid("The cursor is not one this API gave out.");
        }
    }

    private static byte[] maxId() {
        byte[] max = new byte[16];
        java.util.Arrays.fill(max, (byte) 0xff);
        return max;
    }
}
