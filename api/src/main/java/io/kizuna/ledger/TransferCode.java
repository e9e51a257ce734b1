package io.kizuna.ledger;

/** Why a transfer happened. */
public enum TransferCode {
    /** Points for a purchase (or any other reason to reward), from the issuance account. */
    EARN,
    /** Points spent, to the redemption account; pending while held at a till. */
    REDEMPTION,
    /** A manual correction by staff, with reason and actor, against the adjustment account. */
    ADJUSTMENT,
    /** What was left of lots past their expiry, to the expiry account. */
    EXPIRY,
    /** Undoes all or part of an earlier transfer; points at it. */
    REVERSAL,
    /** An unregistered card's points moving to the member who registered it. */
    CARD_REGISTRATION,
    /** Points of a merged member record moving to the surviving record. */
    MEMBER_MERGE,
    /** A campaign's budget moving from issuance to the campaign's account, or what is left of it going back. */
    CAMPAIGN_BUDGET
}
