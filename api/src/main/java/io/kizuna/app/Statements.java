package io.kizuna.app;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.kizuna.app.AppProtocol.AppCard;
import io.kizuna.app.AppProtocol.AppConsents;
import io.kizuna.app.AppProtocol.AppProfile;
import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.Balance;
import io.kizuna.app.AppProtocol.Expiring;
import io.kizuna.app.AppProtocol.Export;
import io.kizuna.app.AppProtocol.History;
import io.kizuna.app.AppProtocol.HistoryEntry;
import io.kizuna.app.AppProtocol.Me;
import io.kizuna.app.AppProtocol.NpsAnswer;
import io.kizuna.app.AppProtocol.NpsReceipt;
import io.kizuna.app.AppProtocol.Receipt;
import io.kizuna.app.AppProtocol.ReceiptLine;
import io.kizuna.app.AppProtocol.RulePoints;
import io.kizuna.app.AppProtocol.SessionInfo;
import io.kizuna.app.AppProtocol.Survey;
import io.kizuna.app.AppProtocol.Where;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.HistoryPage;
import io.kizuna.ledger.PointsService;
import io.kizuna.ledger.TransferView;
import io.kizuna.member.MemberId;
import io.kizuna.member.MemberView;
import io.kizuna.member.Members;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import jakarta.persistence.EntityManager;

/** What the app reads about the member: profile, points, history with where and why, surveys, the export. */
final class Statements {
    private static final int EXPORT_PAGE = 200;
    private static final int MAX_COMMENT = 1000;
    private static final String RECEIPT_COLUMNS = "id, kind, store_code, terminal_code, business_day, receipt_number,"
            + " card_number, currency, total_amount, eligible_amount, points_earned, points_paid, created_at";

    private final Transactions transactions;
    private final Members members;
    private final PointsService points;
    private final Clock clock;

    Statements(Transactions transactions, Members members, PointsService points, Clock clock) {
        this.transactions = transactions;
        this.members = members;
        this.points = points;
        this.clock = clock;
    }

    Me me(EntityManager em, AppSession session) {
        MemberView member = members.viewIn(em, new MemberId(session.memberId()));
        List<?> email = em.createNativeQuery("SELECT email FROM app_account WHERE member_id = ?1")
                .setParameter(1, UuidConverter.toBytes(session.memberId()))
                .getResultList();
        var profile = member.profile();
        return new Me(session.memberId(), member.status().name(), email.isEmpty() ? null : (String) email.getFirst(),
                new AppProfile(profile.name(), profile.nameKana(), profile.phone(), profile.birthDate(),
                        profile.gender() == null ? null : profile.gender().name(), profile.postalCode(),
                        profile.prefecture()),
                new AppConsents(member.consents().marketingMessages(), member.consents().analyticsUse()),
                member.cards().stream().map(card -> new AppCard(card.number().value(), card.kind().name(),
                        card.status().name(), card.issuedAt())).toList(),
                member.enrolledAt());
    }

    Balance balance(AppSession session) {
        io.kizuna.ledger.Balance balance = points.balance(wallet(session));
        return new Balance(balance.available(), balance.pending(), balance.held(), balance.expiring().stream()
                .map(expiring -> new Expiring(expiring.month(), expiring.points())).toList());
    }

    History history(AppSession session, String cursor, int limit) {
        AccountId wallet = wallet(session);
        HistoryPage page = points.history(wallet, cursor, limit);
        List<HistoryEntry> entries = transactions.inTransaction(em -> page.items().stream()
                .map(transfer -> entry(em, wallet, transfer)).toList());
        return new History(entries, page.nextCursor());
    }

    NpsReceipt answerNps(AppSession session, NpsAnswer answer) {
        if (answer.score() == null || answer.score() < 0 || answer.score() > 10) {
            throw KizunaException.invalid("score is a whole number from 0 to 10.");
        }
        String comment = answer.comment() == null || answer.comment().isBlank() ? null : answer.comment().strip();
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw KizunaException.invalid("comment is at most " + MAX_COMMENT + " characters.");
        }
        UUID id = Ids.next();
        Instant now = clock.instant();
        transactions.inTransaction(em -> em.createNativeQuery("INSERT INTO nps_answer (id, member_id, score, comment,"
                        + " answered_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, UuidConverter.toBytes(id))
                .setParameter(2, UuidConverter.toBytes(session.memberId()))
                .setParameter(3, answer.score())
                .setParameter(4, comment)
                .setParameter(5, Sessions.utc(now))
                .executeUpdate());
        return new NpsReceipt(id.toString(), answer.score(), now);
    }

    Export export(EntityManager em, AppSession session, List<SessionInfo> sessions) {
        Me me = me(em, session);
        AccountId wallet = wallet(session);
        List<HistoryEntry> history = new ArrayList<>();
        String cursor = null;
        do {
            HistoryPage page = points.history(wallet, cursor, EXPORT_PAGE);
            page.items().forEach(transfer -> history.add(entry(em, wallet, transfer)));
            cursor = page.nextCursor();
        } while (cursor != null);
        return new Export(clock.instant(), me, balance(session), history, receipts(em, session, me),
                surveys(em, session), sessions);
    }

    /** Receipts of the member, and those of their cards from before the cards were registered. */
    private List<Receipt> receipts(EntityManager em, AppSession session, Me me) {
        Map<String, Receipt> receipts = new LinkedHashMap<>();
        rows(em, "SELECT " + RECEIPT_COLUMNS + " FROM receipt WHERE member_id = ?1 ORDER BY created_at",
                UuidConverter.toBytes(session.memberId()))
                .forEach(row -> receipts.putIfAbsent(idOf(row), receipt(em, row)));
        for (AppCard card : me.cards()) {
            rows(em, "SELECT " + RECEIPT_COLUMNS + " FROM receipt WHERE card_number = ?1 AND member_id IS NULL"
                    + " ORDER BY created_at", card.number())
                    .forEach(row -> receipts.putIfAbsent(idOf(row), receipt(em, row)));
        }
        return List.copyOf(receipts.values());
    }

    private Receipt receipt(EntityManager em, Object[] row) {
        byte[] id = (byte[]) row[0];
        List<ReceiptLine> lines = rows(em, "SELECT line_number, sku, category, quantity, unit_price, amount, discount,"
                + " eligible FROM receipt_line WHERE receipt_id = ?1 ORDER BY line_number", id).stream()
                .map(line -> new ReceiptLine(((Number) line[0]).intValue(), (String) line[1], (String) line[2],
                        (BigDecimal) line[3], ((Number) line[4]).longValue(), ((Number) line[5]).longValue(),
                        ((Number) line[6]).longValue(), bool(line[7])))
                .toList();
        return new Receipt(idOf(row), (String) row[1], where(row), (String) row[6], (String) row[7],
                ((Number) row[8]).longValue(), ((Number) row[9]).longValue(), ((Number) row[10]).longValue(),
                ((Number) row[11]).longValue(), Sessions.instant(row[12]), lines, rules(em, id));
    }

    private List<Survey> surveys(EntityManager em, AppSession session) {
        return rows(em, "SELECT id, score, comment, answered_at FROM nps_answer WHERE member_id = ?1"
                + " ORDER BY answered_at", UuidConverter.toBytes(session.memberId())).stream()
                .map(row -> new Survey(idOf(row), ((Number) row[1]).intValue(), (String) row[2],
                        Sessions.instant(row[3])))
                .toList();
    }

    /**
     * A history line with where and why. Till transfers carry the receipt's key in their reference
     * ({@code receipt:}, {@code return:} or {@code void:} then store/terminal/day/number), which finds the receipt
     * through its unique key; the receipt must belong to this wallet.
     */
    private HistoryEntry entry(EntityManager em, AccountId wallet, TransferView transfer) {
        String reference = transfer.reference();
        Where where = null;
        List<RulePoints> rules = List.of();
        String campaign = reference != null && reference.startsWith("campaign:")
                ? reference.substring("campaign:".length()) : null;
        String[] key = tillKey(reference);
        if (key != null) {
            List<Object[]> found = rows(em, "SELECT " + RECEIPT_COLUMNS + " FROM receipt WHERE store_code = ?1"
                    + " AND terminal_code = ?2 AND business_day = ?3 AND receipt_number = ?4 AND kind = ?5"
                    + " AND wallet_account_id = ?6", key[0], key[1], LocalDate.parse(key[2]), key[3], key[4],
                    UuidConverter.toBytes(wallet.value()));
            if (!found.isEmpty()) {
                where = where(found.getFirst());
                rules = rules(em, (byte[]) found.getFirst()[0]);
            }
        }
        return new HistoryEntry(transfer.id().toString(), transfer.code().name(), transfer.phase().name(),
                transfer.points(), transfer.createdAt(), why(transfer), where, rules, campaign);
    }

    private static String[] tillKey(String reference) {
        if (reference == null) {
            return null;
        }
        int colon = reference.indexOf(':');
        String kind = switch (colon < 0 ? "" : reference.substring(0, colon)) {
            case "receipt" -> "SALE";
            case "return" -> "RETURN";
            case "void" -> "VOID";
            default -> null;
        };
        String[] parts = reference.substring(colon + 1).split("/", 4);
        if (kind == null || parts.length != 4 || !parts[2].matches("\\d{4}-\\d{2}-\\d{2}")) {
            return null;
        }
        return new String[] {parts[0], parts[1], parts[2], parts[3], kind};
    }

    private static String why(TransferView transfer) {
        return switch (transfer.code()) {
            case EARN -> "Points for a purchase";
            case REDEMPTION -> "Points used to pay";
            case ADJUSTMENT -> "Correction by the program"
                    + (transfer.reason() == null ? "" : ": " + transfer.reason());
            case EXPIRY -> "Points expired";
            case REVERSAL -> "Points taken back or given back for a return or void";
            case CARD_REGISTRATION -> "Points moved from a card you registered";
            case MEMBER_MERGE -> "Points moved from a merged membership";
            case CAMPAIGN_BUDGET -> "A campaign's budget";
        };
    }

    private List<RulePoints> rules(EntityManager em, byte[] receiptId) {
        return rows(em, "SELECT rule_id, points FROM receipt_rule WHERE receipt_id = ?1 ORDER BY rule_id", receiptId)
                .stream().map(row -> new RulePoints((String) row[0], ((Number) row[1]).longValue())).toList();
    }

    private static Where where(Object[] row) {
        Object day = row[4];
        LocalDate businessDay = day instanceof java.sql.Date date ? date.toLocalDate() : (LocalDate) day;
        return new Where((String) row[2], (String) row[3], businessDay, (String) row[5], (String) row[1]);
    }

    private AccountId wallet(AppSession session) {
        return members.walletOf(new MemberId(session.memberId()));
    }

    private static String idOf(Object[] row) {
        return UuidConverter.fromBytes((byte[]) row[0]).toString();
    }

    private static boolean bool(Object value) {
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }

    private static List<Object[]> rows(EntityManager em, String sql, Object... parameters) {
        var query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(Object[].class::cast).toList();
    }
}
