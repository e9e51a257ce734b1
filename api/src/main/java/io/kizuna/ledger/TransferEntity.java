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

/** One movement of points from a debit account to a credit account. Written once, never changed. */
@Entity
@Table(name = "transfer")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class TransferEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @Column(name = "debit_account_id")
    @Convert(UuidConverter.NAME)
    private UUID debitAccountId;

    @Column(name = "credit_account_id")
    @Convert(UuidConverter.NAME)
    private UUID creditAccountId;

    private long amount;

    @Enumerated(EnumType.STRING)
    private TransferCode code;

    @Enumerated(EnumType.STRING)
    private TransferPhase phase;

    @Column(name = "pending_id")
    @Convert(UuidConverter.NAME)
    private UUID pendingId;

    @Column(name = "reverses_id")
    @Convert(UuidConverter.NAME)
    private UUID reversesId;

    @Column(name = "timeout_at")
    private Instant timeoutAt;

    private String reference;

    private String reason;

    private String actor;

    @Column(name = "created_at")
    private Instant createdAt;

    protected TransferEntity() {
    }

    TransferEntity(UUID id, AccountId debit, AccountId credit, long amount, TransferCode code, TransferPhase phase,
                   Instant createdAt) {
        this.id = id;
        this.debitAccountId = debit.value();
        this.creditAccountId = credit.value();
        this.amount = amount;
        this.code = code;
        this.phase = phase;
        this.createdAt = createdAt;
    }

    TransferEntity resolving(TransferId pending) {
        this.pendingId = pending.value();
        return this;
    }

    TransferEntity reversing(TransferId original) {
        this.reversesId = original.value();
        return this;
    }

    TransferEntity timingOutAt(Instant timeout) {
        this.timeoutAt = timeout;
        return this;
    }

    TransferEntity describedBy(Memo memo) {
        this.reference = memo.reference();
        this.reason = memo.reason();
        this.actor = memo.actor();
        return this;
    }

    public TransferId id() {
        return new TransferId(id);
    }

    AccountId debit() {
        return new AccountId(debitAccountId);
    }

    AccountId credit() {
        return new AccountId(creditAccountId);
    }

    long amount() {
        return amount;
    }

    TransferCode code() {
        return code;
    }

    TransferPhase phase() {
        return phase;
    }

    TransferId pendingId() {
        return pendingId == null ? null : new TransferId(pendingId);
    }

    TransferId reversesId() {
        return reversesId == null ? null : new TransferId(reversesId);
    }

    Instant timeoutAt() {
        return timeoutAt;
    }

    Memo memo() {
        return new Memo(reference, reason, actor);
    }

    Instant createdAt() {
        return createdAt;
    }
}
