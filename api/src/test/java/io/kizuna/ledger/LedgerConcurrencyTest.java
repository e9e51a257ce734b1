package io.kizuna.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Commands.Capture;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Commands.Hold;
import io.kizuna.ledger.Commands.Redeem;
import io.kizuna.ledger.Commands.Release;
import io.kizuna.web.IdempotencyKey;
import org.eclipse.persistence.jpa.JpaHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many tills on two server nodes change one wallet at once. Each node has its own connection pool and its own
 * EclipseLink session over the same schema (see {@link LedgerNode}), so only the database's row locks keep them
 * apart, as in production.
 */
class LedgerConcurrencyTest {
    private static final int THREADS = 24;
    private static final int OPERATIONS_PER_THREAD = 40;
    private static final long OPENING_BALANCE = 2_000;

    private static LedgerFixture fixture;
    private static LedgerNode firstNode;
    private static LedgerNode secondNode;
    private static List<PointsService> nodes;

    @BeforeAll
    static void start() {
        fixture = new LedgerFixture("concurrency");
        firstNode = LedgerNode.onFixturePool(fixture);
        secondNode = LedgerNode.withOwnPool(fixture);
        nodes = List.of(firstNode.points, secondNode.points);
    }

    @AfterAll
    static void stop() {
        secondNode.close();
        firstNode.close();
        fixture.close();
    }

    @Test
    void theTwoNodesShareNeitherAPoolNorASession() {
        assertSame(fixture.database.dataSource(), firstNode.dataSource());
        assertNotSame(firstNode.dataSource(), secondNode.dataSource());
        assertNotSame(JpaHelper.getServerSession(firstNode.entityManagerFactory),
                JpaHelper.getServerSession(secondNode.entityManagerFactory));
    }

    /** What one successful command did to the wallet, for replaying all of them in the order the ledger chose. */
    private record Applied(TransferReceipt receipt, long availableChange, long heldChange) {
    }

    @Test
    void concurrentTillsOnTwoNodesLoseNoUpdateAndNeverOverspend() throws Exception {
        AccountId wallet = firstNode.newWallet();
        ConcurrentLinkedQueue<Applied> applied = new ConcurrentLinkedQueue<>();
        applied.add(new Applied(firstNode.points.earn(new IdempotencyKey("open-" + wallet),
                Earn.posted(wallet, Points.of(OPENING_BALANCE), Memo.NONE)), OPENING_BALANCE, 0));
        AtomicInteger refused = new AtomicInteger();

        runTogether(THREADS, thread -> new Till(wallet, thread, applied, refused).work(OPERATIONS_PER_THREAD));

        long earned = sum(applied, TransferCode.EARN, TransferPhase.SINGLE);
        long spent = sum(applied, TransferCode.REDEMPTION, TransferPhase.SINGLE)
                + sum(applied, TransferCode.REDEMPTION, TransferPhase.POST);
        Balance after = firstNode.points.balance(wallet);
        assertEquals(earned - spent, after.available(), "every successful earn, redemption and capture counted");
        assertEquals(0, after.held(), "every hold was captured or released");
        assertEquals(after.available(), after.expiring().stream().mapToLong(Balance.ExpiringPoints::points).sum());
        for (Applied one : applied) {
            assertTrue(one.receipt().balance().available() >= 0, "a reply showed a negative balance: " + one);
        }
        assertRepliesFollowOneSerialOrder(List.copyOf(applied));
        assertTrue(refused.get() < THREADS * OPERATIONS_PER_THREAD / 2, "most commands found points to spend");
        fixture.assertBalanced();
    }

    @Test
    void oneKeySentByManyThreadsAtOnceWritesOneTransfer() throws Exception {
        AccountId wallet = firstNode.newWallet();
        firstNode.points.earn(new IdempotencyKey("fund-" + wallet), Earn.posted(wallet, Points.of(1_000), Memo.NONE));
        for (int round = 0; round < 4; round++) {
            IdempotencyKey key = new IdempotencyKey("race-" + round + "-" + wallet);
            boolean earning = round % 2 == 0;
            ConcurrentLinkedQueue<TransferReceipt> receipts = new ConcurrentLinkedQueue<>();
            runTogether(THREADS, thread -> receipts.add(earning
                    ? nodes.get(thread % 2).earn(key, Earn.posted(wallet, Points.of(70), Memo.reference("race")))
                    : nodes.get(thread % 2).redeem(key, new Redeem(wallet, Points.of(30), Memo.reference("race")))));

            assertEquals(THREADS, receipts.size());
            assertEquals(1, receipts.stream().filter(receipt -> !receipt.replay()).count(), "exactly one original");
            assertEquals(1, receipts.stream().map(TransferReceipt::transferId).distinct().count(),
                    "every replay names the original transfer");
        }
        assertEquals(1_000 + 70 + 70 - 30 - 30, firstNode.points.balance(wallet).available());
        assertEquals(5, firstNode.points.history(wallet, null, 200).items().size(), "one transfer per key");
        fixture.assertBalanced();
    }

    @Test
    void aTimedOutHoldIsResolvedOnceWhenTillsAndExpiryJobsOnBothNodesRace() throws Exception {
        AccountId wallet = firstNode.newWallet();
        firstNode.points.earn(new IdempotencyKey("fund-" + wallet), Earn.posted(wallet, Points.of(1_000), Memo.NONE));
        List<TransferId> holds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            holds.add(firstNode.points.hold(new IdempotencyKey("hold-" + i + "-" + wallet), new Hold(wallet,
                    Points.of(100), Memo.NONE, Duration.ofMinutes(15))).transferId());
        }
        fixture.clock.advance(Duration.ofMinutes(16));
        ConcurrentLinkedQueue<TransferReceipt> resolved = new ConcurrentLinkedQueue<>();
        AtomicInteger expiredByJobs = new AtomicInteger();

        runTogether(THREADS, thread -> {
            PointsService node = nodes.get(thread % 2);
            if (thread < 4) {
                expiredByJobs.addAndGet(node.runExpiry().holdsExpired());
                return;
            }
            TransferId hold = holds.get(thread % holds.size());
            IdempotencyKey key = new IdempotencyKey("resolve-" + thread + "-" + wallet);
            try {
                resolved.add(thread % 3 == 0 ? node.release(key, new Release(hold))
                        : node.capture(key, new Capture(hold, Points.of(40))));
            } catch (KizunaException e) {
                assertTrue(e.code() == ErrorCode.PENDING_TRANSFER_RESOLVED || e.code() == ErrorCode.HOLD_EXPIRED,
                        "lost the race or came too late: " + e.code());
            }
        });

        assertEquals(holds.size(), resolved.size() + expiredByJobs.get(), "each hold resolved exactly once");
        assertTrue(resolved.stream().allMatch(receipt -> receipt.phase() == TransferPhase.VOID),
                "a timed-out hold is never captured: " + resolved);
        Balance after = firstNode.points.balance(wallet);
        assertEquals(0, after.held());
        assertEquals(1_000, after.available());
        fixture.assertBalanced();
    }

    /**
     * A till that times out and retries with the same key while its first request is still running must get the
     * first request's answer, even though the command could not run a second time: the retry waits for the
     * wallet, finds the points already spent, and must still answer the original redemption, not
     * insufficient_points.
     */
    @Test
    void aRetryRacingItsOriginalGetsTheOriginalAnswerEvenWhenTheCommandCannotRunTwice() throws Exception {
        AccountId wallet = firstNode.newWallet();
        firstNode.points.earn(new IdempotencyKey("fund-" + wallet), Earn.posted(wallet, Points.of(100), Memo.NONE));
        IdempotencyKey key = new IdempotencyKey("spend-all-" + wallet);
        ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();

        runTogether(THREADS, thread -> {
            try {
                TransferReceipt receipt = nodes.get(thread % 2).redeem(key, new Redeem(wallet, Points.of(100),
                        Memo.NONE));
                answers.add(receipt.replay() ? "replay" : "original");
            } catch (KizunaException e) {
                answers.add(e.code().code());
            }
        });

        assertEquals(1, answers.stream().filter("original"::equals).count(), "answers: " + answers);
        assertEquals(THREADS - 1, answers.stream().filter("replay"::equals).count(), "answers: " + answers);
        fixture.assertBalanced();
    }

    // --- one till: a thread sending a mix of commands to either node ----------------------------------------

    private static final class Till {
        private final AccountId wallet;
        private final int thread;
        private final ConcurrentLinkedQueue<Applied> applied;
        private final AtomicInteger refused;
        private final Random random;
        private int keys;

        Till(AccountId wallet, int thread, ConcurrentLinkedQueue<Applied> applied, AtomicInteger refused) {
            this.wallet = wallet;
            this.thread = thread;
            this.applied = applied;
            this.refused = refused;
            this.random = new Random(thread);
        }

        void work(int operations) {
            for (int i = 0; i < operations; i++) {
                int roll = random.nextInt(100);
                try {
                    if (roll < 35) {
                        long points = 1 + random.nextInt(100);
                        applied.add(new Applied(node().earn(key(), Earn.posted(wallet, Points.of(points),
                                Memo.NONE)), points, 0));
                    } else if (roll < 65) {
                        long points = 1 + random.nextInt(120);
                        applied.add(new Applied(node().redeem(key(), new Redeem(wallet, Points.of(points),
                                Memo.NONE)), -points, 0));
                    } else {
                        holdThenResolve();
                    }
                } catch (KizunaException e) {
                    if (e.code() != ErrorCode.INSUFFICIENT_POINTS) {
                        throw e;
                    }
                    refused.incrementAndGet();
                }
            }
        }

        /** A hold on one node, captured (all or part) or released on whichever node the next request reaches. */
        private void holdThenResolve() {
            long held = 1 + random.nextInt(120);
            TransferReceipt hold = node().hold(key(), new Hold(wallet, Points.of(held), Memo.NONE,
                    Duration.ofMinutes(15)));
            applied.add(new Applied(hold, -held, held));
            int roll = random.nextInt(3);
            if (roll == 0) {
                applied.add(new Applied(node().release(key(), new Release(hold.transferId())), held, -held));
            } else {
                long captured = roll == 1 ? held : 1 + random.nextInt((int) held);
                TransferReceipt capture = node().capture(key(), new Capture(hold.transferId(),
                        Points.of(captured)));
                applied.add(new Applied(capture, held - captured, -held));
            }
        }

        private PointsService node() {
            return nodes.get(random.nextInt(nodes.size()));
        }

        private IdempotencyKey key() {
            return new IdempotencyKey("till-" + thread + "-" + (++keys) + "-" + wallet);
        }
    }

    // --- checks and helpers ---------------------------------------------------------------------------------

    /**
     * Each command locks the wallet before it creates its transfer id, and ids are time-ordered and monotonic in
     * this JVM, so id order is the order in which the commands held the lock. Replaying the commands in that
     * order must reproduce the balance every reply showed: no reply saw a state that another command overwrote.
     */
    private static void assertRepliesFollowOneSerialOrder(List<Applied> applied) {
        List<Applied> inLockOrder = new ArrayList<>(applied);
        inLockOrder.sort(Comparator.comparing(one -> one.receipt().transferId().value()));
        long available = 0;
        long held = 0;
        for (Applied one : inLockOrder) {
            available += one.availableChange();
            held += one.heldChange();
            assertEquals(new WalletBalance(available, 0, held), one.receipt().balance(),
                    "the reply to " + one.receipt() + " does not follow from the replies before it");
        }
    }

    private static long sum(Collection<Applied> applied, TransferCode code, TransferPhase phase) {
        return applied.stream()
                .map(Applied::receipt)
                .filter(receipt -> receipt.code() == code && receipt.phase() == phase)
                .mapToLong(TransferReceipt::points)
                .sum();
    }

    private interface ThreadWork {
        void run(int thread) throws Exception;
    }

    /** Starts every thread at the same moment and fails if any of them failed. */
    private static void runTogether(int threads, ThreadWork work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int thread = 0; thread < threads; thread++) {
                int id = thread;
                running.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    work.run(id);
                    return null;
                }));
            }
            ready.await();
            go.countDown();
            for (Future<?> one : running) {
                one.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
