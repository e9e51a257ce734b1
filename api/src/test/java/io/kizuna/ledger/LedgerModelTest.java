package io.kizuna.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.LedgerModel.Adjust;
import io.kizuna.ledger.LedgerModel.Capture;
import io.kizuna.ledger.LedgerModel.Command;
import io.kizuna.ledger.LedgerModel.Earn;
import io.kizuna.ledger.LedgerModel.ExpiryOutcome;
import io.kizuna.ledger.LedgerModel.Hold;
import io.kizuna.ledger.LedgerModel.Outcome;
import io.kizuna.ledger.LedgerModel.Redeem;
import io.kizuna.ledger.LedgerModel.Release;
import io.kizuna.ledger.LedgerModel.Reverse;
import io.kizuna.ledger.LedgerModel.Transfer;
import io.kizuna.web.IdempotencyKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based testing (as TigerBeetle does): thousands of random commands, clock moves and expiry runs go
 * to the real ledger and to {@link LedgerModel}; after every step the replies, every wallet's balance, the lots
 * and the audit must agree. A failure names its seed: {@code -Dkizuna.seed=<seed>} replays it step for step.
 */
class LedgerModelTest {
    private static final long FIXED_SEED = 20260115L;
    /** Steps per seed; the audit after every step grows with the ledger, so longer runs are for soak tests. */
    private static final int STEPS = Integer.getInteger("kizuna.model.steps", 1000);
    private static final int WALLETS = 4;
    private static final Memo ADJUSTMENT_MEMO = new Memo(null, "model test", "test:model");

    /** The seed from {@code -Dkizuna.seed} alone, or else a fixed seed and a new random one. */
    static LongStream seeds() {
        String chosen = System.getProperty("kizuna.seed");
        if (chosen != null && !chosen.isBlank()) {
            return LongStream.of(Long.parseLong(chosen.strip()));
        }
        return LongStream.of(FIXED_SEED, new Random().nextLong());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLedgerAgreesWithItsModelAfterEveryStep(long seed) {
        System.out.println("LedgerModelTest: seed " + seed + " (replay with -Dkizuna.seed=" + seed + ")");
        long started = System.nanoTime();
        try (LedgerFixture fixture = new LedgerFixture("model"); LedgerNode node = LedgerNode.onFixturePool(fixture)) {
            new Simulation(seed, fixture, node).run(STEPS);
        }
        System.out.printf("LedgerModelTest: seed %d passed %d steps in %d ms%n", seed, STEPS,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** What the real ledger answered: a receipt or an error code. */
    private record Answer(TransferReceipt receipt, ErrorCode error) {
    }

    /** One lot: the transfer that created it (model id, -1 if unknown), when it expires, what is left. */
    private record LotState(int createdBy, Instant expiresAt, long remaining) {
    }

    /** A command as sent under its idempotency key, kept so that later steps can replay or reuse the key. */
    private record Request(String key, Command command) {
    }

    /** One seeded run: the random choices, the real ledger, the model, and the ids that connect them. */
    private static final class Simulation {
        private final long seed;
        private final Random random;
        private final LedgerFixture fixture;
        private final LedgerNode node;
        private final LedgerModel model = new LedgerModel();
        private final List<AccountId> wallets = new ArrayList<>();
        private final Map<Integer, TransferId> realIds = new HashMap<>();
        private final Map<TransferId, Integer> modelIds = new HashMap<>();
        private final List<Request> sent = new ArrayList<>();
        private final Deque<String> recentSteps = new ArrayDeque<>();
        /** How often each kind of reply came up, printed at the end to show what a seed covered. */
        private final Map<String, Integer> exercised = new TreeMap<>();
        private final TransferId unknownTransfer;
        private int step;
        private int keys;
        private int pendingSerial;

        Simulation(long seed, LedgerFixture fixture, LedgerNode node) {
            this.seed = seed;
            this.random = new Random(seed);
            this.fixture = fixture;
            this.node = node;
            this.unknownTransfer = new TransferId(new UUID(random.nextLong(), random.nextLong()));
            for (int i = 0; i < WALLETS; i++) {
                wallets.add(node.newWallet());
                model.addWallet();
            }
        }

        void run(int steps) {
            for (step = 1; step <= steps; step++) {
                try {
                    takeOneStep();
                    checkEverything();
                } catch (RuntimeException failure) {
                    throw new AssertionError(describe("threw " + failure), failure);
                }
            }
            System.out.println("LedgerModelTest: seed " + seed + " exercised " + exercised + ", ending at "
                    + fixture.clock.instant());
        }

        private void takeOneStep() {
            int roll = random.nextInt(100);
            if (roll < 80) {
                submit(nextKey(), randomCommand());
            } else if (roll < 86 && !sent.isEmpty()) {
                Request earlier = sent.get(random.nextInt(sent.size()));
                submit(earlier.key(), earlier.command());
            } else if (roll < 90 && !sent.isEmpty()) {
                submit(sent.get(random.nextInt(sent.size())).key(), randomCommand());
            } else if (roll < 96) {
                advanceClock();
            } else {
                runExpiry();
            }
        }

        // --- sending commands to both ---------------------------------------------------------------------

        private void submit(String key, Command command) {
            note("submit " + key + " " + command);
            int transfersBefore = model.transfers().size();
            Outcome expected = model.submit(key, command, fixture.clock.instant());
            Answer actual = send(new IdempotencyKey(key), command);
            sent.add(new Request(key, command));
            exercised.merge(command.getClass().getSimpleName() + " " + (expected.error() != null
                    ? expected.error() : expected.replay() ? "replay" : "ok"), 1, Integer::sum);
            if (expected.error() != null) {
                assertNull(actual.receipt(), context("expected " + expected.error() + " but got " + actual.receipt()));
                assertEquals(expected.error(), actual.error(), context("error code"));
                return;
            }
            assertNotNull(actual.receipt(), context("expected " + expected.receipt() + " but got " + actual.error()));
            compareReceipt(expected, actual.receipt());
            // A debit first expires the wallet's due lots: learn the id of that expiry transfer too.
            model.transfers().subList(transfersBefore, model.transfers().size()).stream()
                    .filter(transfer -> transfer.code == TransferCode.EXPIRY)
                    .forEach(this::findWrittenByExpiry);
        }

        private Answer send(IdempotencyKey key, Command command) {
            PointsService points = node.points;
            try {
                return new Answer(switch (command) {
                    case Earn earn -> points.earn(key, new Commands.Earn(wallets.get(earn.wallet()),
                            Points.of(earn.points()), Memo.NONE, earn.window()));
                    case Redeem redeem -> points.redeem(key, new Commands.Redeem(wallets.get(redeem.wallet()),
                            Points.of(redeem.points()), Memo.NONE));
                    case Hold hold -> points.hold(key, new Commands.Hold(wallets.get(hold.wallet()),
                            Points.of(hold.points()), Memo.NONE, hold.timeout()));
                    case Capture capture -> points.capture(key, new Commands.Capture(realId(capture.pending()),
                            capture.points() == null ? null : Points.of(capture.points())));
                    case Release release -> points.release(key, new Commands.Release(realId(release.pending())));
                    case Reverse reverse -> points.reverse(key, new Commands.Reverse(realId(reverse.original()),
                            reverse.points() == null ? null : Points.of(reverse.points()), Memo.NONE));
                    case Adjust adjust -> points.adjust(key, new Commands.Adjust(wallets.get(adjust.wallet()),
                            adjust.points(), ADJUSTMENT_MEMO));
                }, null);
            } catch (KizunaException refused) {
                return new Answer(null, refused.code());
            }
        }

        private void compareReceipt(Outcome expected, TransferReceipt actual) {
            LedgerModel.Receipt receipt = expected.receipt();
            assertEquals(expected.replay(), actual.replay(), context("replay flag of " + actual));
            if (expected.replay()) {
                assertEquals(realIds.get(receipt.transfer()), actual.transferId(), context("replayed transfer id"));
            } else {
                learnId(receipt.transfer(), actual.transferId());
            }
            assertEquals(receipt.code(), actual.code(), context("code of " + actual));
            assertEquals(receipt.phase(), actual.phase(), context("phase of " + actual));
            assertEquals(receipt.points(), actual.points(), context("points of " + actual));
            assertEquals(wallets.get(receipt.wallet()), actual.wallet(), context("wallet of " + actual));
            assertEquals(receipt.balance(), actual.balance(), context("balance in the receipt " + actual));
        }

        private void learnId(int modelId, TransferId realId) {
            assertNull(modelIds.put(realId, modelId), context("transfer id " + realId + " given out twice"));
            realIds.put(modelId, realId);
        }

        private TransferId realId(int modelId) {
            return modelId == LedgerModel.NO_SUCH_TRANSFER ? unknownTransfer : realIds.get(modelId);
        }

        // --- time ---------------------------------------------------------------------------------------------

        private void advanceClock() {
            int roll = random.nextInt(100);
            Duration by = roll < 40 ? Duration.ofMinutes(1 + random.nextInt(90))
                    : roll < 65 ? Duration.ofHours(1 + random.nextInt(48))
                    : roll < 85 ? Duration.ofDays(1 + random.nextInt(40))
                    : Duration.ofDays(30L * (1 + random.nextInt(4)));
            note("advance the clock by " + by + " to " + fixture.clock.instant().plus(by));
            fixture.clock.advance(by);
        }

        private void runExpiry() {
            note("run expiry at " + fixture.clock.instant());
            ExpiryOutcome expected = model.runExpiry(fixture.clock.instant());
            ExpiryRun actual = node.points.runExpiry();
            assertEquals(new ExpiryRun(expected.pendingPosted(), expected.holdsExpired(), expected.walletsExpired(),
                    expected.pointsExpired()), actual, context("expiry run"));
            expected.written().forEach(this::findWrittenByExpiry);
            exercised.merge("expiry: pending earns posted", expected.pendingPosted(), Integer::sum);
            exercised.merge("expiry: holds expired", expected.holdsExpired(), Integer::sum);
            exercised.merge("expiry: wallets with lots expired", expected.walletsExpired(), Integer::sum);
        }

        /** Expiry reports counts, not ids: look the transfers it wrote up, so that later steps can name them. */
        private void findWrittenByExpiry(Transfer transfer) {
            String sql = transfer.code == TransferCode.EXPIRY
                    ? "SELECT id FROM transfer WHERE code = 'EXPIRY' AND debit_account_id = ? ORDER BY id DESC LIMIT 1"
                    : "SELECT id FROM transfer WHERE pending_id = ?";
            byte[] parameter = UuidConverter.toBytes(transfer.code == TransferCode.EXPIRY
                    ? wallets.get(transfer.wallet).value() : realIds.get(transfer.resolves).value());
            byte[] id = node.transactions.inTransaction(em -> (byte[]) em.createNativeQuery(sql)
                    .setParameter(1, parameter)
                    .getSingleResult());
            learnId(transfer.id, new TransferId(UuidConverter.fromBytes(id)));
        }

        // --- checks after every step ----------------------------------------------------------------------

        private void checkEverything() {
            for (int wallet = 0; wallet < WALLETS; wallet++) {
                if (model.balanceOf(wallet).available() < 0) {
                    exercised.merge("wallet-steps in debt", 1, Integer::sum);
                }
                Balance actual = node.points.balance(wallets.get(wallet));
                WalletBalance expected = model.balanceOf(wallet);
                List<Balance.ExpiringPoints> expiring = model.expiringByMonth(wallet).entrySet().stream()
                        .map(entry -> new Balance.ExpiringPoints(entry.getKey(), entry.getValue()))
                        .toList();
                assertEquals(new Balance(wallets.get(wallet), expected.available(), expected.pending(),
                        expected.held(), expiring), actual, context("balance of wallet " + wallet));
            }
            checkLots();
            checkAudit();
        }

        /** Lots of one expiry month look alike in a balance; compare each lot so that a mix-up shows at once. */
        private void checkLots() {
            List<LotState> actual = node.transactions.inTransaction(em -> em.createQuery(
                            "SELECT l FROM LotEntity l", LotEntity.class).getResultList()).stream()
                    .map(lot -> new LotState(modelIds.getOrDefault(lot.transferId(), -1), lot.expiresAt(),
                            lot.remaining()))
                    .sorted(Comparator.comparingInt(LotState::createdBy))
                    .toList();
            List<LotState> expected = model.transfers().stream()
                    .filter(transfer -> transfer.lot != null)
                    .map(transfer -> new LotState(transfer.id, transfer.lot.expiresAt, transfer.lot.remaining))
                    .toList();
            if (!expected.equals(actual)) {
                List<LotState> missing = expected.stream().filter(lot -> !actual.contains(lot)).toList();
                List<LotState> unexpected = actual.stream().filter(lot -> !expected.contains(lot)).toList();
                fail(describe("lots differ (named by the model id of the transfer that created them): expected "
                        + missing + " but found " + unexpected));
            }
        }

        private void checkAudit() {
            AuditReport report = fixture.audit.run();
            assertTrue(report.balanced(), context("audit violations " + report.violations()));
            assertEquals(model.transfers().size(), report.transfers(), context("number of transfers"));
            LedgerModel.Totals expected = model.totals();
            AuditReport.Totals totals = report.totals();
            assertEquals(expected, new LedgerModel.Totals(totals.outstanding(), totals.pending(), totals.held(),
                    totals.issued(), totals.redeemed(), totals.expired()), context("audit totals"));
        }

        // --- random commands ----------------------------------------------------------------------------------

        private Command randomCommand() {
            int roll = random.nextInt(100);
            int wallet = random.nextInt(WALLETS);
            if (roll < 18) {
                return new Earn(wallet, earnAmount(), null);
            } else if (roll < 26) {
                return new Earn(wallet, earnAmount(), uniqueWindow(Duration.ofDays(1 + random.nextInt(20))));
            } else if (roll < 38) {
                return new Redeem(wallet, spendAmount(wallet));
            } else if (roll < 47) {
                return new Hold(wallet, spendAmount(wallet), uniqueWindow(Duration.ofMinutes(5 + random.nextInt(60))));
            } else if (roll < 57) {
                Transfer target = pickPending();
                return new Capture(idOf(target), capturePoints(target));
            } else if (roll < 63) {
                return new Release(idOf(pickPending()));
            } else if (roll < 80) {
                Transfer target = pickReversible();
                return new Reverse(idOf(target), reversePoints(target));
            } else if (roll < 90) {
                return new Adjust(wallet, random.nextBoolean() ? earnAmount() : -spendAmount(wallet));
            }
            return new Redeem(wallet, 1 + random.nextInt(50));
        }

        private long earnAmount() {
            return random.nextInt(10) == 0 ? 1000 + random.nextInt(4000) : 1 + random.nextInt(500);
        }

        /** Mostly what the wallet can spend, sometimes all of it, sometimes one point more than it has. */
        private long spendAmount(int wallet) {
            long available = model.balanceOf(wallet).available();
            int roll = random.nextInt(100);
            if (available > 0 && roll < 25) {
                return available;
            } else if (roll < 40) {
                return Math.max(1, available + 1);
            } else if (available > 0 && roll < 75) {
                return 1 + random.nextLong(available);
            }
            return 1 + random.nextInt(300);
        }

        /**
         * Timeouts must not tie: the expiry job resolves due transfers in timeout order, and two of one wallet's
         * with the same timeout could be resolved in either order. The clock moves in whole minutes, so a distinct
         * millisecond part keeps every timeout distinct, even when a failed command is retried later.
         */
        private Duration uniqueWindow(Duration base) {
            pendingSerial++;
            assertTrue(pendingSerial < 60_000, "too many pending transfers for distinct timeouts");
            return base.plusMillis(pendingSerial);
        }

        private Transfer pickPending() {
            List<Transfer> all = model.transfers();
            int roll = random.nextInt(100);
            List<Transfer> candidates = roll < 70 ? all.stream().filter(t -> t.open).toList()
                    : roll < 85 ? all.stream().filter(t -> t.phase == TransferPhase.PENDING && !t.open).toList()
                    : roll < 97 ? all : List.of();
            return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
        }

        private Transfer pickReversible() {
            List<Transfer> all = model.transfers();
            int roll = random.nextInt(100);
            List<Transfer> candidates = roll < 60 ? all.stream().filter(t -> t.isReversible() && t.reversible() > 0)
                    .toList()
                    : roll < 72 ? all.stream().filter(Transfer::isReversible).toList()
                    : roll < 97 ? all : List.of();
            return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
        }

        private static int idOf(Transfer transfer) {
            return transfer == null ? LedgerModel.NO_SUCH_TRANSFER : transfer.id;
        }

        private Long capturePoints(Transfer pending) {
            long amount = pending == null ? 100 : pending.amount;
            int roll = random.nextInt(100);
            return roll < 45 ? null
                    : roll < 80 ? Long.valueOf(1 + random.nextLong(amount))
                    : roll < 90 ? Long.valueOf(amount)
                    : Long.valueOf(amount + 1 + random.nextInt(10));
        }

        private Long reversePoints(Transfer original) {
            long left = original == null ? 0 : original.reversible();
            int roll = random.nextInt(100);
            return roll < 40 || left == 0 && roll < 80 ? null
                    : roll < 80 ? Long.valueOf(1 + random.nextLong(left))
                    : roll < 90 && left > 0 ? Long.valueOf(left)
                    : Long.valueOf(left + 1 + random.nextInt(10));
        }

        // --- failure messages ---------------------------------------------------------------------------------

        private String nextKey() {
            return "seed" + seed + "-" + (++keys);
        }

        private void note(String description) {
            recentSteps.addLast("step " + step + ": " + description);
            if (recentSteps.size() > 12) {
                recentSteps.removeFirst();
            }
        }

        private Supplier<String> context(String what) {
            return () -> describe(what);
        }

        private String describe(String what) {
            return "[seed " + seed + ", step " + step + ", replay with -Dkizuna.seed=" + seed + "] " + what
                    + "\n  recent steps:\n    " + String.join("\n    ", recentSteps);
        }
    }
}
