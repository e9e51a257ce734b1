package io.kizuna.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.LedgerConfig;
import io.kizuna.persistence.Ids;

/**
 * The plain-JDBC writes of a posted earn and of its idempotency record, as EclipseLink sends them for the ledger:
 * shared by the ledger benchmark and the till harness's plain-JDBC sales. The SQL text must stay what the service
 * sends: both benchmarks compare the two through the server's general log.
 */
final class EarnRows {
    static final String FIND_RECORD = "SELECT idempotency_key, created_at, request_hash, response_json"
            + " FROM idempotency_record WHERE (idempotency_key = ?)";
    static final String LOCK_WALLET = "SELECT id, card_number, created_at, kind, member_id,"
            + " pending_credits, pending_debits, posted FROM account WHERE (id = ?) FOR UPDATE";
    private static final String UPDATE_WALLET = "UPDATE account SET posted = ? WHERE (id = ?)";
    private static final String INSERT_LOT = "INSERT INTO lot (id, account_id, amount, earned_at, expires_at,"
            + " remaining, transfer_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TRANSFER = "INSERT INTO transfer (id, actor, amount, code,"
            + " created_at, credit_account_id, debit_account_id, pending_id, phase, reason, reference,"
            + " reverses_id, timeout_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_RECORD = "INSERT INTO idempotency_record (idempotency_key, created_at,"
            + " request_hash, response_json) VALUES (?, ?, ?, ?)";
    private static final String INSERT_EVENT = "INSERT INTO outbox_event (id, type, member_id, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final byte[] ISSUANCE = UuidConverter.toBytes(AccountId.ISSUANCE.value());

    /** A wallet as its lock read it: its id, its member's id and its posted balance. */
    record LockedWallet(byte[] id, byte[] memberId, long posted) {
        static LockedWallet of(byte[] id, ResultSet row) throws SQLException {
            return new LockedWallet(id, row.getBytes("member_id"), row.getLong("posted"));
        }
    }

    private EarnRows() {
    }

    static boolean recordExists(Connection connection, String key) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(FIND_RECORD)) {
            find.setString(1, key);
            try (ResultSet found = find.executeQuery()) {
                return found.next();
            }
        }
    }

    /**
     * Posts {@code points} to a locked wallet: the transfer from the issuance account, its feed event, the wallet's
     * new balance and its lot, in the service's order. Answers the transfer's id.
     */
    static UUID postEarn(Connection connection, LockedWallet wallet, long points, String reference, Instant now,
                         LedgerConfig ledger) throws SQLException {
        UUID transferId = Ids.next();
        byte[] walletId = wallet.id();
        insertTransfer(connection, transferId, walletId, points, reference, now);
        insertEvent(connection, "points.moved", wallet.memberId(), "{\"transferId\":\"" + transferId
                + "\",\"code\":\"EARN\",\"phase\":\"SINGLE\",\"points\":" + points
                + ",\"from\":\"ISSUANCE\",\"to\":\"MEMBER_WALLET\",\"walletId\":\""
                + UuidConverter.fromBytes(walletId) + "\",\"at\":\"" + now + "\"}", now);
        long postedBefore = wallet.posted();
        try (PreparedStatement update = connection.prepareStatement(UPDATE_WALLET)) {
            update.setLong(1, postedBefore + points);
            update.setBytes(2, walletId);
            update.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LOT)) {
            insert.setBytes(1, UuidConverter.toBytes(Ids.next()));
            insert.setBytes(2, walletId);
            insert.setLong(3, points);
            insert.setObject(4, utc(now));
            insert.setObject(5, utc(expiryFor(now, ledger)));
            insert.setLong(6, points);
            insert.setBytes(7, UuidConverter.toBytes(transferId));
            insert.executeUpdate();
        }
        return transferId;
    }

    private static void insertTransfer(Connection connection, UUID transferId, byte[] walletId, long points,
                                       String reference, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_TRANSFER)) {
            insert.setBytes(1, UuidConverter.toBytes(transferId));
            insert.setNull(2, Types.VARCHAR);
            insert.setLong(3, points);
            insert.setString(4, "EARN");
            insert.setObject(5, utc(now));
            insert.setBytes(6, walletId);
            insert.setBytes(7, ISSUANCE);
            insert.setNull(8, Types.BINARY);
            insert.setString(9, "SINGLE");
            insert.setNull(10, Types.VARCHAR);
            insert.setString(11, reference);
            insert.setNull(12, Types.BINARY);
            insert.setNull(13, Types.TIMESTAMP);
            insert.executeUpdate();
        }
    }

    /** A feed event as the outbox writes it; {@code payload} is JSON of the same shape and size as the service's. */
    static void insertEvent(Connection connection, String type, byte[] memberId, String payload, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            insert.setBytes(1, UuidConverter.toBytes(Ids.next()));
            insert.setString(2, type);
            insert.setBytes(3, memberId);
            insert.setString(4, payload);
            insert.setObject(5, utc(now));
            insert.executeUpdate();
        }
    }

    /** The idempotency record: key, when, the request's hash and the reply as stored JSON. */
    static void insertRecord(Connection connection, String key, Instant now, String requestForHash, String reply)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORD)) {
            insert.setString(1, key);
            insert.setObject(2, utc(now));
            insert.setBytes(3, sha256(requestForHash));
            insert.setString(4, reply);
            insert.executeUpdate();
        }
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant expiryFor(Instant earnedAt, LedgerConfig ledger) {
        YearMonth lastValidMonth = YearMonth.from(earnedAt.atZone(ledger.zone())).plusMonths(ledger.expiryMonths());
        return lastValidMonth.plusMonths(1).atDay(1).atStartOfDay(ledger.zone()).toInstant();
    }
}
