package io.kizuna.campaign;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

import io.kizuna.db.UuidConverter;

/**
 * Treatment or control: a deterministic hash of (campaign, member). The first 8 bytes of SHA-256 over the two ids'
 * 16 bytes each, read as an unsigned 64-bit number, fall below holdout × 2^64 for control members. Assignment
 * evaluates it in SQL ({@link #CONTROL_SQL}) over a whole audience at once; {@link #isControl} is the same function
 * in Java, which the tests hold the SQL to.
 */
public final class Arms {
    /** True for control; parameters: the campaign id's bytes, then {@link #threshold}; the member is {@code x.id}. */
    static final String CONTROL_SQL =
            "CAST(CONV(LEFT(SHA2(CONCAT(?, x.id), 256), 16), 16, 10) AS DECIMAL(20, 0)) < CAST(? AS DECIMAL(20, 0))";
    private static final BigDecimal TWO_TO_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));

    public enum Arm {
        TREATMENT,
        CONTROL
    }

    private Arms() {
    }

    /** holdout × 2^64, rounded down, as a decimal string: hashes below it are control. */
    static String threshold(BigDecimal holdout) {
        return holdout.multiply(TWO_TO_64).toBigInteger().toString();
    }

    public static boolean isControl(UUID campaign, UUID member, BigDecimal holdout) {
        return hash(campaign, member).compareTo(new BigInteger(threshold(holdout))) < 0;
    }

    static BigInteger hash(UUID campaign, UUID member) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(UuidConverter.toBytes(campaign));
            sha.update(UuidConverter.toBytes(member));
            byte[] first = java.util.Arrays.copyOf(sha.digest(), 8);
            return new BigInteger(1, first);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
