package io.kizuna.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;

/**
 * Failed attempts per subject (an account, a client address, a card) in a sliding window, kept in the database so
 * that every node of a cluster sees the same count. Once a subject reached the limit, further attempts are refused
 * before any password or card check is made. Subjects are stored as SHA-256, never as an email or address.
 * Concurrent attempts can overshoot the limit by the number of requests in flight; that is accepted.
 */
final class FailedAttempts {
    private final Transactions transactions;
    private final Clock clock;
    private final int limit;
    private final Duration window;

    FailedAttempts(Transactions transactions, Clock clock, int limit, Duration window) {
        this.transactions = transactions;
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    static String account(String email) {
        return "account:" + email;
    }

    static String address(String address) {
        return "address:" + address;
    }

    static String card(String number) {
        return "card:" + number;
    }

    void requireBelowLimit(List<String> subjects) {
        transactions.inTransaction(em -> {
            for (String subject : subjects) {
                Number failures = (Number) em.createNativeQuery(
                                "SELECT COUNT(*) FROM app_failed_attempt WHERE subject_hash = ?1 AND at > ?2")
                        .setParameter(1, hash(subject))
                        .setParameter(2, windowStart())
                        .getSingleResult();
                if (failures.longValue() >= limit) {
                    throw new KizunaException(ErrorCode.TOO_MANY_ATTEMPTS, "Too many failed attempts; try again in "
                            + window.toMinutes() + " minutes.");
                }
            }
            return null;
        });
    }

    /** Counts a failure against each subject, in a transaction of its own so that the refusal that follows
     * cannot roll it back. Rows that left the window are pruned on the way. */
    void record(List<String> subjects) {
        transactions.inTransaction(em -> {
            for (String subject : subjects) {
                byte[] hash = hash(subject);
                em.createNativeQuery("DELETE FROM app_failed_attempt WHERE subject_hash = ?1 AND at <= ?2")
                        .setParameter(1, hash).setParameter(2, windowStart()).executeUpdate();
                em.createNativeQuery("INSERT INTO app_failed_attempt (id, subject_hash, at) VALUES (?1, ?2, ?3)")
                        .setParameter(1, UuidConverter.toBytes(Ids.next()))
                        .setParameter(2, hash)
                        .setParameter(3, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                        .executeUpdate();
            }
            return null;
        });
    }

    /** A successful sign-in forgives the account's failures (not the address's: others may share it). */
    void clear(String subject) {
        transactions.inTransaction(em -> em.createNativeQuery("DELETE FROM app_failed_attempt WHERE subject_hash = ?1")
                .setParameter(1, hash(subject)).executeUpdate());
    }

    private LocalDateTime windowStart() {
        return LocalDateTime.ofInstant(clock.instant().minus(window), ZoneOffset.UTC);
    }

    static byte[] hash(String subject) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
