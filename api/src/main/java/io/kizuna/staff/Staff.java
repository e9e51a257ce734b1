package io.kizuna.staff;

import java.util.UUID;

/** An authenticated staff caller. {@link #actor()} is how it appears in transfers and the audit log. */
public record Staff(UUID credentialId, String name, Role role) {
    public String actor() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }
}
