package io.kizuna.ledger;

import java.util.UUID;

import io.kizuna.db.UuidConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.persistence.annotations.Convert;
import org.eclipse.persistence.annotations.Converter;

/** One change of a lot's remainder by one transfer: negative when consumed, positive when given back. */
@Entity
@Table(name = "lot_movement")
@Converter(name = UuidConverter.NAME, converterClass = UuidConverter.class)
public class LotMovementEntity {
    @Id
    @Convert(UuidConverter.NAME)
    private UUID id;

    @Column(name = "lot_id")
    @Convert(UuidConverter.NAME)
    private UUID lotId;

    @Column(name = "transfer_id")
    @Convert(UuidConverter.NAME)
    private UUID transferId;

    private long amount;

    protected LotMovementEntity() {
    }

    LotMovementEntity(UUID id, UUID lotId, TransferId transfer, long amount) {
        this.id = id;
        this.lotId = lotId;
        this.transferId = transfer.value();
        this.amount = amount;
    }

    UUID lotId() {
        return lotId;
    }

    long amount() {
        return amount;
    }
}
