package io.kizuna.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.kizuna.card.CardNumber;
import io.kizuna.card.RotatingCardCode;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.pos.CardCodeResolver;
import io.kizuna.pos.Terminal;

/**
 * Rotating card codes, TOTP-like: the MAC is HMAC-SHA256(key, card number, time step) reduced to 10 digits. A
 * code is accepted in the step it was made and the next one, so it lives between one and two steps (with the
 * default 30 s step: 30 to 60 s). A code that was genuine within the last hour is refused as expired, anything
 * else as not genuine. The device holds no secret: the app fetches a fresh code with its session.
 */
final class CardCodes implements CardCodeResolver {
    private static final long MAC_MODULUS = 10_000_000_000L;
    private static final Duration RECOGNISED_AS_EXPIRED = Duration.ofHours(1);

    private final Hmac hmac;
    private final Duration step;
    private final Clock clock;

    CardCodes(byte[] secret, Duration step, Clock clock) {
        this.hmac = Hmac.derived(secret, "kizuna card code v1");
        this.step = step;
        this.clock = clock;
    }

    record Issued(RotatingCardCode code, Instant expiresAt) {
    }

    Issued issue(CardNumber card) {
        long now = stepAt(clock.instant());
        return new Issued(RotatingCardCode.of(card, mac(card, now)),
                Instant.ofEpochMilli((now + 2) * step.toMillis()));
    }

    /** The card a genuine, current code stands for. Whether the card still identifies anyone is the till's to say. */
    @Override
    public CardNumber resolve(Terminal terminal, RotatingCardCode code) {
        CardNumber card;
        try {
            card = code.claimedCard();
        } catch (KizunaException e) {
            throw forged();
        }
        long now = stepAt(clock.instant());
        byte[] presented = code.macDigits().getBytes(StandardCharsets.US_ASCII);
        if (matches(card, now, presented) || matches(card, now - 1, presented)) {
            return card;
        }
        long oldest = now - RECOGNISED_AS_EXPIRED.toMillis() / step.toMillis();
        for (long earlier = now - 2; earlier >= oldest; earlier--) {
            if (matches(card, earlier, presented)) {
                throw new KizunaException(ErrorCode.CARD_CODE_EXPIRED,
                        "This card code has expired: ask the member to show the code the app shows now.");
            }
        }
        throw forged();
    }

    private boolean matches(CardNumber card, long step, byte[] presented) {
        return MessageDigest.isEqual(mac(card, step).getBytes(StandardCharsets.US_ASCII), presented);
    }

    private String mac(CardNumber card, long stepNumber) {
        byte[] data = ByteBuffer.allocate(13 + 8).put(card.value().getBytes(StandardCharsets.US_ASCII))
                .putLong(stepNumber).array();
        long value = ByteBuffer.wrap(hmac.sign(data)).getLong() & Long.MAX_VALUE;
        return String.format("%0" + RotatingCardCode.MAC_DIGITS + "d", value % MAC_MODULUS);
    }

    private long stepAt(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), step.toMillis());
    }

    private static KizunaException forged() {
        return new KizunaException(ErrorCode.CARD_CODE_INVALID, "This card code is not genuine.");
    }
}
