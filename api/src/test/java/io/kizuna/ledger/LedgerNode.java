package io.kizuna.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.kizuna.feed.Outbox;
import io.kizuna.web.JsonMapper;
import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import io.kizuna.persistence.Entities;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.web.JsonMapper;
import jakarta.persistence.EntityManagerFactory;
import org.eclipse.persistence.jpa.JpaHelper;
import org.eclipse.persistence.sessions.JNDIConnector;

/**
 * One server node over a {@link LedgerFixture}'s schema: an EntityManagerFactory (and so an EclipseLink session)
 * of its own, on the fixture's connection pool or on a second pool, as a separate server process would have.
 * It checks that it really got its own session on the pool it asked for.
 */
final class LedgerNode implements AutoCloseable {
    private final Database ownPool;
    private final LedgerFixture fixture;
    final EntityManagerFactory entityManagerFactory;
    final Transactions transactions;
    final PointsService points;

    private LedgerNode(LedgerFixture fixture, Database ownPool) {
        this.fixture = fixture;
        this.ownPool = ownPool;
        Database database = ownPool == null ? fixture.database : ownPool;
        entityManagerFactory = database.entityManagerFactory(Entities.all());
        if (dataSource() != database.dataSource()) {
            entityManagerFactory.close();
            throw new IllegalStateException("EclipseLink gave the node another factory's session");
        }
        transactions = new Transactions(entityManagerFactory);
        points = new PointsService(transactions, new Idempotency(JsonMapper.create(), fixture.clock),
                new Ledger(fixture.clock, LedgerConfig.defaults(), new Outbox(JsonMapper.create(), fixture.clock)),
                fixture.clock);
    }

    /** A node that shares the fixture's connection pool. */
    static LedgerNode onFixturePool(LedgerFixture fixture) {
        return new LedgerNode(fixture, null);
    }

    /** A node with a second connection pool on the fixture's schema. */
    static LedgerNode withOwnPool(LedgerFixture fixture) {
        String url = ((HikariDataSource) fixture.database.dataSource()).getJdbcUrl();
        String schema = url.substring(url.lastIndexOf('/') + 1);
        Database pool = Database.start(new DatabaseConfig(
                Optional.of(url + "?sslMode=DISABLED&allowPublicKeyRetrieval=true"), "root", "",
                Path.of("unused"), 0, schema, 24, Duration.ofSeconds(10)));
        try {
            return new LedgerNode(fixture, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    AccountId newWallet() {
        AccountEntity wallet = AccountEntity.memberWallet(Ids.next(), Ids.next(), fixture.clock.instant());
        transactions.inTransaction(em -> {
            em.persist(wallet);
            return null;
        });
        return wallet.id();
    }

    /** The pool this node's EclipseLink session really uses. */
    DataSource dataSource() {
        return ((JNDIConnector) JpaHelper.getServerSession(entityManagerFactory).getLogin().getConnector())
                .getDataSource();
    }

    @Override
    public void close() {
        entityManagerFactory.close();
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
