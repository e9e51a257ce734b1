package io.kizuna.member;

public enum CardStatus {
    ACTIVE,
    /** Lost, stolen or replaced: it no longer identifies anyone at a till. */
    BLOCKED
}
