package io.kizuna.member;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.kizuna.card.CardNumber;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.AccountEntity;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.TransferCode;
import io.kizuna.member.Receipts.CardReceipt;
import io.kizuna.member.Receipts.MoveReceipt;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.IdempotencyKey;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * Cards: issued to a member or handed out unregistered (earning into a wallet of their own), registered by a
 * member (their points follow), blocked when lost and replaced (the balance stays with the member).
 */
public final class Cards {
    private static final String KEY_SCOPE = "cards";

    private final Transactions transactions;
    private final Idempotency idempotency;
    private final Ledger ledger;
    private final AuditLog auditLog;
    private final CardConfig config;
    private final Clock clock;

    public Cards(Transactions transactions, Idempotency idempotency, Ledger ledger, AuditLog auditLog,
                 CardConfig config, Clock clock) {
        this.transactions = transactions;
        this.idempotency = idempotency;
        this.ledger = ledger;
        this.auditLog = auditLog;
        this.config = config;
        this.clock = clock;
    }

    /** A card to issue: to a member, or unregistered when {@code memberId} is absent. */
    public record Issue(CardKind kind, MemberId memberId) {
        public Issue {
            if (kind == null) {
                throw KizunaException.invalid("A card needs a kind: PHYSICAL or VIRTUAL.");
            }
        }
    }

    public CardReceipt issue(Caller caller, IdempotencyKey key, Issue issue) {
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "issue", issue,
                CardReceipt.class, () -> {
                    CardEntity card;
                    if (issue.memberId() == null) {
                        card = new CardEntity(CardNumber.random(config.prefix()), issue.kind(), clock.instant());
                        AccountEntity wallet = AccountEntity.cardWallet(Ids.next(), card.number().value(),
                                clock.instant());
                        em.persist(wallet);
                        card.giveOwnWallet(wallet.id());
                        em.persist(card);
                    } else {
                        Members.requireNot(Members.find(em, issue.memberId()), MemberStatus.CLOSED,
                                MemberStatus.MERGED);
                        card = issueTo(em, issue.memberId(), issue.kind());
                    }
                    auditLog.record(em, caller.action("card.issue", card.number().value(), issue.kind().name()));
                    return new CardReceipt(card.view(), false);
                }));
    }

    CardEntity issueTo(EntityManager em, MemberId member, CardKind kind) {
        Instant now = clock.instant();
        CardEntity card = new CardEntity(CardNumber.random(config.prefix()), kind, now);
        card.registerTo(member, now);
        em.persist(card);
        return card;
    }

    public CardView get(CardNumber number) {
        return transactions.inTransaction(em -> find(em, number, LockModeType.NONE).view());
    }

    /** The wallet a card earns into now: its member's once registered, its own until then. */
    public AccountId walletOf(CardNumber number) {
        return transactions.inTransaction(em -> {
            CardEntity card = find(em, number, LockModeType.NONE);
            return card.memberId() == null ? card.ownWallet() : Members.walletOf(em, card.memberId());
        });
    }

    /** A member registers a card: it becomes theirs, and what it earned so far moves to their wallet. */
    public MoveReceipt register(Caller caller, IdempotencyKey key, CardNumber number, MemberId memberId) {
        record Registration(CardNumber card, MemberId member) {
        }
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "register",
                new Registration(number, memberId), MoveReceipt.class, () -> {
                    long moved = registerIn(em, number, memberId, caller.actor());
                    auditLog.record(em, caller.action("card.register", number.value(),
                            "member=" + memberId + " points=" + moved));
                    return new MoveReceipt(null, find(em, number, LockModeType.NONE).view(), moved, false);
                }));
    }

    /** Registers a card inside the caller's transaction and answers how many points moved with it. */
    public long registerIn(EntityManager em, CardNumber number, MemberId memberId, String actor) {
        CardEntity card = find(em, number, LockModeType.PESSIMISTIC_WRITE);
        MemberEntity member = Members.find(em, memberId);
        Members.requireNot(member, MemberStatus.SUSPENDED, MemberStatus.CLOSED, MemberStatus.MERGED);
        if (card.memberId() != null) {
            throw new KizunaException(ErrorCode.CARD_ALREADY_REGISTERED,
                    "Card " + number + " already belongs to a member.");
        }
        requireActive(card);
        long moved = ledger.moveWallet(em, card.ownWallet(), Members.walletOf(em, memberId),
                TransferCode.CARD_REGISTRATION, new Memo("card:" + number, null, actor));
        card.registerTo(memberId, clock.instant());
        return moved;
    }

    /** The card the member app shows: the member's newest active card, if any. */
    public java.util.Optional<CardNumber> newestActiveOf(EntityManager em, MemberId member) {
        return em.createQuery("SELECT c FROM CardEntity c WHERE c.memberId = :member AND c.status = :active"
                        + " ORDER BY c.issuedAt DESC", CardEntity.class)
                .setParameter("member", member.value())
                .setParameter("active", CardStatus.ACTIVE)
                .setMaxResults(1)
                .getResultStream()
                .map(CardEntity::number)
                .findFirst();
    }

    void blockAllOf(EntityManager em, MemberId member, String reason) {
        em.createQuery("SELECT c FROM CardEntity c WHERE c.memberId = :member", CardEntity.class)
                .setParameter("member", member.value())
                .getResultList()
                .stream()
                .filter(card -> card.status() == CardStatus.ACTIVE)
                .forEach(card -> card.block(reason, clock.instant()));
    }

    /** Blocks a card so that it no longer identifies anyone. Blocking a blocked card changes nothing. */
    public CardView block(Caller caller, CardNumber number, String reason) {
        requireReason(reason);
        return transactions.inTransaction(em -> {
            CardEntity card = find(em, number, LockModeType.PESSIMISTIC_WRITE);
            if (card.status() == CardStatus.ACTIVE) {
                card.block(reason, clock.instant());
                auditLog.record(em, caller.action("card.block", number.value(), reason));
            }
            return card.view();
        });
    }

    /** Replaces a lost card: the old one is blocked, a new one goes to the same member with the same balance. */
    public CardReceipt replace(Caller caller, IdempotencyKey key, CardNumber number, CardKind kind) {
        record Replacement(CardNumber card, CardKind kind) {
        }
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "replace",
                new Replacement(number, kind), CardReceipt.class, () -> {
                    CardEntity old = find(em, number, LockModeType.PESSIMISTIC_WRITE);
                    if (old.memberId() == null) {
                        throw new KizunaException(ErrorCode.CARD_NOT_REGISTERED,
                                "Card " + number + " belongs to nobody yet; register it before replacing it.");
                    }
                    Members.requireNot(Members.find(em, old.memberId()), MemberStatus.CLOSED, MemberStatus.MERGED);
                    if (old.status() == CardStatus.ACTIVE) {
                        old.block("replaced", clock.instant());
                    }
                    CardEntity replacement = issueTo(em, old.memberId(), kind == null ? old.kind() : kind);
                    old.replacedBy(replacement.number());
                    auditLog.record(em, caller.action("card.replace", number.value(),
                            "replacement=" + replacement.number()));
                    return new CardReceipt(replacement.view(), false);
                }));
    }

    /** Who a card belongs to, for a till, inside the till's transaction. A blocked card identifies nobody. */
    public static CardHolder holder(EntityManager em, CardNumber number) {
        // No managed entities: the card's status, wallet and member id, and the member's status and name.
        List<?> rows = em.createNamedQuery(CardEntity.HOLDER)
                .setParameter(1, number.value())
                .getResultList();
        if (rows.isEmpty()) {
            throw new KizunaException(ErrorCode.CARD_NOT_FOUND, "No card has the number " + number + ".");
        }
        Object[] row = (Object[]) rows.getFirst();
        if (CardStatus.valueOf((String) row[0]) != CardStatus.ACTIVE) {
            throw new KizunaException(ErrorCode.CARD_NOT_ACTIVE, "Card " + number + " is blocked.");
        }
        if (row[2] == null) {
            return new CardHolder(number, new AccountId(UuidConverter.fromBytes((byte[]) row[1])), null, null, null);
        }
        return new CardHolder(number, new AccountId(UuidConverter.fromBytes((byte[]) row[5])),
                new MemberId(UuidConverter.fromBytes((byte[]) row[2])), MemberStatus.valueOf((String) row[3]),
                CardHolder.mask((String) row[4]));
    }

    List<CardView> ofMember(EntityManager em, MemberId member) {
        return em.createQuery("SELECT c FROM CardEntity c WHERE c.memberId = :member ORDER BY c.issuedAt",
                        CardEntity.class)
                .setParameter("member", member.value())
                .getResultStream()
                .map(CardEntity::view)
                .toList();
    }

    void moveAll(EntityManager em, MemberId from, MemberId to) {
        em.createQuery("SELECT c FROM CardEntity c WHERE c.memberId = :member", CardEntity.class)
                .setParameter("member", from.value())
                .getResultList()
                .forEach(card -> card.moveTo(to));
    }

    private static CardEntity find(EntityManager em, CardNumber number, LockModeType lock) {
        CardEntity card = em.find(CardEntity.class, number.value(), lock);
        if (card == null) {
            throw new KizunaException(ErrorCode.CARD_NOT_FOUND, "No card has the number " + number + ".");
        }
        return card;
    }

    private static void requireActive(CardEntity card) {
        if (card.status() != CardStatus.ACTIVE) {
            throw new KizunaException(ErrorCode.CARD_NOT_ACTIVE, "Card " + card.number() + " is blocked.");
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            throw KizunaException.invalid("A reason of 1 to 200 characters is required.");
        }
    }
}
