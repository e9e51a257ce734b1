package io.kizuna.member;

public enum CardKind {
    /** A plastic card with a printed barcode, often handed out at a till before anyone registers it. */
    PHYSICAL,
    /** The card shown in the member app. */
    VIRTUAL
}
