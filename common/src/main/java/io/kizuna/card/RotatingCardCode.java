package io.kizuna.card;

import java.util.regex.Pattern;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * The member app's short-lived card code as a scanner reads it: "9", the 13-digit card number, then a 10-digit
 * HMAC of the card number and the time step. Only the server that knows the key can tell whether the MAC is
 * genuine and recent; this type only knows the shape. 24 digits starting with 9 can never be mistaken for an
 * EAN-13 card number (13 digits starting with 2), and all digits keep the QR code in its compact numeric mode.
 */
public record RotatingCardCode(String value) {
    public static final int MAC_DIGITS = 10;
    private static final Pattern SHAPE = Pattern.compile("9[0-9]{23}");

    public RotatingCardCode {
        if (!looksLikeOne(value)) {
            throw new KizunaException(ErrorCode.CARD_CODE_INVALID,
                    "A rotating card code is 24 digits starting with 9.");
        }
    }

    public static boolean looksLikeOne(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    public static RotatingCardCode of(CardNumber card, String macDigits) {
        return new RotatingCardCode("9" + card.value() + macDigits);
    }

    /** The card the code claims to stand for; {@link CardNumber} still checks its check digit. */
    public CardNumber claimedCard() {
        return CardNumber.parse(value.substring(1, 14));
    }

    public String macDigits() {
        return value.substring(14);
    }

    @Override
    public String toString() {
        return value.substring(0, 14) + "…"; // the MAC never goes into logs
    }
}
