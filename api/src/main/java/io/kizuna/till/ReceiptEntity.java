package io.kizuna.till;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** A till transaction as recorded: who, where, how much, and the ledger transfers it made. Never changed. */
@Entity
@Table(name = "receipt")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class ReceiptEntity {
    enum Kind { SALE, RETURN, VOID }

    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private Kind kind;

    @Column(name = "store_code")
    private String storeCode;

    @Column(name = "terminal_code")
    private String terminalCode;

    @Column(name = "business_day")
    private LocalDate businessDay;

    @Column(name = "receipt_number")
    private String receiptNumber;

    @Column(name = "card_number")
    private String cardNumber;

    @Column(name = "member_id")
    @Convert(UuidConverter.NAME)
    private UUID memberId;

    @Column(name = "wallet_account_id")
    @Convert(UuidConverter.NAME)
    private UUID walletAccountId;

    private String currency;

    @Column(name = "total_amount")
    private long totalAmount;

    @Column(name = "eligible_amount")
    private long eligibleAmount;

    @Column(name = "points_earned")
    private long pointsEarned;

    @Column(name = "points_paid")
    private long pointsPaid;

    @Column(name = "earn_transfer_id")
    @Convert(UuidConverter.NAME)
    private UUID earnTransferId;

    @Column(name = "payment_transfer_id")
    @Convert(UuidConverter.NAME)
    private UUID paymentTransferId;

    @Column(name = "original_receipt_id")
    @Convert(UuidConverter.NAME)
    private UUID originalReceiptId;

    @Column(name = "created_at")
    private Instant createdAt;

    protected ReceiptEntity() {
    }

    /** Where a receipt comes from: which till, which day, which number. */
    record Origin(String storeCode, String terminalCode, LocalDate businessDay, String receiptNumber) {
    }

    /** Who it was for: the card scanned, its member (if registered) and the wallet it earned into. */
    record Customer(String cardNumber, UUID memberId, UUID walletAccountId) {
        static final Customer ANONYMOUS = new Customer(null, null, null);
    }

    /** The money and the points of the receipt. */
    record Amounts(String currency, long total, long eligible, long pointsEarned, long pointsPaid) {
    }

    ReceiptEntity(UUID id, Kind kind, Origin origin, Customer customer, Amounts amounts, Instant createdAt) {
        this.id = id;
        this.kind = kind;
        this.storeCode = origin.storeCode();
        this.terminalCode = origin.terminalCode();
        this.businessDay = origin.businessDay();
        this.receiptNumber = origin.receiptNumber();
        this.cardNumber = customer.cardNumber();
        this.memberId = customer.memberId();
        this.walletAccountId = customer.walletAccountId();
        this.currency = amounts.currency();
        this.totalAmount = amounts.total();
        this.eligibleAmount = amounts.eligible();
        this.pointsEarned = amounts.pointsEarned();
        this.pointsPaid = amounts.pointsPaid();
        this.createdAt = createdAt;
    }

    ReceiptEntity returning(UUID original) {
        this.originalReceiptId = original;
        return this;
    }

    ReceiptEntity withTransfers(UUID earnTransfer, UUID paymentTransfer) {
        this.earnTransferId = earnTransfer;
        this.paymentTransferId = paymentTransfer;
        return this;
    }

    UUID id() {
        return id;
    }

    Kind kind() {
        return kind;
    }

    Origin origin() {
        return new Origin(storeCode, terminalCode, businessDay, receiptNumber);
    }

    long eligibleAmount() {
        return eligibleAmount;
    }

    Instant createdAt() {
        return createdAt;
    }

    UUID originalReceiptId() {
        return originalReceiptId;
    }

    Customer customer() {
        return new Customer(cardNumber, memberId, walletAccountId);
    }

    String currency() {
        return currency;
    }

    long totalAmount() {
        return totalAmount;
    }

    long pointsEarned() {
        return pointsEarned;
    }

    long pointsPaid() {
        return pointsPaid;
    }

    UUID earnTransferId() {
        return earnTransferId;
    }

    UUID paymentTransferId() {
        return paymentTransferId;
    }
}
