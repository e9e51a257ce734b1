package io.kizuna.ledger;

public enum AccountKind {
    MEMBER_WALLET,
    CARD_WALLET,
    ISSUANCE,
    REDEMPTION,
    EXPIRY,
    ADJUSTMENT;

    public boolean isWallet() {
        return this == MEMBER_WALLET || this == CARD_WALLET;
    }
}
