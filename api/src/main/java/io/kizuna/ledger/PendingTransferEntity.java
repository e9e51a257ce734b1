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

/** The work list of open pending transfers; a row leaves it when its transfer resolves. */
@Entity
@Table(name = "pending_transfer")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class PendingTransferEntity {
    /** What happens when nobody resolves the pending transfer in time. */
    enum OnTimeout {
        /** Earned points become spendable once the return window has passed. */
        POST,
        /** A redemption hold that was neither captured nor released gives the points back. */
        EXPIRE
    }

    @Id
    @Column(name = "transfer_id")
    @Convert(UuidConverter.NAME)
    private UUID transferId;

    @Column(name = "account_id")
    @Convert(UuidConverter.NAME)
    private UUID accountId;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_timeout")
    private OnTimeout onTimeout;

    @Column(name = "timeout_at")
    private Instant timeoutAt;

    @Column(name = "earned_at")
    private Instant earnedAt;

    protected PendingTransferEntity() {
    }

    PendingTransferEntity(TransferId transfer, AccountId wallet, OnTimeout onTimeout, Instant timeoutAt,
                          Instant earnedAt) {
        this.transferId = transfer.value();
        this.accountId = wallet.value();
        this.onTimeout = onTimeout;
        this.timeoutAt = timeoutAt;
        this.earnedAt = earnedAt;
    }

    /** When the pending points were first earned, whatever happened to the pending transfer since. */
    Instant earnedAt() {
        return earnedAt;
    }

    TransferId transferId() {
        return new TransferId(transferId);
    }

    AccountId wallet() {
        return new AccountId(accountId);
    }

    OnTimeout onTimeout() {
        return onTimeout;
    }
}
