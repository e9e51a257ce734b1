package io.kizuna.ledger;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
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
 * One server node over a {@link LedgerFixture}'s schema, with an EclipseLink session of its own: on the fixture's
 * connection pool, or on a second pool as a separate server process would have.
 *
 * <p>Why not {@code fixture.points}: {@code Database.entityManagerFactory} always names the persistence unit
 * "kizuna", and EclipseLink gives every factory of one unit name in a JVM the session, and so the pool and
 * schema, of the first that is still open. Once an HTTP test has started the shared test server, a fixture's
 * {@code points} silently write to the server's schema while its audit reads the fixture's. A node therefore
 * reaches the db module's own bootstrap (package-private, hence reflection) under a unit name of its own, and
 * checks that it got its own session.
 */
final class LedgerNode implements AutoCloseable {
    private static final AtomicInteger NODES = new AtomicInteger();

    private final LedgerFixture fixture;
    private final Database ownPool;
    final EntityManagerFactory entityManagerFactory;
    final Transactions transactions;
    final PointsService points;

    private LedgerNode(LedgerFixture fixture, Database ownPool) {
        this.fixture = fixture;
        this.ownPool = ownPool;
        DataSource pool = ownPool == null ? fixture.database.dataSource() : ownPool.dataSource();
        entityManagerFactory = entityManagerFactory("kizuna-test-node-" + NODES.incrementAndGet(), pool);
        if (dataSource() != pool) {
            entityManagerFactory.close();
            throw new IllegalStateException("EclipseLink gave the node another unit's session");
        }
        transactions = new Transactions(entityManagerFactory);
        points = new PointsService(transactions, new Idempotency(JsonMapper.create(), fixture.clock),
                new Ledger(fixture.clock, LedgerConfig.defaults()), fixture.clock);
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

    private static EntityManagerFactory entityManagerFactory(String unitName, DataSource pool) {
        try {
            Method create = Class.forName("io.kizuna.db.PersistenceUnits")
                    .getDeclaredMethod("create", String.class, DataSource.class, List.class);
            create.setAccessible(true);
            return (EntityManagerFactory) create.invoke(null, unitName, pool, Entities.all());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot bootstrap an EclipseLink session for a test node", e);
        }
    }

    @Override
    public void close() {
        entityManagerFactory.close();
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
