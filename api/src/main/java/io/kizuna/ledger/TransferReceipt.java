package io.kizuna.ledger;

import io.kizuna.persistence.Idempotency;

/**
 * The answer to a ledger command: the transfer it wrote, the wallet's balance right after, and whether this is
 * the stored answer to an earlier identical command.
 */
public record TransferReceipt(TransferId transferId,
                              TransferCode code,
                              TransferPhase phase,
                              long points,
                              AccountId wallet,
                              WalletBalance balance,
                              boolean replay) implements Idempotency.Replayable<TransferReceipt> {
    @Override
    public TransferReceipt asReplay() {
        return new TransferReceipt(transferId, code, phase, points, wallet, balance, true);
    }
}
