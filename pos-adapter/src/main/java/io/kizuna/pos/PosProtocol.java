package io.kizuna.pos;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import io.kizuna.error.KizunaException;

/** The messages of the terminal protocol /pos/v1. Amounts are integers in the currency's minor unit. */
public final class PosProtocol {
    /** No receipt has more lines than this; a larger one is a broken till, not a shopping trip. */
    public static final int MAX_LINES = 500;
    private static final long MAX_AMOUNT = 100_000_000_000L;

    private PosProtocol() {
    }

    public record Scan(String scan) {
    }

    /** What a cashier sees: never a full name, never contact data. */
    public record Identification(String card, Customer member, PointsView points) {
    }

    public record Customer(String maskedName, String status, String tier) {
    }

    public record PointsView(long available, long pending, List<Expiring> expiringSoon) {
    }

    public record Expiring(YearMonth month, long points) {
    }

    public record Sale(LocalDate businessDay, String receiptNumber, String card, String currency, List<Line> lines,
                       List<Tender> tenders) {
        public Sale {
            requireReceipt(businessDay, receiptNumber);
            if (currency == null || !currency.matches("[A-Z]{3}")) {
                throw KizunaException.invalid("currency is a three-letter ISO 4217 code.");
            }
            if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
                throw KizunaException.invalid("A sale has 1 to " + MAX_LINES + " lines.");
            }
            tenders = tenders == null ? List.of() : List.copyOf(tenders);
            lines = List.copyOf(lines);
            if (lines.stream().map(Line::lineNumber).distinct().count() != lines.size()) {
                throw KizunaException.invalid("Line numbers must be unique within a receipt.");
            }
            if (tenders.stream().filter(tender -> tender.type() == TenderType.POINTS).count() > 1) {
                throw KizunaException.invalid("A sale has at most one points tender.");
            }
        }

        public long total() {
            return lines.stream().mapToLong(Line::net).sum();
        }
    }

    public record Line(int lineNumber, String sku, String category, BigDecimal quantity, long unitPrice, long amount,
                       long discount) {
        public Line {
            if (lineNumber < 1) {
                throw KizunaException.invalid("Line numbers start at 1.");
            }
            if (sku == null || sku.isBlank() || sku.length() > 64) {
                throw KizunaException.invalid("Line " + lineNumber + " needs a SKU of 1 to 64 characters.");
            }
            if (category != null && (category.isBlank() || category.length() > 64)) {
                throw KizunaException.invalid("Line " + lineNumber + " has a category of 1 to 64 characters.");
            }
            if (quantity == null || quantity.signum() <= 0 || quantity.scale() > 3
                    || quantity.compareTo(BigDecimal.valueOf(100_000)) > 0) {
                throw KizunaException.invalid("Line " + lineNumber
                        + " needs a positive quantity (up to 3 decimals for weighed goods).");
            }
            requireAmount("unitPrice", lineNumber, unitPrice);
            requireAmount("amount", lineNumber, amount);
            requireAmount("discount", lineNumber, discount);
            if (discount > amount) {
                throw KizunaException.invalid("Line " + lineNumber + " is discounted by more than its amount.");
            }
        }

        /** What the customer pays for the line. */
        public long net() {
            return amount - discount;
        }
    }

    public enum TenderType { CASH, CARD, ELECTRONIC_MONEY, GIFT_CARD, POINTS, OTHER }

    /** A payment. A POINTS tender names the hold it captures; its amount is the points used (1 point, 1 yen). */
    public record Tender(TenderType type, long amount, String holdId) {
        public Tender {
            if (type == null) {
                throw KizunaException.invalid("A tender needs a type.");
            }
            if (amount <= 0 || amount > MAX_AMOUNT) {
                throw KizunaException.invalid("A tender's amount must be positive.");
            }
            if (type == TenderType.POINTS && (holdId == null || holdId.isBlank())) {
                throw KizunaException.invalid("A points tender names the hold it captures in holdId.");
            }
        }
    }

    /** What happened to the points of one receipt, rule by rule. */
    public record PointsOutcome(long earned, boolean pending, List<RuleResult> rules, long paid) {
    }

    /** The points one earning rule gave, by its stable id. */
    public record RuleResult(String ruleId, long points) {
    }

    public enum Processing { ONLINE, OFFLINE }

    public record SaleReply(String receiptId, Processing processing, boolean replay, PointsOutcome points,
                            PointsView balance, String tier) {
        /** The same answer, given again to a retry of the same receipt. */
        public SaleReply asReplay() {
            return new SaleReply(receiptId, processing, true, points, balance, tier);
        }
    }

    public record PointsHold(String card, long points) {
        public PointsHold {
            if (card == null) {
                throw KizunaException.invalid("A hold names the card whose points it reserves.");
            }
            if (points <= 0 || points > 1_000_000_000L) {
                throw KizunaException.invalid("A hold reserves 1 to 1000000000 points.");
            }
        }
    }

    public record HoldReply(String holdId, long points, String status, PointsView balance) {
    }

    /** Names a receipt of the same store: the terminal that wrote it, its business day and number. */
    public record ReceiptRef(String terminal, LocalDate businessDay, String receiptNumber) {
        public ReceiptRef {
            requireReceipt(businessDay, receiptNumber);
            if (terminal == null || !terminal.matches("[A-Za-z0-9_-]{1,32}")) {
                throw KizunaException.invalid("The original receipt names its terminal.");
            }
        }
    }

    /** One line of the original receipt, and how much of it comes back. */
    public record ReturnedLine(int lineNumber, BigDecimal quantity) {
        public ReturnedLine {
            if (quantity == null || quantity.signum() <= 0 || quantity.scale() > 3) {
                throw KizunaException.invalid("A returned quantity is positive, with up to 3 decimals.");
            }
        }
    }

    /**
     * A return, with its own receipt number, of some lines of an original sale of this store ({@code lines}
     * absent: everything that has not come back yet).
     */
    public record Return(LocalDate businessDay, String receiptNumber, ReceiptRef original, List<ReturnedLine> lines) {
        public Return {
            requireReceipt(businessDay, receiptNumber);
            if (original == null) {
                throw KizunaException.invalid("A return names its original receipt.");
            }
            if (lines != null && (lines.isEmpty() || lines.size() > MAX_LINES
                    || lines.stream().map(ReturnedLine::lineNumber).distinct().count() != lines.size())) {
                throw KizunaException.invalid("A return lists 1 to " + MAX_LINES + " distinct original lines.");
            }
            lines = lines == null ? null : List.copyOf(lines);
        }
    }

    /** Cancels a whole sale of this terminal: everything on it comes back. */
    public record VoidSale(LocalDate businessDay, String receiptNumber) {
        public VoidSale {
            requireReceipt(businessDay, receiptNumber);
        }
    }

    /** What a return or void did: the points it took back and the points paid it gave back. */
    public record ReturnReply(String receiptId, Processing processing, boolean replay, long amountReturned,
                              long pointsReversed, long pointsRefunded, PointsView balance) {
        public ReturnReply asReplay() {
            return new ReturnReply(receiptId, processing, true, amountReturned, pointsReversed, pointsRefunded,
                    balance);
        }
    }

    static void requireReceipt(LocalDate businessDay, String receiptNumber) {
        if (businessDay == null) {
            throw KizunaException.invalid("businessDay is required.");
        }
        if (receiptNumber == null || !receiptNumber.matches("[A-Za-z0-9-]{1,32}")) {
            throw KizunaException.invalid("receiptNumber is 1 to 32 letters, digits or dashes.");
        }
    }

    private static void requireAmount(String field, int lineNumber, long value) {
        if (value < 0 || value > MAX_AMOUNT) {
            throw KizunaException.invalid("Line " + lineNumber + " has a negative or absurd " + field + ".");
        }
    }
}
