package io.kizuna.ledger;

import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Commands.Adjust;
import io.kizuna.ledger.Commands.Reverse;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Transactions;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.IdempotencyKey;

/** Manual changes to points by staff: each is a ledger transfer and an audit log entry, committed together. */
public final class Corrections {
    private static final String KEY_SCOPE = "corrections";

    private final Transactions transactions;
    private final Idempotency idempotency;
    private final Ledger ledger;
    private final AuditLog auditLog;

    public Corrections(Transactions transactions, Idempotency idempotency, Ledger ledger, AuditLog auditLog) {
        this.transactions = transactions;
        this.idempotency = idempotency;
        this.ledger = ledger;
        this.auditLog = auditLog;
    }

    public TransferReceipt adjust(Caller caller, IdempotencyKey key, AccountId wallet, long points, String reason) {
        Adjust adjust = new Adjust(wallet, points, new Memo(null, reason, caller.actor()));
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "adjust", adjust,
                TransferReceipt.class, () -> {
                    TransferReceipt receipt = ledger.adjust(em, adjust);
                    auditLog.record(em, caller.action("ledger.adjust", wallet.toString(),
                            "points=" + points + " transfer=" + receipt.transferId() + " reason=" + reason));
                    return receipt;
                }));
    }

    public TransferReceipt reverse(Caller caller, IdempotencyKey key, TransferId original, Points points,
                                   String reason) {
        if (reason == null) {
            throw KizunaException.invalid("A reversal by staff needs a reason.");
        }
        Reverse reverse = new Reverse(original, points, new Memo(null, reason, caller.actor()));
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "reverse", reverse,
                TransferReceipt.class, () -> {
                    TransferReceipt receipt = ledger.reverse(em, reverse);
                    auditLog.record(em, caller.action("ledger.reverse", original.toString(),
                            "points=" + receipt.points() + " transfer=" + receipt.transferId() + " reason=" + reason));
                    return receipt;
                }));
    }
}
