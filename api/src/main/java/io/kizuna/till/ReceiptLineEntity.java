package io.kizuna.till;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** One line of a receipt: what was bought, for how much, and whether it could earn. */
@Entity
@Table(name = "receipt_line")
@IdClass(ReceiptLineEntity.Key.class)
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class ReceiptLineEntity {
    @Id
    @Column(name = "receipt_id")
    @Convert(UuidConverter.NAME)
    private UUID receiptId;

    @Id
    @Column(name = "line_number")
    private int lineNumber;

    private String sku;

    private String category;

    private BigDecimal quantity;

    @Column(name = "unit_price")
    private long unitPrice;

    private long amount;

    private long discount;

    private boolean eligible;

    protected ReceiptLineEntity() {
    }

    ReceiptLineEntity(UUID receiptId, io.kizuna.pos.PosProtocol.Line line, String category, boolean eligible) {
        this.receiptId = receiptId;
        this.lineNumber = line.lineNumber();
        this.sku = line.sku();
        this.category = category;
        this.quantity = line.quantity();
        this.unitPrice = line.unitPrice();
        this.amount = line.amount();
        this.discount = line.discount();
        this.eligible = eligible;
    }

    /** A line of a return: part or all of an original line coming back. */
    ReceiptLineEntity(UUID receiptId, ReceiptLineEntity original, BigDecimal quantity, long amount) {
        this.receiptId = receiptId;
        this.lineNumber = original.lineNumber;
        this.sku = original.sku;
        this.category = original.category;
        this.quantity = quantity;
        this.unitPrice = original.unitPrice;
        this.amount = amount;
        this.discount = 0;
        this.eligible = original.eligible;
    }

    UUID receiptId() {
        return receiptId;
    }

    int lineNumber() {
        return lineNumber;
    }

    BigDecimal quantity() {
        return quantity;
    }

    String sku() {
        return sku;
    }

    String category() {
        return category;
    }

    /** What the customer paid for this line (or gets back, on a return). */
    long net() {
        return amount - discount;
    }

    boolean eligible() {
        return eligible;
    }

    /** The composite key: receipt and line number. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private UUID receiptId;
        private int lineNumber;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.lineNumber == lineNumber
                    && java.util.Objects.equals(key.receiptId, receiptId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(receiptId, lineNumber);
        }
    }
}
