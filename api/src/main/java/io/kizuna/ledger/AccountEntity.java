package io.kizuna.ledger;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;
import org.eclipse.persistence.config.HintValues;
import org.eclipse.persistence.config.QueryHints;

/** A ledger account. Wallets cache their balances in the same transaction as every transfer that touches them. */
@Entity
@Table(name = "account")
// The locking read of every ledger command, as SQL: a JPQL query with a lock mode is prepared anew on each run.
// Refreshed, so that a wallet read earlier in the transaction gets the locked row's values.
@NamedNativeQuery(name = AccountEntity.LOCK, resultClass = AccountEntity.class,
        query = "SELECT id, card_number, created_at, kind, member_id, pending_credits, pending_debits, posted"
                + " FROM account WHERE (id = ?) FOR UPDATE",
        hints = @QueryHint(name = QueryHints.REFRESH, value = HintValues.TRUE))
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class AccountEntity {
    static final String LOCK = "AccountEntity.lock";

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

    /** A campaign's budget account; its balance is cached like a wallet's, and it has no lots. */
    static AccountEntity campaign(UUID id, Instant createdAt) {
        return new AccountEntity(id, AccountKind.CAMPAIGN, null, null, createdAt);
    }

    public AccountId id() {
        return new AccountId(id);
    }

    /** The member whose wallet this is; null for a card's wallet and the program's accounts. */
    UUID memberId() {
        return memberId;
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
