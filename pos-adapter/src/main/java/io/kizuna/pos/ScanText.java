package io.kizuna.pos;

import java.util.function.Function;
import java.util.regex.Pattern;

import io.kizuna.card.CardNumber;
import io.kizuna.card.RotatingCardCode;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * Text from a barcode scanner as tills send it: an optional AIM symbology identifier ("]E0" for EAN-13,
 * "]C0" for Code 128, "]Q1" for QR) before the data and an optional CR, LF or TAB after it. What remains must be
 * a card number with a valid check digit, refused before any lookup.
 */
public final class ScanText {
    private static final Pattern AIM_PREFIX = Pattern.compile("^\\][A-Za-z][0-9A-Za-z]");
    private static final int MAX_LENGTH = 128;

    private ScanText() {
    }

    public static CardNumber cardNumber(String scanned) {
        return CardNumber.parse(data(scanned));
    }

    /** A card number, or the card a member app's rotating code stands for once {@code codes} checked it. */
    public static CardNumber cardNumber(String scanned, Function<RotatingCardCode, CardNumber> codes) {
        String data = data(scanned);
        return RotatingCardCode.looksLikeOne(data) ? codes.apply(new RotatingCardCode(data)) : CardNumber.parse(data);
    }

    private static String data(String scanned) {
        if (scanned == null || scanned.isEmpty() || scanned.length() > MAX_LENGTH) {
            throw new KizunaException(ErrorCode.INVALID_CARD_NUMBER, "The scan is empty or too long.");
        }
        return AIM_PREFIX.matcher(scanned).replaceFirst("").replaceAll("[\\r\\n\\t]+$", "");
    }
}
