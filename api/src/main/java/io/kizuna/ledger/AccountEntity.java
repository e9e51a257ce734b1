package io.kizuna.ledger;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** A ledger account. Wallets cache their balances in the same transaction as every transfer that touches them. */
@Entity
@Table(name = "account")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class AccountEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @Enumerated(EnumType.STRING)
    private AccountKind kind;

    @Column(name = "member_id")
    @Convert(UuidConverter.NAME)
    private UUID memberId;

    @Column(name = "card_number")
    private String cardNumber;

    private long posted;

    @Column(name = "pending_credits")
    private long pendingCredits;

    @Column(name = "pending_debits")
    private long pendingDebits;

    @Column(name = "created_at")
    private Instant createdAt;

    protected AccountEntity() {
    }

    private AccountEntity(UUID id, AccountKind kind, UUID memberId, String cardNumber, Instant createdAt) {
        this.id = id;
        this.kind = kind;
        this.memberId = memberId;
        this.cardNumber = cardNumber;
        this.createdAt = createdAt;
    }

    public static AccountEntity memberWallet(UUID id, UUID memberId, Instant createdAt) {
        return new AccountEntity(id, AccountKind.MEMBER_WALLET, memberId, null, createdAt);
    }

    public static AccountEntity cardWallet(UUID id, String cardNumber, Instant createdAt) {
        return new AccountEntity(id, AccountKind.CARD_WALLET, null, cardNumber, createdAt);
    }

    public AccountId id() {
        return new AccountId(id);
    }

    AccountKind kind() {
        return kind;
    }

    long posted() {
        return posted;
    }

    long pendingCredits() {
        return pendingCredits;
    }

    long pendingDebits() {
        return pendingDebits;
    }

    /** What the wallet may spend now: posted points not held for a redemption. Negative after a clawback. */
    long available() {
        return posted - pendingDebits;
    }

    void post(long delta) {
        posted += delta;
    }

    void addPendingCredit(long delta) {
        pendingCredits += delta;
    }

    void addPendingDebit(long delta) {
        pendingDebits += delta;
    }
}
