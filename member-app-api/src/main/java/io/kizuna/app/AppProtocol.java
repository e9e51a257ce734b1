package io.kizuna.app;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/** The records /app/v1 speaks: what the app sends and what it gets back. No core types leak in here. */
public final class AppProtocol {
    private AppProtocol() {
    }

    /** Who a valid access token speaks for. Every port call is scoped to this member. */
    public record AppSession(UUID memberId, UUID sessionId) {
    }

    /** What a member tells the program about themselves, apart from the sign-in email. All optional. */
    public record AppProfile(String name, String nameKana, String phone, LocalDate birthDate, String gender,
                             String postalCode, String prefecture) {
        public static final AppProfile EMPTY = new AppProfile(null, null, null, null, null, null, null);
    }

    /** Consent per purpose. On a change, an absent purpose stays as it is. */
    public record AppConsents(Boolean marketingMessages, Boolean analyticsUse) {
    }

    /**
     * A plastic card the member already holds, proven by its last purchase: the total (in yen) of the most recent
     * sale recorded on the card, as printed on that receipt. Plastic cards carry no PIN in Kizuna.
     */
    public record ExistingCard(String number, Long lastPurchaseTotal) {
    }

    /** Sign-up: with {@code card} absent, a new virtual card is issued. */
    public record SignUp(String email, String password, AppProfile profile, AppConsents consents,
                         ExistingCard card) {
    }

    public record SignIn(String email, String password) {
    }

    public record Refresh(String refreshToken) {
    }

    public record PasswordChange(String currentPassword, String newPassword) {
    }

    public record Deletion(String password) {
    }

    /** A signed-in session: a short-lived access token and the refresh token that renews it once. */
    public record Tokens(UUID memberId, String tokenType, String accessToken, Instant accessTokenExpiresAt,
                         String refreshToken, Instant refreshTokenExpiresAt) {
    }

    public record AppCard(String number, String kind, String status, Instant issuedAt) {
    }

    public record Me(UUID memberId, String status, String email, AppProfile profile, AppConsents consents,
                     List<AppCard> cards, Instant enrolledAt) {
    }

    /** The code to show at the till now; a new one is due before {@code expiresAt}. */
    public record CardCode(String code, String card, Instant expiresAt) {
    }

    public record Expiring(YearMonth month, long points) {
    }

    /** Points as the member sees them; {@code expiring} by the last month the points can still be spent. */
    public record Balance(long available, long pending, long held, List<Expiring> expiring) {
    }

    /** Where a movement of points happened: the store, terminal, business day and receipt. */
    public record Where(String store, String terminal, LocalDate businessDay, String receiptNumber,
                        String receiptKind) {
    }

    public record RulePoints(String ruleId, long points) {
    }

    /**
     * One line of the member's points history. {@code where} and {@code rules} come from the receipt when the
     * movement came from a till; {@code campaign} names the campaign when one gave the points.
     */
    public record HistoryEntry(String id, String code, String phase, long points, Instant at, String why,
                               Where where, List<RulePoints> rules, String campaign) {
    }

    public record History(List<HistoryEntry> items, String nextCursor) {
    }

    public record TierLevel(String name, List<String> benefits) {
    }

    /** Progress to the next tier: how much more of the metric, by when. */
    public record TierProgress(String metric, long needed, Instant by) {
    }

    public record Tier(TierLevel current, TierLevel next, TierProgress progress, TierProgress keep, String note) {
    }

    public record Offer(String id, String name, String description, boolean requiresEntry, boolean entered,
                        Instant endsAt) {
    }

    public record Offers(List<Offer> items) {
    }

    public record NpsAnswer(Integer score, String comment) {
    }

    public record NpsReceipt(String id, int score, Instant answeredAt) {
    }

    public record ReceiptLine(int lineNumber, String sku, String category, BigDecimal quantity, long unitPrice,
                              long amount, long discount, boolean eligible) {
    }

    public record Receipt(String id, String kind, Where where, String card, String currency, long totalAmount,
                          long eligibleAmount, long pointsEarned, long pointsPaid, Instant at,
                          List<ReceiptLine> lines, List<RulePoints> rules) {
    }

    public record SessionInfo(String id, Instant createdAt, Instant refreshedAt, Instant expiresAt,
                              Instant revokedAt) {
    }

    public record Survey(String id, int score, String comment, Instant answeredAt) {
    }

    /** Everything Kizuna holds about the member. */
    public record Export(Instant exportedAt, Me member, Balance balance, List<HistoryEntry> history,
                         List<Receipt> receipts, List<Survey> surveys, List<SessionInfo> sessions) {
    }
}
