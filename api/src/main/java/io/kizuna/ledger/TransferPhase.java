package io.kizuna.ledger;

/**
 * Where a transfer stands in the two-phase protocol. SINGLE moves points at once. PENDING reserves them; exactly one
 * later transfer of phase POST, VOID or EXPIRE resolves it. Only SINGLE and POST change posted balances.
 */
public enum TransferPhase {
    SINGLE,
    PENDING,
    POST,
    VOID,
    EXPIRE;

    public boolean isPosted() {
        return this == SINGLE || this == POST;
    }
}
