package io.kizuna.member;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.card.CardNumber;
import io.kizuna.db.UuidConverter;
import io.kizuna.ledger.AccountId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** A card. Until a member registers it, it earns into a wallet of its own. */
@Entity
@Table(name = "card")
// The till's hottest read, named so that EclipseLink prepares it once: card, member and wallet in one round trip.
@NamedNativeQuery(name = CardEntity.HOLDER, query = """
        SELECT c.status, c.wallet_account_id, c.member_id, m.status, m.name, w.id
        FROM card c
        LEFT JOIN member m ON m.id = c.member_id
        LEFT JOIN account w ON w.member_id = c.member_id
        WHERE c.number = ?""")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class CardEntity {
    static final String HOLDER = "CardEntity.holder";

    @Id
    private String number;

    @Enumerated(EnumType.STRING)
    private CardKind kind;

    @Enumerated(EnumType.STRING)
    private CardStatus status;

    @Column(name = "member_id")
    @Convert(UuidConverter.NAME)
    private UUID memberId;

    @Column(name = "wallet_account_id")
    @Convert(UuidConverter.NAME)
    private UUID walletAccountId;

    @Column(name = "replaced_by")
    private String replacedBy;

    @Column(name = "block_reason")
    private String blockReason;

    @Column(name = "issued_at")
    private Instant issuedAt;

    @Column(name = "registered_at")
    private Instant registeredAt;

    @Column(name = "blocked_at")
    private Instant blockedAt;

    protected CardEntity() {
    }

    CardEntity(CardNumber number, CardKind kind, Instant issuedAt) {
        this.number = number.value();
        this.kind = kind;
        this.status = CardStatus.ACTIVE;
        this.issuedAt = issuedAt;
    }

    CardNumber number() {
        return new CardNumber(number);
    }

    CardKind kind() {
        return kind;
    }

    CardStatus status() {
        return status;
    }

    MemberId memberId() {
        return memberId == null ? null : new MemberId(memberId);
    }

    AccountId ownWallet() {
        return walletAccountId == null ? null : new AccountId(walletAccountId);
    }

    void giveOwnWallet(AccountId wallet) {
        this.walletAccountId = wallet.value();
    }

    void registerTo(MemberId member, Instant at) {
        this.memberId = member.value();
        this.registeredAt = at;
    }

    /** Cards follow their member into a merge without being registered anew. */
    void moveTo(MemberId member) {
        this.memberId = member.value();
    }

    void block(String reason, Instant at) {
        this.status = CardStatus.BLOCKED;
        this.blockReason = reason;
        this.blockedAt = at;
    }

    void replacedBy(CardNumber replacement) {
        this.replacedBy = replacement.value();
    }

    CardView view() {
        return new CardView(new CardNumber(number), kind, status, memberId(), issuedAt, registeredAt, blockedAt,
                blockReason, replacedBy == null ? null : new CardNumber(replacedBy));
    }
}
