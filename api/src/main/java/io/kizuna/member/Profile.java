package io.kizuna.member;

import java.time.LocalDate;
import java.util.regex.Pattern;

import io.kizuna.error.KizunaException;

/** What a member tells the program about themselves. Every field is optional; present ones must be sane. */
public record Profile(String name,
                      String nameKana,
                      String email,
                      String phone,
                      LocalDate birthDate,
                      Gender gender,
                      String postalCode,
                      String prefecture) {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 -]{5,19}");
    private static final Pattern POSTAL_CODE = Pattern.compile("[0-9]{3}-?[0-9]{4}");
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    public enum Gender { FEMALE, MALE, OTHER, UNDISCLOSED }

    public static final Profile EMPTY = new Profile(null, null, null, null, null, null, null, null);

    public Profile {
        checkText("name", name, 200);
        checkText("nameKana", nameKana, 200);
        checkText("prefecture", prefecture, 40);
        checkPattern("email", email, EMAIL, 320);
        checkPattern("phone", phone, PHONE, 20);
        checkPattern("postalCode", postalCode, POSTAL_CODE, 8);
        if (birthDate != null && birthDate.isBefore(EARLIEST_BIRTH)) {
            throw KizunaException.invalid("birthDate must be between 1900-01-01 and today.");
        }
    }

    /** Birth dates in the future are refused against the program's clock, not the record's. */
    void requireBornBy(LocalDate today) {
        if (birthDate != null && birthDate.isAfter(today)) {
            throw KizunaException.invalid("birthDate must be between 1900-01-01 and today.");
        }
    }

    private static void checkText(String field, String value, int maxLength) {
        if (value != null && (value.isBlank() || value.length() > maxLength)) {
            throw KizunaException.invalid(field + " must be 1 to " + maxLength + " characters.");
        }
    }

    private static void checkPattern(String field, String value, Pattern pattern, int maxLength) {
        if (value != null && (value.length() > maxLength || !pattern.matcher(value).matches())) {
            throw KizunaException.invalid(field + " is not a valid " + field + ".");
        }
    }
}
