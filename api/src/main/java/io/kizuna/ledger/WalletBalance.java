package io.kizuna.ledger;

/**
 * A wallet's balance.
 *
 * @param available spendable now: posted points not held for a redemption (negative after a clawback)
 * @param pending   earned but not yet posted (inside a return window)
 * @param held      reserved by redemption holds in progress
 */
public record WalletBalance(long available, long pending, long held) {
    static WalletBalance of(AccountEntity wallet) {
        return new WalletBalance(wallet.available(), wallet.pendingCredits(), wallet.pendingDebits());
    }
}
