package io.kizuna.till;

import java.util.List;

import io.kizuna.feed.EventType;
import io.kizuna.feed.FeedEvents;
import io.kizuna.feed.Outbox;
import io.kizuna.pos.PosProtocol.RuleResult;
import jakarta.persistence.EntityManager;

/** Tells the feed about a receipt just written, in the same transaction: a sale, or a return or void. */
final class ReceiptEvents {
    private final Outbox outbox;

    ReceiptEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    void sale(EntityManager em, ReceiptEntity sale, List<ReceiptLineEntity> lines, List<RuleResult> rules) {
        ReceiptEntity.Origin origin = sale.origin();
        outbox.write(em, EventType.PURCHASE_RECORDED, sale.customer().memberId(), new FeedEvents.PurchaseRecorded(
                sale.id().toString(), origin.storeCode(), origin.terminalCode(), origin.businessDay(),
                origin.receiptNumber(), sale.createdAt(), sale.currency(), sale.totalAmount(),
                sale.eligibleAmount(), sale.pointsEarned(), sale.pointsPaid(), lines(lines),
                rules.stream().map(rule -> new FeedEvents.RuleGiven(rule.ruleId(), rule.points())).toList(),
                person(sale)));
    }

    void takeBack(EntityManager em, ReceiptEntity receipt, List<ReceiptLineEntity> lines) {
        ReceiptEntity.Origin origin = receipt.origin();
        outbox.write(em, EventType.PURCHASE_RETURNED, receipt.customer().memberId(), new FeedEvents.PurchaseReturned(
                receipt.id().toString(), receipt.kind().name(), receipt.originalReceiptId().toString(),
                origin.storeCode(), origin.terminalCode(), origin.businessDay(), origin.receiptNumber(),
                receipt.createdAt(), receipt.currency(), receipt.totalAmount(), receipt.pointsEarned(),
                receipt.pointsPaid(), lines(lines), person(receipt)));
    }

    private static List<FeedEvents.PurchaseLine> lines(List<ReceiptLineEntity> lines) {
        return lines.stream().map(line -> new FeedEvents.PurchaseLine(line.lineNumber(), line.sku(), line.category(),
                line.quantity(), line.net(), line.eligible())).toList();
    }

    private static FeedEvents.Person person(ReceiptEntity receipt) {
        String card = receipt.customer().cardNumber();
        return card == null ? null : new FeedEvents.Person(card, null, null, null);
    }
}
