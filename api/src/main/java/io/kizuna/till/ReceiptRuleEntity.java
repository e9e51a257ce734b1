package io.kizuna.till;

import java.io.Serializable;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** How many points one earning rule gave on one receipt. */
@Entity
@Table(name = "receipt_rule")
@IdClass(ReceiptRuleEntity.Key.class)
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class ReceiptRuleEntity {
    @Id
    @Column(name = "receipt_id")
    @Convert(UuidConverter.NAME)
    private UUID receiptId;

    @Id
    @Column(name = "rule_id")
    private String ruleId;

    private long points;

    /** The transfer carrying this rule's points when it is not the receipt's earn: a campaign's. */
    @Column(name = "transfer_id")
    @Convert(UuidConverter.NAME)
    private UUID transferId;

    protected ReceiptRuleEntity() {
    }

    ReceiptRuleEntity(UUID receiptId, String ruleId, long points) {
        this(receiptId, ruleId, points, null);
    }

    ReceiptRuleEntity(UUID receiptId, String ruleId, long points, UUID transferId) {
        this.receiptId = receiptId;
        this.ruleId = ruleId;
        this.points = points;
        this.transferId = transferId;
    }

    String ruleId() {
        return ruleId;
    }

    long points() {
        return points;
    }

    UUID transferId() {
        return transferId;
    }

    /** A return shrank the rule's pending transfer: the rest now waits in {@code replacement}. */
    void carriedBy(UUID replacement) {
        this.transferId = replacement;
    }

    /** The composite key: receipt and rule. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private UUID receiptId;
        private String ruleId;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && java.util.Objects.equals(key.receiptId, receiptId)
                    && java.util.Objects.equals(key.ruleId, ruleId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(receiptId, ruleId);
        }
    }
}
