package io.kizuna.staff;

import java.util.EnumSet;
import java.util.Set;

/** Staff roles and what each may do. */
public enum Role {
    /** Runs the program: everything, including corrections to points and staff credentials. */
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Understands and targets members: reads profiles, points and the CRM reports; defines tiers and segments. */
    MARKETER(EnumSet.of(Permission.READ_MEMBERS, Permission.READ_LEDGER, Permission.READ_ANALYTICS,
            Permission.MANAGE_PROGRAM, Permission.MANAGE_CAMPAIGNS)),
    /** Checks the books: reads the ledger, its audit and the audit log, but not members' profiles. */
    AUDITOR(EnumSet.of(Permission.READ_LEDGER, Permission.AUDIT));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }
}
