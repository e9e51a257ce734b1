package io.kizuna.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.kizuna.bench.TillTraffic.Basket;
import io.kizuna.bench.TillTraffic.Lane;
import io.kizuna.bench.TillTraffic.Line;
import io.kizuna.bench.TillTraffic.Product;
import io.kizuna.bench.TillTraffic.Window;
import io.kizuna.db.UuidConverter;
import io.kizuna.ledger.LedgerConfig;
import io.kizuna.persistence.Ids;
import org.HdrHistogram.Histogram;

/**
 * A plain sale (a member's card, no points paid) written by hand: the statements EclipseLink sends for
 * {@code Till.recordSale}, in its order, over the same pool. Like the service it trusts a terminal key it found
 * valid, reads the idempotency record, opens the database transaction (EclipseLink does at its first native
 * query), reads the card with its member and wallet in one query and the products, then locks the wallet, earns, writes the receipt, its lines (one batch) and its rule row,
 * sums the wallet's open lots by expiry for the reply and stores the idempotency record. Keep it in step with the
 * statement comparison the harness prints. Default earning settings (one point per 100 yen; GIFT_CARD, TOBACCO,
 * STAMPS excluded) and ledger settings are assumed.
 */
final class JdbcSales {
    private static final long YEN_PER_POINT = 100;
    private static final Set<String> EXCLUDED_CATEGORIES = Set.of("GIFT_CARD", "TOBACCO", "STAMPS");
    private static final String FIND_TERMINAL = "SELECT id, code, created_at, key_hash, revoked_at, store_code"
            + " FROM terminal WHERE (key_hash = ?)";
    private static final String FIND_HOLDER = "SELECT c.status, c.wallet_account_id, c.member_id, m.status, m.name,"
            + " w.id FROM card c LEFT JOIN member m ON m.id = c.member_id"
            + " LEFT JOIN account w ON w.member_id = c.member_id WHERE c.number = ?";
    private static final String FIND_PRODUCTS = "SELECT sku, category, excluded_from_earning, name, updated_at"
            + " FROM product WHERE (sku IN (%s))";
    private static final String INSERT_RECEIPT = "INSERT INTO receipt (id, business_day, card_number, created_at,"
            + " currency, earn_transfer_id, eligible_amount, kind, member_id, original_receipt_id,"
            + " payment_transfer_id, points_earned, points_paid, receipt_number, store_code, terminal_code,"
            + " total_amount, wallet_account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LINE = "INSERT INTO receipt_line (line_number, receipt_id, amount, category,"
            + " discount, eligible, quantity, sku, unit_price) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LOCK_MEMBER_WALLET = "SELECT id FROM account WHERE member_id = ? FOR UPDATE";
    private static final String LOCK_MEMBER_TIER = "SELECT tier_code, since, below_since, reviewed_at FROM member_tier"
            + " WHERE member_id = ? FOR UPDATE";
    private static final String ADD_TO_MONTH = "INSERT INTO tier_qualification_month (member_id, month,"
            + " eligible_spend, points, tier_points, visits) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
            + " eligible_spend = eligible_spend + VALUES(eligible_spend), points = points + VALUES(points),"
            + " tier_points = tier_points + VALUES(tier_points), visits = visits + VALUES(visits)";
    private static final String SUM_WINDOW = "SELECT COALESCE(SUM(eligible_spend), 0), COALESCE(SUM(points), 0),"
            + " COALESCE(SUM(tier_points), 0), COALESCE(SUM(visits), 0) FROM tier_qualification_month"
            + " WHERE member_id = ? AND month >= ? FOR UPDATE";
    private static final String INSERT_RULE = "INSERT INTO receipt_rule (rule_id, receipt_id, points, transfer_id)"
            + " VALUES (?, ?, ?, NULL)";
    private static final String CAMPAIGNS_OF_MEMBER = "SELECT c.id, c.code, c.reward, c.starts_at, c.member_cap,"
            + " c.account_id, cm.points_awarded, m.birth_date FROM campaign_member cm"
            + " JOIN campaign c ON c.id = cm.campaign_id JOIN member m ON m.id = cm.member_id"
            + " WHERE cm.member_id = ? AND cm.arm = 'TREATMENT' AND c.state = 'ACTIVE' AND c.starts_at <= ?"
            + " AND c.ends_at > ? AND (c.requires_entry = FALSE OR cm.entered_at IS NOT NULL)"
            + " ORDER BY c.priority, c.code";
    private static final String EXPIRING_LOTS = "SELECT expires_at, SUM(remaining) FROM lot"
            + " WHERE ((account_id = ?) AND (remaining > ?)) GROUP BY expires_at";

    private final DataSource dataSource;
    private final LocalDate businessDay;
    private final LedgerConfig ledger = LedgerConfig.defaults();

    JdbcSales(DataSource dataSource, LocalDate businessDay) {
        this.dataSource = dataSource;
        this.businessDay = businessDay;
    }

    Caller caller(Lane lane, List<Product> catalogue, String receiptPrefix, long seed) {
        return new Caller(lane, catalogue, receiptPrefix, new Random(seed));
    }

    /** The wallet was in debt: the service would settle it first, which this ceiling does not write. */
    private static final class WalletInDebt extends Exception {
    }

    private record Holder(String card, byte[] memberId, byte[] walletId) {
    }

    /** The store and code of an authenticated terminal, and the till's key of one of its receipts. */
    private record TerminalCodes(String storeCode, String terminalCode) {
        String receiptKey(LocalDate businessDay, String receiptNumber) {
            return storeCode + "/" + terminalCode + "/" + businessDay + "/" + receiptNumber;
        }
    }

    private record Sale(TerminalCodes terminal, String receiptNumber, String receiptKey, Holder holder,
                        Basket basket, Map<String, StoredProduct> catalogue) {
    }

    private record StoredProduct(String category, boolean excludedFromEarning) {
    }

    /** One caller: like a terminal, it sells to its lane's members with receipt numbers of its own. */
    final class Caller {
        private final Lane lane;
        private final List<Product> catalogue;
        private final String receiptPrefix;
        private final Random random;
        private final Histogram latencyNanos = TillTraffic.newHistogram();
        private long errors;
        private String firstError;
        private int receipts;
        private TerminalCodes terminal;

        private Caller(Lane lane, List<Product> catalogue, String receiptPrefix, Random random) {
            this.lane = lane;
            this.catalogue = catalogue;
            this.receiptPrefix = receiptPrefix;
            this.random = random;
        }

        Caller sell(Window window) {
            while (!window.isOver()) {
                long began = System.nanoTime();
                try {
                    sellOnce();
                } catch (WalletInDebt skipped) {
                    continue;
                } catch (Exception e) {
                    errors++;
                    firstError = firstError == null ? e.toString() : firstError;
                    continue;
                }
                long finished = System.nanoTime();
                if (window.contains(finished)) {
                    latencyNanos.recordValue(finished - began);
                }
            }
            return this;
        }

        void sellOnce() throws SQLException, WalletInDebt {
            String card = lane.cards().get(random.nextInt(lane.cards().size()));
            Basket basket = Basket.random(catalogue, random);
            String receiptNumber = receiptPrefix + String.format("%08d", ++receipts);
            if (terminal == null) {
                terminal = authenticate(lane.key());
            }
            String receiptKey = terminal.receiptKey(businessDay, receiptNumber);
            try (Connection connection = dataSource.getConnection()) {
                String key = "pos:sale:" + receiptKey;
                if (EarnRows.recordExists(connection, key)) {
                    throw new IllegalStateException("Receipt " + key + " was sold before");
                }
                // EclipseLink opens the database transaction at its first native query: the card's.
                connection.setAutoCommit(false);
                try {
                    Sale sale = new Sale(terminal, receiptNumber, receiptKey, holder(connection, card), basket,
                            products(connection, basket));
                    write(connection, key, sale);
                    connection.commit();
                } catch (SQLException | RuntimeException | WalletInDebt e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }

        Histogram latencyNanos() {
            return latencyNanos;
        }

        long errors() {
            return errors;
        }

        String firstError() {
            return firstError;
        }
    }

    /**
     * The terminal's store and code, found by its key's hash on a connection of its own; like the service, a caller
     * then trusts the key it found valid (the service for {@code kizuna.pos.terminal-key-cache}, 30 s by default).
     */
    private TerminalCodes authenticate(String terminalKey) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement find = connection.prepareStatement(FIND_TERMINAL)) {
            find.setBytes(1, EarnRows.sha256(terminalKey));
            try (ResultSet terminal = find.executeQuery()) {
                if (!terminal.next() || terminal.getObject("revoked_at") != null) {
                    throw new IllegalStateException("The terminal key is not valid");
                }
                return new TerminalCodes(terminal.getString("store_code"), terminal.getString("code"));
            }
        }
    }

    private void write(Connection connection, String key, Sale sale) throws SQLException, WalletInDebt {
        long eligible = 0;
        for (Line line : sale.basket().lines()) {
            eligible += isEligible(sale, line) ? line.amount() - line.discount() : 0;
        }
        long earned = eligible / YEN_PER_POINT;
        Instant now = Instant.now();
        byte[] memberId = sale.holder().memberId();
        if (memberId != null) {
            lockTierRows(connection, memberId);
        }
        UUID earning = null;
        if (earned > 0) {
            byte[] walletId = sale.holder().walletId();
            earning = EarnRows.postEarn(connection, lockWallet(connection, walletId), earned,
                    "receipt:" + sale.receiptKey(), now, ledger);
        }
        if (memberId != null) {
            campaignsOf(connection, memberId, now);
        }
        UUID receiptId = Ids.next();
        insertReceipt(connection, receiptId, sale, eligible, earned, earning, now);
        insertLines(connection, receiptId, sale);
        insertRule(connection, receiptId, earned);
        EarnRows.insertEvent(connection, "purchase.recorded", sale.holder().memberId(),
                purchaseJson(receiptId, sale, eligible, earned, now), now);
        if (memberId != null) {
            qualify(connection, memberId, now, eligible, earned);
        }
        long available = expiringLots(connection, sale.holder().walletId());
        String reply = replyJson(receiptId, earned, available);
        EarnRows.insertRecord(connection, key, now, key + reply, reply);
    }

    /** The member's wallet and tier row, locked as {@code Tiers.lock} does before the sale decides anything. */
    private static void lockTierRows(Connection connection, byte[] memberId) throws SQLException {
        for (String sql : List.of(LOCK_MEMBER_WALLET, LOCK_MEMBER_TIER)) {
            try (PreparedStatement lock = connection.prepareStatement(sql)) {
                lock.setBytes(1, memberId);
                try (ResultSet ignored = lock.executeQuery()) {
                    // the lock is the point
                }
            }
        }
    }

    /** The member's treatment rows of active campaigns, as {@code CampaignEarning.award} reads them (none here). */
    private static void campaignsOf(Connection connection, byte[] memberId, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(CAMPAIGNS_OF_MEMBER)) {
            select.setBytes(1, memberId);
            select.setObject(2, EarnRows.utc(now));
            select.setObject(3, EarnRows.utc(now));
            try (ResultSet ignored = select.executeQuery()) {
                // the harness runs no campaign: a plain sale reads an empty list
            }
        }
    }

    /** Adds the sale to the member's month and sums the window, as {@code Tiers.sold} does (no tier change here). */
    private void qualify(Connection connection, byte[] memberId, Instant now, long eligible, long earned)
            throws SQLException {
        YearMonth month = YearMonth.from(now.atZone(ledger.zone()));
        try (PreparedStatement upsert = connection.prepareStatement(ADD_TO_MONTH)) {
            upsert.setBytes(1, memberId);
            upsert.setObject(2, month.atDay(1));
            upsert.setLong(3, eligible);
            upsert.setLong(4, earned);
            upsert.setLong(5, 0);
            upsert.setLong(6, 1);
            upsert.executeUpdate();
        }
        try (PreparedStatement sum = connection.prepareStatement(SUM_WINDOW)) {
            sum.setBytes(1, memberId);
            sum.setObject(2, month.minusMonths(11).atDay(1));
            try (ResultSet ignored = sum.executeQuery()) {
                // the service decides from it; plain sales of this harness never cross a threshold
            }
        }
    }

    private static boolean isEligible(Sale sale, Line line) {
        StoredProduct product = sale.catalogue().get(line.product().sku());
        String category = product == null ? null : product.category();
        return (category == null || !EXCLUDED_CATEGORIES.contains(category))
                && (product == null || !product.excludedFromEarning());
    }

    private void insertReceipt(Connection connection, UUID receiptId, Sale sale, long eligible, long earned,
                               UUID earning, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RECEIPT)) {
            insert.setBytes(1, UuidConverter.toBytes(receiptId));
            insert.setObject(2, businessDay);
            insert.setString(3, sale.holder().card());
            insert.setObject(4, EarnRows.utc(now));
            insert.setString(5, "JPY");
            insert.setBytes(6, earning == null ? null : UuidConverter.toBytes(earning));
            insert.setLong(7, eligible);
            insert.setString(8, "SALE");
            insert.setBytes(9, sale.holder().memberId());
            insert.setNull(10, Types.BINARY);
            insert.setNull(11, Types.BINARY);
            insert.setLong(12, earned);
            insert.setLong(13, 0);
            insert.setString(14, sale.receiptNumber());
            insert.setString(15, sale.terminal().storeCode());
            insert.setString(16, sale.terminal().terminalCode());
            insert.setLong(17, sale.basket().total());
            insert.setBytes(18, sale.holder().walletId());
            insert.executeUpdate();
        }
    }

    /** All lines in one batch, which the driver sends as one multi-row insert, as it does for EclipseLink. */
    private void insertLines(Connection connection, UUID receiptId, Sale sale) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LINE)) {
            for (Line line : sale.basket().lines()) {
                StoredProduct product = sale.catalogue().get(line.product().sku());
                insert.setInt(1, line.lineNumber());
                insert.setBytes(2, UuidConverter.toBytes(receiptId));
                insert.setLong(3, line.amount());
                insert.setString(4, product == null ? null : product.category());
                insert.setLong(5, line.discount());
                insert.setBoolean(6, isEligible(sale, line));
                insert.setBigDecimal(7, BigDecimal.valueOf(line.quantity()));
                insert.setString(8, line.product().sku());
                insert.setLong(9, line.product().unitPrice());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertRule(Connection connection, UUID receiptId, long earned) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RULE)) {
            insert.setString(1, "base");
            insert.setBytes(2, UuidConverter.toBytes(receiptId));
            insert.setLong(3, earned);
            insert.executeUpdate();
        }
    }

    // --- reads -------------------------------------------------------------------------------------------------

    /** Card, member and wallet in one query, as {@code Cards.holder} reads them. */
    private static Holder holder(Connection connection, String card) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(FIND_HOLDER)) {
            find.setString(1, card);
            try (ResultSet found = find.executeQuery()) {
                if (!found.next() || !"ACTIVE".equals(found.getString(1)) || !"ACTIVE".equals(found.getString(4))) {
                    throw new IllegalStateException("Card " + card + " or its member is not active");
                }
                return new Holder(card, found.getBytes(3), found.getBytes(6));
            }
        }
    }

    private static Map<String, StoredProduct> products(Connection connection, Basket basket) throws SQLException {
        List<Line> lines = basket.lines();
        String placeholders = String.join(",", lines.stream().map(line -> "?").toList());
        try (PreparedStatement find = connection.prepareStatement(FIND_PRODUCTS.formatted(placeholders))) {
            for (int i = 0; i < lines.size(); i++) {
                find.setString(i + 1, lines.get(i).product().sku());
            }
            Map<String, StoredProduct> products = new HashMap<>();
            try (ResultSet found = find.executeQuery()) {
                while (found.next()) {
                    products.put(found.getString("sku"), new StoredProduct(found.getString("category"),
                            found.getBoolean("excluded_from_earning")));
                }
            }
            return products;
        }
    }

    /** Locks the wallet and answers it as read; refuses a wallet in debt (see {@link WalletInDebt}). */
    private static EarnRows.LockedWallet lockWallet(Connection connection, byte[] walletId)
            throws SQLException, WalletInDebt {
        try (PreparedStatement lock = connection.prepareStatement(EarnRows.LOCK_WALLET)) {
            lock.setBytes(1, walletId);
            try (ResultSet wallet = lock.executeQuery()) {
                if (!wallet.next()) {
                    throw new IllegalStateException("No wallet");
                }
                if (wallet.getLong("posted") - wallet.getLong("pending_debits") < 0) {
                    throw new WalletInDebt();
                }
                return EarnRows.LockedWallet.of(walletId, wallet);
            }
        }
    }

    /** What the wallet's open lots hold per expiry date, read for the reply as the service does; answers the sum. */
    private static long expiringLots(Connection connection, byte[] walletId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(EXPIRING_LOTS)) {
            find.setBytes(1, walletId);
            find.setLong(2, 0);
            long sum = 0;
            try (ResultSet totals = find.executeQuery()) {
                while (totals.next()) {
                    sum += totals.getLong(2);
                }
            }
            return sum;
        }
    }

    /** The stored reply: the same fields and about the size of the service's JSON, without a JSON library. */
    /** The sale's feed event: the same fields and size as the service's JSON, without a JSON library. */
    private String purchaseJson(UUID receiptId, Sale sale, long eligible, long earned, Instant now) {
        StringBuilder json = new StringBuilder("{\"receiptId\":\"" + receiptId + "\",\"storeCode\":\""
                + sale.terminal().storeCode() + "\",\"terminalCode\":\"" + sale.terminal().terminalCode()
                + "\",\"businessDay\":\"" + businessDay + "\",\"receiptNumber\":\"" + sale.receiptNumber()
                + "\",\"soldAt\":\"" + now + "\",\"currency\":\"JPY\",\"total\":" + sale.basket().total()
                + ",\"eligible\":" + eligible + ",\"pointsEarned\":" + earned + ",\"pointsPaid\":0,\"lines\":[");
        for (Line line : sale.basket().lines()) {
            StoredProduct product = sale.catalogue().get(line.product().sku());
            json.append(line.lineNumber() == 1 ? "" : ",").append("{\"lineNumber\":").append(line.lineNumber())
                    .append(",\"sku\":\"").append(line.product().sku()).append("\",\"category\":\"")
                    .append(product == null ? null : product.category()).append("\",\"quantity\":")
                    .append(line.quantity()).append(",\"amount\":").append(line.amount() - line.discount())
                    .append(",\"eligible\":").append(isEligible(sale, line)).append('}');
        }
        return json.append("],\"rules\":[{\"ruleId\":\"base\",\"points\":").append(earned)
                .append("}],\"person\":{\"cardNumber\":\"").append(sale.holder().card()).append("\"}}").toString();
    }

    private static String replyJson(UUID receiptId, long earned, long available) {
        return "{\"receiptId\":\"" + receiptId + "\",\"processing\":\"ONLINE\",\"replay\":false,\"points\":"
                + "{\"earned\":" + earned + ",\"pending\":false,\"rules\":[{\"ruleId\":\"base\",\"points\":" + earned
                + "}],\"paid\":0},\"balance\":{\"available\":" + available + ",\"pending\":0,\"expiringSoon\":[]},"
                + "\"tier\":null}";
    }
}
