package io.kizuna.member;

public enum MemberStatus {
    ACTIVE,
    /** Temporarily barred from earning and spending; staff can still correct points. */
    SUSPENDED,
    /** The membership ended; nothing changes any more. */
    CLOSED,
    /** Folded into another member record, which now holds its cards and points. */
    MERGED
}
