package io.kizuna.ledger;

import io.kizuna.error.KizunaException;

/**
 * What a transfer says about itself: a reference to what caused it (a receipt, a campaign), and for manual
 * changes the reason and the staff member who made them. None of it may hold a member's personal data.
 */
public record Memo(String reference, String reason, String actor) {
    public static final Memo NONE = new Memo(null, null, null);

    public Memo {
        check("reference", reference, 200);
        check("reason", reason, 500);
        check("actor", actor, 120);
    }

    public static Memo reference(String reference) {
        return new Memo(reference, null, null);
    }

    private static void check(String field, String value, int maxLength) {
        if (value != null && (value.isBlank() || value.length() > maxLength)) {
            throw KizunaException.invalid("A transfer's " + field + " is 1 to " + maxLength + " characters.");
        }
    }
}
