package io.kizuna.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import io.kizuna.db.UuidConverter;

/**
 * Proves the ledger's invariants from the raw rows, in one consistent snapshot, without trusting any cache:
 * all balances sum to zero; every cached wallet balance equals the sum of its transfers; every open pending
 * transfer is counted once and every resolution resolves a pending transfer; no reversal reverses more than its
 * original; every lot's remainder equals its amount plus its movements, and a wallet's lots hold exactly its
 * positive available points. An aggregate over the whole ledger: run by auditors and tests, not by tills.
 */
public final class LedgerAudit {
    private final DataSource dataSource;
    private final Clock clock;

    public LedgerAudit(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    private record AccountRow(UUID id, AccountKind kind, long posted, long pendingCredits, long pendingDebits) {
    }

    public AuditReport run() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            try {
                AuditReport report = check(connection);
                connection.commit();
                return report;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The ledger audit could not read the database", e);
        }
    }

    private AuditReport check(Connection connection) throws SQLException {
        List<AuditReport.Violation> violations = new ArrayList<>();
        Map<UUID, AccountRow> accounts = accounts(connection);
        Map<UUID, Long> derived = sums(connection, """
                SELECT account_id, SUM(delta) FROM (
                    SELECT credit_account_id AS account_id, amount AS delta FROM transfer
                     WHERE phase IN ('SINGLE', 'POST')
                    UNION ALL
                    SELECT debit_account_id, -amount FROM transfer WHERE phase IN ('SINGLE', 'POST')
                ) movements GROUP BY account_id""");
        Map<UUID, Long> pendingIn = new HashMap<>();
        Map<UUID, Long> pendingOut = new HashMap<>();
        openPending(connection, pendingIn, pendingOut, violations);

        long sumOfAll = 0;
        long outstanding = 0;
        for (AccountRow account : accounts.values()) {
            long fromTransfers = derived.getOrDefault(account.id(), 0L);
            if (account.kind().isWallet() || account.kind() == AccountKind.CAMPAIGN) {
                // A campaign's account caches its balance like a wallet (what its budget has left), so it is
                // audited like one, lots aside.
                sumOfAll += account.posted();
                outstanding += account.kind().isWallet() ? account.posted() : 0;
                expect(violations, "cached-balance", account.id(), account.posted(), fromTransfers, "posted");
                expect(violations, "cached-balance", account.id(), account.pendingCredits(),
                        pendingIn.getOrDefault(account.id(), 0L), "pending credits");
                expect(violations, "cached-balance", account.id(), account.pendingDebits(),
                        pendingOut.getOrDefault(account.id(), 0L), "pending debits");
            } else {
                sumOfAll += fromTransfers;
            }
        }
        long derivedTotal = derived.values().stream().mapToLong(Long::longValue).sum();
        if (sumOfAll != 0 || derivedTotal != 0) {
            violations.add(new AuditReport.Violation("zero-sum", "ledger",
                    "balances sum to " + sumOfAll + " (from transfers alone: " + derivedTotal + "), not 0"));
        }
        derived.keySet().stream().filter(id -> !accounts.containsKey(id)).forEach(id -> violations.add(
                new AuditReport.Violation("known-accounts", id.toString(),
                        "transfers name an account that does not exist")));
        checkResolutions(connection, violations);
        checkReversals(connection, violations);
        long lots = checkLots(connection, accounts, violations);

        AuditReport.Totals totals = new AuditReport.Totals(outstanding,
                sumOverWallets(accounts, pendingIn),
                sumOverWallets(accounts, pendingOut),
                -derived.getOrDefault(AccountId.ISSUANCE.value(), 0L)
                        - derived.getOrDefault(AccountId.ADJUSTMENT.value(), 0L)
                        - campaignBudgets(accounts, derived),
                derived.getOrDefault(AccountId.REDEMPTION.value(), 0L),
                derived.getOrDefault(AccountId.EXPIRY.value(), 0L));
        return new AuditReport(violations.isEmpty(), clock.instant(), accounts.size(),
                count(connection, "SELECT COUNT(*) FROM transfer"), lots, sumOfAll, totals, List.copyOf(violations));
    }

    /** What campaigns' accounts still hold: moved out of issuance, but not issued to any member yet. */
    private static long campaignBudgets(Map<UUID, AccountRow> accounts, Map<UUID, Long> derived) {
        return accounts.values().stream().filter(account -> account.kind() == AccountKind.CAMPAIGN)
                .mapToLong(account -> derived.getOrDefault(account.id(), 0L))
                .sum();
    }

    /** Pending points as members see them: into and out of wallets, not the program's side of the same transfers. */
    private static long sumOverWallets(Map<UUID, AccountRow> accounts, Map<UUID, Long> amounts) {
        return amounts.entrySet().stream()
                .filter(entry -> accounts.containsKey(entry.getKey()) && accounts.get(entry.getKey()).kind().isWallet())
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static Map<UUID, AccountRow> accounts(Connection connection) throws SQLException {
        Map<UUID, AccountRow> accounts = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, kind, posted, pending_credits, pending_debits FROM account");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                UUID id = UuidConverter.fromBytes(rows.getBytes(1));
                accounts.put(id, new AccountRow(id, AccountKind.valueOf(rows.getString(2)), rows.getLong(3),
                        rows.getLong(4), rows.getLong(5)));
            }
        }
        return accounts;
    }

    private static void openPending(Connection connection, Map<UUID, Long> in, Map<UUID, Long> out,
                                    List<AuditReport.Violation> violations) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT p.id, p.debit_account_id, p.credit_account_id, p.amount, w.transfer_id IS NOT NULL
                  FROM transfer p
                  LEFT JOIN transfer r ON r.pending_id = p.id
                  LEFT JOIN pending_transfer w ON w.transfer_id = p.id
                 WHERE p.phase = 'PENDING' AND r.id IS NULL""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                long amount = rows.getLong(4);
                out.merge(UuidConverter.fromBytes(rows.getBytes(2)), amount, Long::sum);
                in.merge(UuidConverter.fromBytes(rows.getBytes(3)), amount, Long::sum);
                if (!rows.getBoolean(5)) {
                    violations.add(new AuditReport.Violation("pending-work-list", id(rows, 1),
                            "open pending transfer is missing from the work list, so it would never time out"));
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT w.transfer_id FROM pending_transfer w
                  LEFT JOIN transfer p ON p.id = w.transfer_id AND p.phase = 'PENDING'
                  LEFT JOIN transfer r ON r.pending_id = w.transfer_id
                 WHERE p.id IS NULL OR r.id IS NOT NULL""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                violations.add(new AuditReport.Violation("pending-work-list", id(rows, 1),
                        "work list names a transfer that is not an open pending transfer"));
            }
        }
    }

    private static void checkResolutions(Connection connection, List<AuditReport.Violation> violations)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT r.id FROM transfer r LEFT JOIN transfer p ON p.id = r.pending_id
                 WHERE r.phase IN ('POST', 'VOID', 'EXPIRE')
                   AND (p.id IS NULL OR p.phase <> 'PENDING' OR r.amount > p.amount
                        OR (r.phase <> 'POST' AND r.amount <> p.amount)
                        OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id)""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                violations.add(new AuditReport.Violation("pending-resolution", id(rows, 1),
                        "resolution does not match the pending transfer it names"));
            }
        }
    }

    private static void checkReversals(Connection connection, List<AuditReport.Violation> violations)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT o.id, o.amount, SUM(r.amount),
                       SUM(r.debit_account_id <> o.credit_account_id OR r.credit_account_id <> o.debit_account_id)
                  FROM transfer r JOIN transfer o ON o.id = r.reverses_id
                 GROUP BY o.id, o.amount""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                if (rows.getLong(3) > rows.getLong(2)) {
                    violations.add(new AuditReport.Violation("reversal-bound", id(rows, 1),
                            "reversed " + rows.getLong(3) + " of " + rows.getLong(2) + " points"));
                }
                if (rows.getLong(4) > 0) {
                    violations.add(new AuditReport.Violation("reversal-direction", id(rows, 1),
                            "a reversal does not run opposite to its original"));
                }
            }
        }
    }

    private static long checkLots(Connection connection, Map<UUID, AccountRow> accounts,
                                  List<AuditReport.Violation> violations) throws SQLException {
        Map<UUID, Long> remainingByWallet = new HashMap<>();
        long lots = 0;
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT l.id, l.account_id, l.amount, l.remaining, COALESCE(SUM(m.amount), 0)
                  FROM lot l LEFT JOIN lot_movement m ON m.lot_id = l.id
                 GROUP BY l.id, l.account_id, l.amount, l.remaining""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                lots++;
                long amount = rows.getLong(3);
                long remaining = rows.getLong(4);
                long moved = rows.getLong(5);
                if (remaining != amount + moved || remaining < 0 || remaining > amount) {
                    violations.add(new AuditReport.Violation("lot-remainder", id(rows, 1), "remaining " + remaining
                            + " but amount " + amount + " and movements " + moved));
                }
                remainingByWallet.merge(UuidConverter.fromBytes(rows.getBytes(2)), remaining, Long::sum);
            }
        }
        for (AccountRow account : accounts.values()) {
            if (account.kind().isWallet()) {
                long available = account.posted() - account.pendingDebits();
                expect(violations, "lots-cover-available", account.id(),
                        remainingByWallet.getOrDefault(account.id(), 0L), Math.max(available, 0), "lot remainders");
            }
        }
        return lots;
    }

    private static void expect(List<AuditReport.Violation> violations, String rule, UUID subject, long actual,
                               long expected, String what) {
        if (actual != expected) {
            violations.add(new AuditReport.Violation(rule, subject.toString(),
                    what + " is " + actual + " but should be " + expected));
        }
    }

    private static Map<UUID, Long> sums(Connection connection, String sql) throws SQLException {
        Map<UUID, Long> sums = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                sums.put(UuidConverter.fromBytes(rows.getBytes(1)), rows.getLong(2));
            }
        }
        return sums;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String id(ResultSet rows, int column) throws SQLException {
        return UuidConverter.fromBytes(rows.getBytes(column)).toString();
    }
}
