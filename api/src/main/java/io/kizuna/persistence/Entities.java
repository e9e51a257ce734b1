package io.kizuna.persistence;

import java.util.List;

/** Every JPA entity of the core, handed to the db module's EntityManagerFactory bootstrap. */
public final class Entities {
    private Entities() {
    }

    public static List<Class<?>> all() {
        return List.of(
                IdempotencyRecordEntity.class,
                io.kizuna.ledger.AccountEntity.class,
                io.kizuna.ledger.TransferEntity.class,
                io.kizuna.ledger.LotEntity.class,
                io.kizuna.ledger.LotMovementEntity.class,
                io.kizuna.ledger.PendingTransferEntity.class,
                io.kizuna.member.MemberEntity.class,
                io.kizuna.member.CardEntity.class,
                io.kizuna.staff.StaffCredentialEntity.class,
                io.kizuna.staff.AuditLogEntity.class,
                io.kizuna.store.StoreEntity.class,
                io.kizuna.store.TerminalEntity.class,
                io.kizuna.store.ProductEntity.class,
                io.kizuna.till.ReceiptEntity.class,
                io.kizuna.till.ReceiptLineEntity.class,
                io.kizuna.till.ReceiptRuleEntity.class);
    }
}
