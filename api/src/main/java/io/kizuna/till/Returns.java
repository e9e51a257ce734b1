package io.kizuna.till;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.kizuna.campaign.CampaignEarning;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.Commands.Reverse;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.Points;
import io.kizuna.ledger.TransferId;
import io.kizuna.persistence.Ids;
import io.kizuna.pos.PosProtocol.ReceiptRef;
import io.kizuna.pos.PosProtocol.ReturnedLine;
import io.kizuna.pos.PosProtocol;
import io.kizuna.pos.Terminal;
import io.kizuna.tier.Tiers;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * Returns and voids. What comes back is measured against everything that came back before, so that rounding
 * never drifts: after the last line of a sale is returned, exactly the points it earned have been reversed and
 * exactly the points paid on it have been given back, never more.
 */
final class Returns {
    private final Ledger ledger;
    private final ReceiptEvents events;
    private final Tiers tiers;
    private final CampaignEarning campaigns;
    private final Clock clock;

    Returns(Ledger ledger, ReceiptEvents events, Tiers tiers, CampaignEarning campaigns, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.tiers = tiers;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /** Where the return's own receipt comes from, and what kind it is. */
    record Origin(ReceiptEntity.Kind kind, ReceiptEntity.Origin receipt) {
    }

    /** Takes back {@code requested} lines of the original ({@code null}: all that is left). */
    PosProtocol.ReturnReply takeBack(EntityManager em, Terminal terminal, ReceiptRef reference,
                                     List<ReturnedLine> requested, Origin origin) {
        ReceiptEntity original = findSale(em, terminal, reference);
        List<ReceiptEntity> earlier = em.createQuery("SELECT r FROM ReceiptEntity r WHERE r.originalReceiptId = :id"
                        + " ORDER BY r.id", ReceiptEntity.class)
                .setParameter("id", original.id())
                .getResultList();
        Map<Integer, ReceiptLineEntity> sold = linesOf(em, List.of(original.id())).stream()
                .collect(java.util.stream.Collectors.toMap(ReceiptLineEntity::lineNumber, Function.identity()));
        List<ReceiptLineEntity> returnedBefore = linesOf(em, earlier.stream().map(ReceiptEntity::id).toList());
        UUID receiptId = Ids.next();
        List<ReceiptLineEntity> lines = returnLines(receiptId, sold, returnedBefore, requested);

        long eligibleSold = sold.values().stream().filter(ReceiptLineEntity::eligible)
                .mapToLong(ReceiptLineEntity::net).sum();
        long eligibleBack = sum(returnedBefore, true) + sum(lines, true);
        long netBack = sum(returnedBefore, false) + sum(lines, false);
        long eligibleBackBefore = sum(returnedBefore, true);
        List<ReceiptRuleEntity> campaignRules = campaignRulesOf(em, original);
        long fromEarn = original.pointsEarned() - campaignRules.stream().mapToLong(ReceiptRuleEntity::points).sum();
        long earnBack = proportion(fromEarn, eligibleBack, eligibleSold)
                - proportion(fromEarn, eligibleBackBefore, eligibleSold);
        long refund = proportion(original.pointsPaid(), netBack, original.totalAmount())
                - earlier.stream().mapToLong(ReceiptEntity::pointsPaid).sum();

        Memo memo = Memo.reference(origin.kind().name().toLowerCase(java.util.Locale.ROOT) + ":"
                + terminal.receiptKey(origin.receipt().businessDay(), origin.receipt().receiptNumber()));
        UUID replacement = earnBack > 0 ? takeBackEarned(em, original, earlier, earnBack, memo) : null;
        long reverse = earnBack;
        for (ReceiptRuleEntity rule : campaignRules) {
            long back = proportion(rule.points(), eligibleBack, eligibleSold)
                    - proportion(rule.points(), eligibleBackBefore, eligibleSold);
            if (back > 0) {
                takeBackCampaign(em, original, rule, back, memo);
                reverse += back;
            }
        }
        UUID refundTransfer = refund > 0 ? ledger.reverse(em, new Reverse(
                new TransferId(original.paymentTransferId()), Points.of(refund), memo)).transferId().value() : null;

        ReceiptEntity receipt = new ReceiptEntity(receiptId, origin.kind(), origin.receipt(), original.customer(),
                new ReceiptEntity.Amounts(original.currency(), sum(lines, false), sum(lines, true), reverse, refund),
                clock.instant()).returning(original.id()).withTransfers(replacement, refundTransfer);
        em.persist(receipt);
        lines.forEach(em::persist);
        events.takeBack(em, receipt, lines);
        if (original.customer().memberId() != null) {
            long tierPoints = tierPointsOf(em, original);
            tiers.returned(em, original.customer().memberId(), original.createdAt(), new Tiers.Activity(
                    proportion(original.eligibleAmount(), eligibleBack, eligibleSold)
                            - proportion(original.eligibleAmount(), eligibleBackBefore, eligibleSold),
                    reverse,
                    proportion(tierPoints, eligibleBack, eligibleSold)
                            - proportion(tierPoints, eligibleBackBefore, eligibleSold),
                    origin.kind() == ReceiptEntity.Kind.VOID ? 1 : 0),
                    terminal.receiptKey(origin.receipt().businessDay(), origin.receipt().receiptNumber()));
        }
        UUID wallet = original.customer().walletAccountId();
        return new PosProtocol.ReturnReply(receiptId.toString(), PosProtocol.Processing.ONLINE, false,
                sum(lines, false), reverse, refund,
                wallet == null ? null : Till.pointsView(ledger.balance(em, new AccountId(wallet)), ledger, clock));
    }

    private static ReceiptEntity findSale(EntityManager em, Terminal terminal, ReceiptRef reference) {
        return em.createQuery("SELECT r FROM ReceiptEntity r WHERE r.storeCode = :store AND r.terminalCode = :till"
                        + " AND r.businessDay = :day AND r.receiptNumber = :number AND r.kind = :kind",
                        ReceiptEntity.class)
                .setParameter("store", terminal.storeCode())
                .setParameter("till", reference.terminal())
                .setParameter("day", reference.businessDay())
                .setParameter("number", reference.receiptNumber())
                .setParameter("kind", ReceiptEntity.Kind.SALE)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new KizunaException(ErrorCode.RECEIPT_NOT_FOUND, "Store " + terminal.storeCode()
                        + " has no sale " + reference.receiptNumber() + " of terminal " + reference.terminal()
                        + " on " + reference.businessDay() + "."));
    }

    /** The lines coming back now, each bounded by what was sold less what came back before. */
    private static List<ReceiptLineEntity> returnLines(UUID receiptId, Map<Integer, ReceiptLineEntity> sold,
                                                       List<ReceiptLineEntity> returnedBefore,
                                                       List<ReturnedLine> requested) {
        Map<Integer, BigDecimal> quantityBack = new HashMap<>();
        Map<Integer, Long> amountBack = new HashMap<>();
        for (ReceiptLineEntity line : returnedBefore) {
            quantityBack.merge(line.lineNumber(), line.quantity(), BigDecimal::add);
            amountBack.merge(line.lineNumber(), line.net(), Long::sum);
        }
        Map<Integer, BigDecimal> wanted = new LinkedHashMap<>();
        if (requested == null) {
            sold.values().forEach(line -> wanted.put(line.lineNumber(),
                    line.quantity().subtract(quantityBack.getOrDefault(line.lineNumber(), BigDecimal.ZERO))));
            wanted.values().removeIf(quantity -> quantity.signum() <= 0);
        } else {
            requested.forEach(line -> wanted.put(line.lineNumber(), line.quantity()));
        }
        if (wanted.isEmpty()) {
            throw new KizunaException(ErrorCode.RETURN_EXCEEDS_SALE, "Everything on this sale has come back already.");
        }
        List<ReceiptLineEntity> lines = new ArrayList<>();
        for (var entry : wanted.entrySet()) {
            ReceiptLineEntity line = Optional.ofNullable(sold.get(entry.getKey())).orElseThrow(() ->
                    KizunaException.invalid("The original sale has no line " + entry.getKey() + "."));
            BigDecimal left = line.quantity().subtract(quantityBack.getOrDefault(line.lineNumber(), BigDecimal.ZERO));
            int comparison = entry.getValue().compareTo(left);
            if (comparison > 0) {
                throw new KizunaException(ErrorCode.RETURN_EXCEEDS_SALE, "Line " + line.lineNumber() + " has "
                        + left.stripTrailingZeros().toPlainString() + " left to return, not "
                        + entry.getValue().stripTrailingZeros().toPlainString() + ".");
            }
            long amount = comparison == 0
                    ? line.net() - amountBack.getOrDefault(line.lineNumber(), 0L)
                    : BigDecimal.valueOf(line.net()).multiply(entry.getValue())
                            .divide(line.quantity(), 0, RoundingMode.DOWN).longValueExact();
            lines.add(new ReceiptLineEntity(receiptId, line, entry.getValue(), amount));
        }
        return lines;
    }

    /**
     * Reverses earned points: from the posted earn, or, while the earn still waits out the return window, by
     * shrinking the pending earn. Returns the pending earn that replaces the original one, if any.
     */
    private UUID takeBackEarned(EntityManager em, ReceiptEntity original, List<ReceiptEntity> earlier, long points,
                                Memo memo) {
        UUID current = original.earnTransferId();
        for (ReceiptEntity previous : earlier) {
            if (previous.earnTransferId() != null) {
                current = previous.earnTransferId();
            }
        }
        return switch (ledger.settlementOf(em, new TransferId(current))) {
            case Ledger.Settlement.Posted posted -> {
                ledger.reverse(em, new Reverse(posted.transfer(), Points.of(points), memo));
                yield null;
            }
            case Ledger.Settlement.Pending pending -> ledger.reducePending(em, pending.transfer(), points, memo)
                    .map(TransferId::value).orElse(null);
            case Ledger.Settlement.Gone gone -> null;
        };
    }

    /**
     * Takes a campaign rule's points back to its campaign's account: from the posted award, or by shrinking the
     * pending one (the rule then names the pending transfer that carries the rest). The member's cap gets them back.
     */
    private void takeBackCampaign(EntityManager em, ReceiptEntity original, ReceiptRuleEntity rule, long points,
                                  Memo memo) {
        if (rule.transferId() == null) {
            return;
        }
        switch (ledger.settlementOf(em, new TransferId(rule.transferId()))) {
            case Ledger.Settlement.Posted posted ->
                    ledger.reverse(em, new Reverse(posted.transfer(), Points.of(points), memo));
            case Ledger.Settlement.Pending pending -> rule.carriedBy(ledger.reducePending(em, pending.transfer(),
                    points, memo).map(TransferId::value).orElse(null));
            case Ledger.Settlement.Gone gone -> {
                return;
            }
        }
        if (original.customer().memberId() != null) {
            campaigns.returned(em, original.customer().memberId(), rule.ruleId(), points);
        }
    }

    private static List<ReceiptRuleEntity> campaignRulesOf(EntityManager em, ReceiptEntity sale) {
        return em.createQuery("SELECT r FROM ReceiptRuleEntity r WHERE r.receiptId = :id AND r.ruleId LIKE :prefix"
                        + " ORDER BY r.ruleId", ReceiptRuleEntity.class)
                .setParameter("id", sale.id())
                .setParameter("prefix", CampaignEarning.RULE_PREFIX + "%")
                .getResultList();
    }

    /** What the sale's tier rule gave: returns take it back in the same proportion as the rest. */
    private static long tierPointsOf(EntityManager em, ReceiptEntity sale) {
        Object sum = em.createNativeQuery("SELECT COALESCE(SUM(points), 0) FROM receipt_rule WHERE receipt_id = ?1"
                        + " AND rule_id LIKE 'tier:%'")
                .setParameter(1, io.kizuna.db.UuidConverter.toBytes(sale.id()))
                .getSingleResult();
        return ((Number) sum).longValue();
    }

    private static List<ReceiptLineEntity> linesOf(EntityManager em, List<UUID> receipts) {
        if (receipts.isEmpty()) {
            return List.of();
        }
        return em.createQuery("SELECT l FROM ReceiptLineEntity l WHERE l.receiptId IN :receipts",
                        ReceiptLineEntity.class)
                .setParameter("receipts", receipts)
                .getResultList();
    }

    private static long sum(List<ReceiptLineEntity> lines, boolean eligibleOnly) {
        return lines.stream().filter(line -> !eligibleOnly || line.eligible()).mapToLong(ReceiptLineEntity::net).sum();
    }

    /** {@code whole} scaled by part/total, rounded down; exactly {@code whole} when the part is everything. */
    private static long proportion(long whole, long part, long total) {
        if (total == 0 || whole == 0) {
            return 0;
        }
        return BigDecimal.valueOf(whole).multiply(BigDecimal.valueOf(part))
                .divide(BigDecimal.valueOf(total), 0, RoundingMode.DOWN).longValueExact();
    }
}
