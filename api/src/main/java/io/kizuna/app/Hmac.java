package io.kizuna.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one key; separate keys for separate purposes are derived from the configured secret. */
final class Hmac {
    private final SecretKeySpec key;

    Hmac(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** A key for {@code purpose} only, so that a token MAC can never pass as a card code MAC or the reverse. */
    static Hmac derived(byte[] secret, String purpose) {
        return new Hmac(new Hmac(secret).sign(purpose.getBytes(StandardCharsets.UTF_8)));
    }

    byte[] sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
