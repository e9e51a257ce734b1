package io.kizuna.ledger;

import java.time.Instant;

import io.kizuna.feed.Outbox;
import io.kizuna.web.JsonMapper;
import io.kizuna.db.Database;
import io.kizuna.persistence.Entities;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.testing.MutableClock;
import io.kizuna.testing.TestDatabases;
import io.kizuna.web.JsonMapper;
import jakarta.persistence.EntityManagerFactory;

/** A real ledger on its own fresh schema of the embedded MariaDB, with a clock the test moves. */
final class LedgerFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T03:00:00Z"));
    final Database database;
    final EntityManagerFactory entityManagerFactory;
    final Transactions transactions;
    final Ledger ledger;
    final PointsService points;
    final LedgerAudit audit;

    LedgerFixture(String purpose) {
        database = TestDatabases.freshSchema(purpose);
        entityManagerFactory = database.entityManagerFactory(Entities.all());
        transactions = new Transactions(entityManagerFactory);
        ledger = new Ledger(clock, LedgerConfig.defaults(), new Outbox(JsonMapper.create(), clock));
        points = new PointsService(transactions, new Idempotency(JsonMapper.create(), clock), ledger, clock);
        audit = new LedgerAudit(database.dataSource(), clock);
    }

    AccountId newWallet() {
        AccountEntity wallet = AccountEntity.memberWallet(Ids.next(), Ids.next(), clock.instant());
        transactions.inTransaction(em -> {
            em.persist(wallet);
            return null;
        });
        return wallet.id();
    }

    AuditReport assertBalanced() {
        AuditReport report = audit.run();
        if (!report.balanced()) {
            throw new AssertionError("Ledger audit found violations: " + report.violations());
        }
        return report;
    }

    @Override
    public void close() {
        entityManagerFactory.close();
        database.close();
    }
}
