package io.kizuna.staff;

/** What a staff member may do through /api/v1. */
public enum Permission {
    READ_MEMBERS,
    WRITE_MEMBERS,
    READ_LEDGER,
    WRITE_LEDGER,
    AUDIT,
    MANAGE_STAFF,
    MANAGE_STORES,
    /** Reads the CRM reports and triggers their recompute. */
    READ_ANALYTICS,
    /** Reads the purchase-data feed and manages its webhook subscriptions. */
    MANAGE_FEED,
    /** Defines the program: its tiers (and their simulation and review). */
    MANAGE_PROGRAM,
    /** Creates, changes and deletes marketing segments (and, later, campaigns). */
    MANAGE_CAMPAIGNS
}
