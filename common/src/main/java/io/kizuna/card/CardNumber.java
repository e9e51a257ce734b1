package io.kizuna.card;

import java.security.SecureRandom;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * A Kizuna card number: a 13-digit EAN in the GS1 restricted-circulation range (prefix 20 to 29, for use inside
 * one company) ending in the GS1 mod-10 check digit. The barcode payload is the number itself.
 */
public record CardNumber(@JsonValue String value) {
    private static final SecureRandom RANDOM = new SecureRandom();

    @JsonCreator
    public CardNumber {
        if (value == null || !value.matches("2[0-9]{12}")) {
            throw new KizunaException(ErrorCode.INVALID_CARD_NUMBER,
                    "A card number is 13 digits starting with 20 to 29.");
        }
        if (checkDigit(value.substring(0, 12)) != value.charAt(12) - '0') {
            throw new KizunaException(ErrorCode.INVALID_CARD_NUMBER, "The card number's check digit is wrong.");
        }
    }

    public static CardNumber parse(String text) {
        return new CardNumber(text == null ? null : text.strip());
    }

    /** A new random number under the program's two-digit prefix; uniqueness is the database's to enforce. */
    public static CardNumber random(String prefix) {
        StringBuilder digits = new StringBuilder(prefix);
        while (digits.length() < 12) {
            digits.append(RANDOM.nextInt(10));
        }
        return new CardNumber(digits.toString() + checkDigit(digits.toString()));
    }

    /** GS1 mod-10: weights 3 and 1 alternate from the rightmost data digit. */
    public static int checkDigit(String twelveDigits) {
        int sum = 0;
        for (int i = 0; i < twelveDigits.length(); i++) {
            int digit = twelveDigits.charAt(twelveDigits.length() - 1 - i) - '0';
            sum += i % 2 == 0 ? digit * 3 : digit;
        }
        return (10 - sum % 10) % 10;
    }

    @Override
    public String toString() {
        return value;
    }
}
