package io.kizuna.feed;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The data of each event type, as written to the outbox and delivered to the feed's readers. Amounts are in the
 * currency's minor unit; instants are UTC; a business day is the store's. The member's personal data (card number
 * and demographics) is only in {@link Person}, which the feed leaves out for members without analytics consent.
 */
public final class FeedEvents {
    private FeedEvents() {
    }

    /** Who the member is, for slicing: left out of the feed when the member has not consented to analytics. */
    public record Person(String cardNumber, String ageBand, String gender, String prefecture) {
    }

    public record PurchaseLine(int lineNumber, String sku, String category, BigDecimal quantity, long amount,
                               boolean eligible) {
    }

    public record RuleGiven(String ruleId, long points) {
    }

    /** A sale at a till: {@code amount} of a line is net of its discount. */
    public record PurchaseRecorded(String receiptId, String storeCode, String terminalCode, LocalDate businessDay,
                                   String receiptNumber, Instant soldAt, String currency, long total,
                                   long eligible, long pointsEarned, long pointsPaid, List<PurchaseLine> lines,
                                   List<RuleGiven> rules, Person person) {
    }

    /** A return or a void ({@code kind}) of some or all of a sale's lines. */
    public record PurchaseReturned(String receiptId, String kind, String originalReceiptId, String storeCode,
                                   String terminalCode, LocalDate businessDay, String receiptNumber,
                                   Instant returnedAt, String currency, long total, long pointsReversed,
                                   long pointsRefunded, List<PurchaseLine> lines, Person person) {
    }

    /**
     * One ledger transfer. {@code from} and {@code to} are account kinds (MEMBER_WALLET, CARD_WALLET, ISSUANCE,
     * REDEMPTION, EXPIRY, ADJUSTMENT); {@code walletId} is the wallet's account id.
     */
    public record PointsMoved(String transferId, String code, String phase, long points, String from, String to,
                              String walletId, String pendingId, String reversesId, Instant at) {
    }

    public record MemberEnrolled(Instant enrolledAt, String channel, Person person) {
    }

    /** Always names the member, so that downstream systems learn of a withdrawn consent. */
    public record ConsentsChanged(boolean marketingMessages, boolean analytics, Instant changedAt) {
    }

    /** A member's tier moved ({@code direction} UP or DOWN), with its reason and the qualification in the metric. */
    public record TierChanged(String fromTier, String toTier, String direction, String reason, String metric,
                              long qualification, Instant changedAt) {
    }
}
