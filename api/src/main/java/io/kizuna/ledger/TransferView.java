package io.kizuna.ledger;

import java.time.Instant;

/**
 * One line of a wallet's history.
 *
 * @param points signed from the wallet's side: positive when points came in, negative when they went out
 */
public record TransferView(TransferId id,
                           TransferCode code,
                           TransferPhase phase,
                           long points,
                           String reference,
                           String reason,
                           String actor,
                           TransferId pendingId,
                           TransferId reversesId,
                           Instant createdAt) {
    static TransferView of(TransferEntity transfer, AccountId wallet) {
        long signed = transfer.credit().equals(wallet) ? transfer.amount() : -transfer.amount();
        Memo memo = transfer.memo();
        return new TransferView(transfer.id(), transfer.code(), transfer.phase(), signed, memo.reference(),
                memo.reason(), memo.actor(), transfer.pendingId(), transfer.reversesId(), transfer.createdAt());
    }
}
