package io.kizuna.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * Short-lived access tokens: {@code kz1.<payload>.<mac>}, base64url without padding, where the payload is the
 * member id, the session id and the expiry (epoch seconds), and the MAC is HMAC-SHA256 of {@code kz1.<payload>}.
 * A compact format of our own rather than JWT: one algorithm, no header to negotiate, nothing to misconfigure.
 * Expiry is checked against the injected clock; revocation through the session, by the caller.
 */
final class AccessTokens {
    private static final String VERSION = "kz1.";
    private static final int PAYLOAD_BYTES = 16 + 16 + 8;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    record Claims(UUID memberId, UUID sessionId, Instant expiresAt) {
    }

    private final Hmac hmac;
    private final Clock clock;

    AccessTokens(byte[] secret, Clock clock) {
        this.hmac = Hmac.derived(secret, "kizuna access token v1");
        this.clock = clock;
    }

    String issue(Claims claims) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES)
                .putLong(claims.memberId().getMostSignificantBits())
                .putLong(claims.memberId().getLeastSignificantBits())
                .putLong(claims.sessionId().getMostSignificantBits())
                .putLong(claims.sessionId().getLeastSignificantBits())
                .putLong(claims.expiresAt().getEpochSecond());
        String signed = VERSION + ENCODER.encodeToString(payload.array());
        return signed + "." + ENCODER.encodeToString(mac(signed));
    }

    /** The claims of a genuine, unexpired token; anything else is a 401 that does not say what was wrong. */
    Claims verify(String token) {
        int dot = token.lastIndexOf('.');
        if (!token.startsWith(VERSION) || dot <= VERSION.length() || token.length() > 200) {
            throw refused();
        }
        String signed = token.substring(0, dot);
        byte[] payload;
        byte[] mac;
        try {
            payload = DECODER.decode(signed.substring(VERSION.length()));
            mac = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        if (payload.length != PAYLOAD_BYTES || !MessageDigest.isEqual(mac, mac(signed))) {
            throw refused();
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        Claims claims = new Claims(new UUID(buffer.getLong(), buffer.getLong()),
                new UUID(buffer.getLong(), buffer.getLong()), Instant.ofEpochSecond(buffer.getLong()));
        if (!clock.instant().isBefore(claims.expiresAt())) {
            throw new KizunaException(ErrorCode.UNAUTHENTICATED, "The access token has expired; refresh it.");
        }
        return claims;
    }

    private byte[] mac(String signed) {
        return hmac.sign(signed.getBytes(StandardCharsets.US_ASCII));
    }

    static KizunaException refused() {
        return new KizunaException(ErrorCode.UNAUTHENTICATED, "The access token is not valid.");
    }
}
