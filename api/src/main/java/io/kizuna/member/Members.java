package io.kizuna.member;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.EventType;
import io.kizuna.feed.FeedEvents;
import io.kizuna.feed.Outbox;
import io.kizuna.ledger.AccountEntity;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.TransferCode;
import io.kizuna.member.Receipts.MemberReceipt;
import io.kizuna.member.Receipts.MoveReceipt;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.IdempotencyKey;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** Members: enrolment, profile and consents, status, and merging two records of one person. */
public final class Members {
    private static final String KEY_SCOPE = "members";

    private final Transactions transactions;
    private final Idempotency idempotency;
    private final Ledger ledger;
    private final Cards cards;
    private final Clock clock;
    private final io.kizuna.staff.AuditLog auditLog;
    private final Outbox outbox;

    public Members(Transactions transactions, Idempotency idempotency, Ledger ledger, Cards cards,
                   io.kizuna.staff.AuditLog auditLog, Outbox outbox, Clock clock) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.ledger = ledger;
        this.cards = cards;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Enrols a member with a wallet, and a new card of {@code card} kind when one is asked for. */
    public record Enrollment(Profile profile, Consents consents, CardKind card) {
        public Enrollment {
            profile = profile == null ? Profile.EMPTY : profile;
            consents = consents == null ? Consents.NONE : consents;
        }
    }

    /** A change of profile and/or consents; an absent part stays as it is, a present one replaces it whole. */
    public record Change(Profile profile, Consents consents) {
    }

    public MemberReceipt enroll(Caller caller, IdempotencyKey key, Enrollment enrollment) {
        enrollment.profile().requireBornBy(today());
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "enroll", enrollment,
                MemberReceipt.class, () -> {
                    MemberEntity member = create(em, enrollment, "staff");
                    auditLog.record(em, caller.action("member.enroll", member.id().toString(), null));
                    return new MemberReceipt(view(em, member), false);
                }));
    }

    /** Enrols inside the caller's transaction: the member app creates the member and its sign-in account at once. */
    public MemberId enrollIn(EntityManager em, Enrollment enrollment) {
        enrollment.profile().requireBornBy(today());
        return create(em, enrollment, "app").id();
    }

    private MemberEntity create(EntityManager em, Enrollment enrollment, String channel) {
        Instant now = clock.instant();
        MemberEntity member = new MemberEntity(Ids.next(), enrollment.profile(), enrollment.consents(), now);
        em.persist(member);
        em.persist(AccountEntity.memberWallet(Ids.next(), member.id().value(), now));
        String card = enrollment.card() == null ? null
                : cards.issueTo(em, member.id(), enrollment.card()).number().value();
        Profile profile = enrollment.profile();
        outbox.write(em, EventType.MEMBER_ENROLLED, member.id().value(), new FeedEvents.MemberEnrolled(now, channel,
                new FeedEvents.Person(card, AgeBand.of(profile.birthDate(), today()),
                        profile.gender() == null ? null : profile.gender().name(), profile.prefecture())));
        consentsChanged(em, member);
        return member;
    }

    private void consentsChanged(EntityManager em, MemberEntity member) {
        Consents consents = member.consents();
        outbox.write(em, EventType.CONSENTS_CHANGED, member.id().value(), new FeedEvents.ConsentsChanged(
                consents.marketingMessages(), consents.analyticsUse(), clock.instant()));
    }

    /** The member as staff see them, inside the caller's transaction. */
    public MemberView viewIn(EntityManager em, MemberId id) {
        return view(em, find(em, id));
    }

    /** The member changes their own consents (the app), inside the caller's transaction. */
    public MemberView changeConsentsIn(EntityManager em, MemberId id, Consents consents) {
        MemberEntity member = find(em, id, LockModeType.PESSIMISTIC_WRITE);
        requireNot(member, MemberStatus.CLOSED, MemberStatus.MERGED);
        boolean changed = !member.consents().equals(consents);
        member.update(member.profile(), consents, clock.instant());
        if (changed) {
            consentsChanged(em, member);
        }
        return view(em, member);
    }

    /**
     * Erases what the member told us about themselves and closes the record, inside the caller's transaction. Their
     * cards are blocked so that they identify nobody; the wallet and every transfer stay, so the ledger stays
     * whole and auditable, now tied to an id that names no one.
     */
    public void eraseIn(EntityManager em, MemberId id) {
        MemberEntity member = find(em, id, LockModeType.PESSIMISTIC_WRITE);
        boolean changed = !member.consents().equals(Consents.NONE);
        member.update(Profile.EMPTY, Consents.NONE, clock.instant());
        if (changed) {
            consentsChanged(em, member);
        }
        member.changeStatus(MemberStatus.CLOSED, clock.instant());
        cards.blockAllOf(em, id, "member deleted their account");
    }

    public MemberView get(MemberId id) {
        return transactions.inTransaction(em -> view(em, find(em, id)));
    }

    public MemberView update(Caller caller, MemberId id, Change change) {
        if (change.profile() != null) {
            change.profile().requireBornBy(today());
        }
        return transactions.inTransaction(em -> {
            MemberEntity member = find(em, id, LockModeType.PESSIMISTIC_WRITE);
            requireNot(member, MemberStatus.CLOSED, MemberStatus.MERGED);
            boolean consentsChange = change.consents() != null && !change.consents().equals(member.consents());
            member.update(change.profile() == null ? member.profile() : change.profile(),
                    change.consents() == null ? member.consents() : change.consents(), clock.instant());
            if (consentsChange) {
                consentsChanged(em, member);
            }
            auditLog.record(em, caller.action("member.update", id.toString(),
                    (change.profile() == null ? "" : "profile ") + (change.consents() == null ? "" : "consents")));
            return view(em, member);
        });
    }

    /** Suspends, reactivates or closes. Setting the status a member already has changes nothing. */
    public MemberView changeStatus(Caller caller, MemberId id, MemberStatus next) {
        return transactions.inTransaction(em -> {
            MemberEntity member = find(em, id, LockModeType.PESSIMISTIC_WRITE);
            if (member.status() != next) {
                requireNot(member, MemberStatus.CLOSED, MemberStatus.MERGED);
                member.changeStatus(next, clock.instant());
                auditLog.record(em, caller.action("member.status", id.toString(), next.name()));
            }
            return view(em, member);
        });
    }

    /** Folds {@code merged} into {@code survivor}: its points, pending points and cards move, nothing is lost. */
    public MoveReceipt merge(Caller caller, IdempotencyKey key, MemberId survivorId, MemberId mergedId) {
        if (survivorId.equals(mergedId)) {
            throw new KizunaException(ErrorCode.MERGE_NOT_ALLOWED, "A member cannot be merged into itself.");
        }
        record MergeRequest(MemberId survivor, MemberId merged) {
        }
        return transactions.inTransaction(em -> idempotency.once(em, key.scoped(KEY_SCOPE), "merge",
                new MergeRequest(survivorId, mergedId), MoveReceipt.class, () -> {
                    MemberEntity survivor = find(em, survivorId, LockModeType.PESSIMISTIC_WRITE);
                    MemberEntity merged = find(em, mergedId, LockModeType.PESSIMISTIC_WRITE);
                    if (survivor.status() != MemberStatus.ACTIVE) {
                        throw new KizunaException(ErrorCode.MERGE_NOT_ALLOWED, "The surviving member is not active.");
                    }
                    requireNot(merged, MemberStatus.CLOSED, MemberStatus.MERGED);
                    long moved = ledger.moveWallet(em, walletOf(em, mergedId), walletOf(em, survivorId),
                            TransferCode.MEMBER_MERGE, new Memo("merge:" + mergedId, null, caller.actor()));
                    cards.moveAll(em, mergedId, survivorId);
                    merged.mergeInto(survivorId, clock.instant());
                    auditLog.record(em, caller.action("member.merge", survivorId.toString(),
                            "merged=" + mergedId + " points=" + moved));
                    return new MoveReceipt(view(em, survivor), null, moved, false);
                }));
    }

    /** The member's wallet, for the ledger. */
    public AccountId walletOf(MemberId id) {
        return transactions.inTransaction(em -> {
            find(em, id);
            return walletOf(em, id);
        });
    }

    /** The wallet of an active or suspended member, for corrections by staff. */
    public AccountId correctableWalletOf(MemberId id) {
        return transactions.inTransaction(em -> {
            requireNot(find(em, id), MemberStatus.CLOSED, MemberStatus.MERGED);
            return walletOf(em, id);
        });
    }

    static AccountId walletOf(EntityManager em, MemberId id) {
        return em.createQuery("SELECT a FROM AccountEntity a WHERE a.memberId = :member", AccountEntity.class)
                .setParameter("member", id.value())
                .getSingleResult()
                .id();
    }

    static MemberEntity find(EntityManager em, MemberId id) {
        return find(em, id, LockModeType.NONE);
    }

    static MemberEntity find(EntityManager em, MemberId id, LockModeType lock) {
        MemberEntity member = em.find(MemberEntity.class, id.value(), lock);
        if (member == null) {
            throw new KizunaException(ErrorCode.MEMBER_NOT_FOUND, "No member has the id " + id + ".");
        }
        return member;
    }

    static void requireNot(MemberEntity member, MemberStatus... refused) {
        for (MemberStatus status : refused) {
            if (member.status() == status) {
                throw new KizunaException(ErrorCode.MEMBER_NOT_ACTIVE,
                        "Member " + member.id() + " is " + status.name().toLowerCase(java.util.Locale.ROOT) + ".");
            }
        }
    }

    private MemberView view(EntityManager em, MemberEntity member) {
        List<CardView> memberCards = cards.ofMember(em, member.id());
        return new MemberView(member.id(), member.status(), member.profile(), member.consents(), memberCards,
                member.mergedInto(), member.enrolledAt(), member.updatedAt());
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }
}
