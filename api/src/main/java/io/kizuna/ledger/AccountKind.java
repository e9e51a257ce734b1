package io.kizuna.ledger;

public enum AccountKind {
    MEMBER_WALLET,
    CARD_WALLET,
    ISSUANCE,
    REDEMPTION,
    EXPIRY,
    ADJUSTMENT,
    /** A campaign's points budget: cached like a wallet, its balance is what the campaign may still award. */
    CAMPAIGN;

    public boolean isWallet() {
        return this == MEMBER_WALLET || this == CARD_WALLET;
    }
}
