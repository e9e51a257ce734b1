package io.kizuna.ledger;

import java.time.Instant;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** Points credited to a wallet together, with one expiry. The remainder is what is still spendable of it. */
@Entity
@Table(name = "lot")
// Named, so that EclipseLink prepares them once: every balance a till shows sums the open lots by expiry, and every
// spending takes the lots that expire first.
@NamedQuery(name = LotEntity.OPEN_BY_EXPIRY, query = "SELECT l.expiresAt, SUM(l.remaining) FROM LotEntity l"
        + " WHERE l.accountId = :account AND l.remaining > 0 GROUP BY l.expiresAt")
@NamedQuery(name = LotEntity.OPEN_EARLIEST, query = "SELECT l FROM LotEntity l"
        + " WHERE l.accountId = :account AND l.remaining > 0 ORDER BY l.expiresAt, l.id")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class LotEntity {
    static final String OPEN_BY_EXPIRY = "LotEntity.openByExpiry";
    static final String OPEN_EARLIEST = "LotEntity.openEarliest";

    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @Column(name = "account_id")
    @Convert(UuidConverter.NAME)
    private UUID accountId;

    @Column(name = "transfer_id")
    @Convert(UuidConverter.NAME)
    private UUID transferId;

    private long amount;

    private long remaining;

    @Column(name = "earned_at")
    private Instant earnedAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    protected LotEntity() {
    }

    LotEntity(UUID id, AccountId account, TransferId transfer, long amount, Instant earnedAt, Instant expiresAt) {
        this.id = id;
        this.accountId = account.value();
        this.transferId = transfer.value();
        this.amount = amount;
        this.remaining = amount;
        this.earnedAt = earnedAt;
        this.expiresAt = expiresAt;
    }

    UUID id() {
        return id;
    }

    TransferId transferId() {
        return new TransferId(transferId);
    }

    long remaining() {
        return remaining;
    }

    Instant earnedAt() {
        return earnedAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    void change(long delta) {
        remaining += delta;
    }
}
