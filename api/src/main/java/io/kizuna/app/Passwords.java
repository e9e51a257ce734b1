package io.kizuna.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.kizuna.error.KizunaException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle) in the PHC string format, {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash},
 * so that each hash carries its own cost and a stronger cost applies to new hashes without breaking old ones.
 */
final class Passwords {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MIN_LENGTH = 10;
    private static final int MAX_LENGTH = 128;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /** Argon2id's cost: memory in KiB, passes over it, lanes. */
    record Cost(int memoryKib, int iterations, int parallelism) {
        Cost {
            if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("kizuna.app.argon2: memory-kib >= 8 x parallelism, iterations >= 1");
            }
        }
    }

    private final Cost cost;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    Passwords(Cost cost) {
        this.cost = cost;
        this.dummyHash = hash("not anybody's password");
    }

    /** A new password must be 10 to 128 characters: length is what makes a password hard to guess. */
    static void requireAcceptable(String password, String field) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH
                || password.length() > MAX_LENGTH) {
            throw KizunaException.invalid(field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters.");
        }
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, cost, HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    boolean matches(String password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            throw new IllegalStateException("Not an Argon2id hash of this program");
        }
        String[] params = parts[3].split(",");
        Cost stored = new Cost(Integer.parseInt(params[0].substring(2)), Integer.parseInt(params[1].substring(2)),
                Integer.parseInt(params[2].substring(2)));
        byte[] expected = B64_DECODER.decode(parts[5]);
        byte[] actual = derive(password == null ? "" : password, B64_DECODER.decode(parts[4]), stored,
                expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same time as a real check, so that an unknown email cannot be told apart by its speed. */
    void checkAgainstNobody(String password) {
        matches(password, dummyHash);
    }

    private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
