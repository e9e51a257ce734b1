package io.kizuna.staff;

/** What a staff member may do through /api/v1. */
public enum Permission {
    READ_MEMBERS,
    WRITE_MEMBERS,
    READ_LEDGER,
    WRITE_LEDGER,
    AUDIT,
    MANAGE_STAFF,
    MANAGE_STORES
}
