package io.kizuna.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Jdbc;

/**
 * Keeps the analytics projections (member_stats, member_day, member_category, purchase_fact, points_daily) up to
 * date from the feed. Each batch of events is applied in one transaction together with the projections' cursor,
 * so every event counts exactly once, however often the dispatcher stops and starts.
 */
public final class Projections {
    public static final String CURSOR = "projections";
    /** The category of lines that have none, in member_category and purchase_fact. */
    static final String UNCATEGORISED = "UNCATEGORISED";
    private static final int BATCH = 2_000;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final ZoneId zone;

    public Projections(DataSource dataSource, ObjectMapper json, ZoneId zone) {
        this.dataSource = dataSource;
        this.json = json;
        this.zone = zone;
    }

    /** Applies every positioned event the projections have not seen yet; answers how many. */
    public long catchUp() {
        long applied = 0;
        int batch;
        do {
            batch = Jdbc.inTransaction(dataSource, this::applyBatch);
            applied += batch;
        } while (batch == BATCH);
        return applied;
    }

    private int applyBatch(Connection connection) throws SQLException {
        long cursor = FeedCursors.lock(connection, CURSOR);
        List<StoredEvent> events = EventLog.after(connection, cursor, BATCH);
        if (events.isEmpty()) {
            return 0;
        }
        Changes changes = new Changes();
        for (StoredEvent event : events) {
            switch (EventType.ofWireName(event.type())) {
                case PURCHASE_RECORDED -> changes.sale(read(event, FeedEvents.PurchaseRecorded.class), event);
                case PURCHASE_RETURNED -> changes.takeBack(connection, read(event, FeedEvents.PurchaseReturned.class),
                        event);
                case POINTS_MOVED -> changes.points(read(event, FeedEvents.PointsMoved.class));
                default -> {
                    // Enrolments, consents and tiers are read from the member records where reports need them.
                }
            }
        }
        changes.write(connection);
        FeedCursors.advance(connection, CURSOR, events.getLast().position());
        return events.size();
    }

    private <T> T read(StoredEvent event, Class<T> type) {
        try {
            return json.readValue(event.payload(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Outbox event at position " + event.position() + " is not a valid "
                    + event.type() + " event", e);
        }
    }

    /** One batch's changes, added up in memory so that each projection row is written once per batch. */
    private final class Changes {
        private final List<Object[]> facts = new java.util.ArrayList<>();
        private final Map<UUID, Long> netChanges = new LinkedHashMap<>();
        private final Map<UUID, LocalDate> factDays = new HashMap<>();
        private final Map<DayKey, long[]> days = new LinkedHashMap<>();
        private final Map<UUID, MemberDelta> members = new LinkedHashMap<>();
        private final Map<UUID, MemberDelta> memberReturns = new LinkedHashMap<>();
        private final Map<CategoryKey, long[]> categories = new LinkedHashMap<>();
        private final Map<PointsKey, Long> points = new LinkedHashMap<>();

        void sale(FeedEvents.PurchaseRecorded sale, StoredEvent event) {
            UUID receipt = UUID.fromString(sale.receiptId());
            LocalDate day = sale.businessDay();
            int hour = sale.soldAt().atZone(zone).getHour();
            // Sorted, as the rebuild's GROUP_CONCAT(DISTINCT ... ORDER BY ...) writes them.
            Set<String> skus = new TreeSet<>();
            Set<String> kinds = new TreeSet<>();
            Map<String, Long> spendByCategory = new LinkedHashMap<>();
            for (FeedEvents.PurchaseLine line : sale.lines()) {
                skus.add(line.sku());
                String category = Objects.requireNonNullElse(line.category(), UNCATEGORISED);
                kinds.add(category);
                spendByCategory.merge(category, line.amount(), Long::sum);
            }
            facts.add(new Object[] {UuidConverter.toBytes(receipt), bytes(event.memberId()), sale.storeCode(),
                    utc(sale.soldAt()), day, day.getDayOfWeek().getValue(), hour, sale.total(), sale.total(),
                    String.join(" ", skus), String.join(" ", kinds)});
            factDays.put(receipt, day);
            UUID member = event.memberId();
            if (member == null) {
                return;
            }
            long[] dayTotals = days.computeIfAbsent(new DayKey(member, day), key -> new long[2]);
            dayTotals[0]++;
            dayTotals[1] += sale.total();
            members.computeIfAbsent(member, key -> new MemberDelta()).sale(sale);
            spendByCategory.forEach((category, spend) -> {
                long[] totals = categories.computeIfAbsent(new CategoryKey(member, category), key -> new long[2]);
                totals[0]++;
                totals[1] += spend;
            });
        }

        void takeBack(Connection connection, FeedEvents.PurchaseReturned back, StoredEvent event)
                throws SQLException {
            UUID original = UUID.fromString(back.originalReceiptId());
            netChanges.merge(original, -back.total(), Long::sum);
            UUID member = event.memberId();
            if (member == null) {
                return;
            }
            LocalDate day = factDays.containsKey(original) ? factDays.get(original) : dayOf(connection, original);
            if (day != null) {
                days.computeIfAbsent(new DayKey(member, day), key -> new long[2])[1] -= back.total();
            }
            memberReturns.computeIfAbsent(member, key -> new MemberDelta()).takeBack(back);
            for (FeedEvents.PurchaseLine line : back.lines()) {
                String category = Objects.requireNonNullElse(line.category(), UNCATEGORISED);
                categories.computeIfAbsent(new CategoryKey(member, category), key -> new long[2])[1] -= line.amount();
            }
        }

        void points(FeedEvents.PointsMoved moved) {
            points.merge(new PointsKey(moved.at().atZone(zone).toLocalDate(), moved.code(), moved.phase(),
                    walletChange(moved)), moved.points(), Long::sum);
        }

        /**
         * How many of the batch's purchase days each member did not have before: read in one query before the
         * batch's days are written, so that purchase_days counts each day once however its sales were batched.
         */
        private Map<UUID, Integer> newPurchaseDays(Connection connection) throws SQLException {
            Map<UUID, Integer> newDays = new HashMap<>();
            if (members.isEmpty()) {
                return newDays;
            }
            Set<DayKey> known = new java.util.HashSet<>();
            List<UUID> buyers = List.copyOf(members.keySet());
            String marks = String.join(", ", java.util.Collections.nCopies(buyers.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT member_id, day FROM member_day WHERE member_id IN (" + marks + ")")) {
                for (int i = 0; i < buyers.size(); i++) {
                    select.setBytes(i + 1, bytes(buyers.get(i)));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        known.add(new DayKey(UuidConverter.fromBytes(rows.getBytes(1)),
                                rows.getObject(2, LocalDate.class)));
                    }
                }
            }
            days.forEach((key, totals) -> {
                if (totals[0] > 0 && !known.contains(key)) {
                    newDays.merge(key.member(), 1, Integer::sum);
                }
            });
            return newDays;
        }

        void write(Connection connection) throws SQLException {
            batch(connection, "INSERT INTO purchase_fact (receipt_id, member_id, store_code, sold_at, local_day,"
                    + " day_of_week, hour_of_day, total_amount, net_amount, skus, categories)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", facts);
            batch(connection, "UPDATE purchase_fact SET net_amount = net_amount + ? WHERE receipt_id = ?",
                    netChanges.entrySet().stream().map(change -> new Object[] {change.getValue(),
                            UuidConverter.toBytes(change.getKey())}).toList());
            Map<UUID, Integer> newDays = newPurchaseDays(connection);
            batch(connection, "INSERT INTO member_day (member_id, day, purchases, spend) VALUES (?, ?, ?, ?)"
                            + " ON DUPLICATE KEY UPDATE purchases = purchases + VALUES(purchases),"
                            + " spend = spend + VALUES(spend)",
                    days.entrySet().stream().map(day -> new Object[] {bytes(day.getKey().member()),
                            day.getKey().day(), day.getValue()[0], day.getValue()[1]}).toList());
            batch(connection, "INSERT INTO member_stats (member_id, first_purchase_at, last_purchase_at, purchases,"
                            + " purchase_days, returns, spend, points_earned, points_paid, first_store_code)"
                            + " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                            + " first_store_code = IF(VALUES(first_purchase_at) < first_purchase_at,"
                            + " VALUES(first_store_code), first_store_code),"
                            + " first_purchase_at = LEAST(first_purchase_at, VALUES(first_purchase_at)),"
                            + " last_purchase_at = GREATEST(last_purchase_at, VALUES(last_purchase_at)),"
                            + " purchases = purchases + VALUES(purchases),"
                            + " purchase_days = purchase_days + VALUES(purchase_days), spend = spend + VALUES(spend),"
                            + " points_earned = points_earned + VALUES(points_earned),"
                            + " points_paid = points_paid + VALUES(points_paid)",
                    members.entrySet().stream().map(entry -> entry.getValue().saleRow(entry.getKey(),
                            newDays.getOrDefault(entry.getKey(), 0))).toList());
            batch(connection, "UPDATE member_stats SET returns = returns + ?, spend = spend + ?,"
                            + " points_earned = points_earned + ?, points_paid = points_paid + ? WHERE member_id = ?",
                    memberReturns.entrySet().stream().map(entry -> entry.getValue().returnRow(entry.getKey()))
                            .toList());
            batch(connection, "INSERT INTO member_category (member_id, category, purchases, spend)"
                            + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE purchases = purchases + VALUES(purchases),"
                            + " spend = spend + VALUES(spend)",
                    categories.entrySet().stream().map(entry -> new Object[] {bytes(entry.getKey().member()),
                            entry.getKey().category(), entry.getValue()[0], entry.getValue()[1]}).toList());
            batch(connection, "INSERT INTO points_daily (day, code, phase, wallet_change, points)"
                            + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE points = points + VALUES(points)",
                    points.entrySet().stream().map(entry -> new Object[] {entry.getKey().day(),
                            entry.getKey().code(), entry.getKey().phase(), entry.getKey().walletChange(),
                            entry.getValue()}).toList());
        }
    }

    /** What one batch adds to a member's statistics. */
    private static final class MemberDelta {
        private Instant first;
        private Instant last;
        private String firstStore;
        private long purchases;
        private long returns;
        private long spend;
        private long pointsEarned;
        private long pointsPaid;

        void sale(FeedEvents.PurchaseRecorded sale) {
            if (first == null || sale.soldAt().isBefore(first)) {
                first = sale.soldAt();
                firstStore = sale.storeCode();
            }
            if (last == null || sale.soldAt().isAfter(last)) {
                last = sale.soldAt();
            }
            purchases++;
            spend += sale.total();
            pointsEarned += sale.pointsEarned();
            pointsPaid += sale.pointsPaid();
        }

        void takeBack(FeedEvents.PurchaseReturned back) {
            returns++;
            spend -= back.total();
            pointsEarned -= back.pointsReversed();
            pointsPaid -= back.pointsRefunded();
        }

        Object[] saleRow(UUID member, int newPurchaseDays) {
            return new Object[] {bytes(member), utc(first), utc(last), purchases, newPurchaseDays, spend,
                    pointsEarned, pointsPaid, firstStore};
        }

        Object[] returnRow(UUID member) {
            return new Object[] {returns, spend, pointsEarned, pointsPaid, bytes(member)};
        }
    }

    private record DayKey(UUID member, LocalDate day) {
    }

    private record CategoryKey(UUID member, String category) {
    }

    /**
     * @param walletChange +1 when the points went into a wallet, -1 when they left one, 0 between two wallets or two
     *                     program accounts: reversals and adjustments go either way, and the liability report needs
     *                     to know which
     */
    private record PointsKey(LocalDate day, String code, String phase, int walletChange) {
    }

    private static int walletChange(FeedEvents.PointsMoved moved) {
        return Integer.compare(isWallet(moved.to()) ? 1 : 0, isWallet(moved.from()) ? 1 : 0);
    }

    private static boolean isWallet(String accountKind) {
        return accountKind != null && accountKind.endsWith("_WALLET");
    }

    private static LocalDate dayOf(Connection connection, UUID receipt) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT local_day FROM purchase_fact WHERE receipt_id = ?")) {
            select.setBytes(1, UuidConverter.toBytes(receipt));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getObject(1, LocalDate.class) : null;
            }
        }
    }

    private static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static byte[] bytes(UUID id) {
        return id == null ? null : UuidConverter.toBytes(id);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
