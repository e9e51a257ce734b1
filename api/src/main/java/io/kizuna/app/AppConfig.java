package io.kizuna.app;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

import io.helidon.config.Config;

/**
 * The member app's settings ({@code kizuna.app}).
 *
 * @param tokenSecret         signs access tokens and rotating card codes; every node of a cluster needs the same
 * @param secretWasGenerated  true when none was configured: tokens and codes then die with the process
 * @param clientAddressHeader header a trusted proxy sets with the client's address, empty for the socket peer
 */
public record AppConfig(byte[] tokenSecret,
                        boolean secretWasGenerated,
                        Duration accessTokenTtl,
                        Duration refreshTokenTtl,
                        Passwords.Cost passwordCost,
                        int maxFailedAttempts,
                        Duration failedAttemptWindow,
                        Duration cardCodeStep,
                        String clientAddressHeader) {
    private static final int MIN_SECRET_BYTES = 32;

    public static AppConfig from(Config app) {
        String configured = app.get("token-secret").asString().orElse("");
        boolean generated = configured.isBlank();
        byte[] secret;
        if (generated) {
            secret = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
        } else {
            secret = configured.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("kizuna.app.token-secret must be at least 32 characters.");
            }
        }
        return new AppConfig(secret, generated,
                app.get("access-token-ttl").as(Duration.class).orElse(Duration.ofMinutes(15)),
                app.get("refresh-token-ttl").as(Duration.class).orElse(Duration.ofDays(30)),
                new Passwords.Cost(app.get("argon2.memory-kib").asInt().orElse(19 * 1024),
                        app.get("argon2.iterations").asInt().orElse(2),
                        app.get("argon2.parallelism").asInt().orElse(1)),
                app.get("sign-in.max-failures").asInt().orElse(10),
                app.get("sign-in.window").as(Duration.class).orElse(Duration.ofMinutes(15)),
                app.get("card-code.step").as(Duration.class).orElse(Duration.ofSeconds(30)),
                app.get("client-address-header").asString().orElse(""));
    }
}
