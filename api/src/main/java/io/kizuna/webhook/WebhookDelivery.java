package io.kizuna.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kizuna.db.UuidConverter;
import io.kizuna.feed.FeedCursors;
import io.kizuna.feed.FeedReader;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Jdbc;

/**
 * The webhook delivery job ("webhook-delivery"): for every subscription whose next attempt is due, POSTs the
 * events after its cursor, a batch at a time, in feed order. One batch is one database transaction that holds the
 * subscription's row lock while the receiver answers: another node or thread skips a locked subscription, so no
 * batch is sent twice, and the cursor moves only in the transaction that records the receiver's 2xx. A failure
 * leaves the cursor where it is (order per member is kept) and backs off; after {@code maxFailures} failures in a
 * row the batch goes to the dead-letter list and delivery moves on. Subscriptions are served in parallel (up to
 * {@code parallelism}), so that one slow receiver costs the others nothing.
 */
public final class WebhookDelivery {
    private static final System.Logger LOG = System.getLogger(WebhookDelivery.class.getName());
    private static final int MAX_DUE_PER_RUN = 1_000;
    // A receiver with a long backlog yields after this many batches, and continues on the next run.
    private static final int MAX_BATCHES_PER_SUBSCRIPTION = 50;

    private final DataSource dataSource;
    private final FeedReader reader;
    private final ObjectMapper json;
    private final WebhookConfig config;
    private final WebhookSender sender;
    private final Clock clock;

    public WebhookDelivery(DataSource dataSource, FeedReader reader, ObjectMapper json, WebhookConfig config,
                           Clock clock) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.json = json;
        this.config = config;
        this.sender = new WebhookSender(config, clock);
        this.clock = clock;
    }

    /** What one run did, in counts (it is logged: no personal data, no URLs). */
    public record Summary(int subscriptions, int delivered, int replayed, int failedAttempts, int deadLettered) {
        static final Summary NOTHING = new Summary(0, 0, 0, 0, 0);

        Summary plus(Summary other) {
            return new Summary(subscriptions + other.subscriptions, delivered + other.delivered,
                    replayed + other.replayed, failedAttempts + other.failedAttempts,
                    deadLettered + other.deadLettered);
        }
    }

    /** One batch's outcome; {@code more} says whether the subscription may have another batch ready now. */
    private record Attempt(Summary counts, boolean more) {
        static final Attempt NONE = new Attempt(Summary.NOTHING, false);
    }

    /** A locked subscription, as the delivery needs it. */
    record Target(UUID id, String url, Set<String> types, String secret, int failures) {
        boolean wants(ObjectNode event) {
            return types.isEmpty() || types.contains(event.get("type").asText());
        }
    }

    /** Delivers to every subscription that is due; callable directly (tests), or through the leased job. */
    public Summary deliverDue() {
        List<UUID> due = Jdbc.inTransaction(dataSource, connection -> due(connection, now()));
        if (due.isEmpty()) {
            return Summary.NOTHING;
        }
        Semaphore slots = new Semaphore(config.parallelism());
        List<Future<Summary>> runs = new ArrayList<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (UUID subscription : due) {
                runs.add(workers.submit(() -> {
                    slots.acquire();
                    try {
                        return deliver(subscription);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        Summary total = Summary.NOTHING;
        for (Future<Summary> run : runs) {
            total = total.plus(outcome(run));
        }
        return total;
    }

    private static Summary outcome(Future<Summary> run) {
        try {
            return run.get();
        } catch (ExecutionException e) {
            // One subscription's trouble (say, a lost database connection) must not hide the others' work.
            LOG.log(System.Logger.Level.WARNING, "A webhook delivery failed; it will be retried: "
                    + e.getCause().getClass().getName());
            return Summary.NOTHING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Summary.NOTHING;
        }
    }

    private Summary deliver(UUID subscription) {
        Summary total = Summary.NOTHING;
        boolean served = false;
        for (int batch = 0; batch < MAX_BATCHES_PER_SUBSCRIPTION; batch++) {
            Attempt attempt = Jdbc.inTransaction(dataSource, connection -> attempt(connection, subscription));
            total = total.plus(attempt.counts());
            served |= attempt != Attempt.NONE;
            if (!attempt.more()) {
                break;
            }
        }
        return served ? total.plus(new Summary(1, 0, 0, 0, 0)) : total;
    }

    private Attempt attempt(Connection connection, UUID subscription) throws SQLException {
        Instant now = now();
        Target target = lockIfDue(connection, subscription, now);
        if (target == null) {
            return Attempt.NONE; // not due, deleted, or being served by another thread or node right now
        }
        List<WebhookViews.DeadLetter> replays = DeadLetters.requested(connection, subscription, config.batchSize());
        if (!replays.isEmpty()) {
            return replay(connection, target, replays, now);
        }
        String cursor = WebhookSubscriptions.cursorName(subscription);
        long after = FeedCursors.lock(connection, cursor);
        FeedReader.Page page = reader.page(connection, after, config.batchSize());
        if (page.events().isEmpty()) {
            return Attempt.NONE;
        }
        List<ObjectNode> wanted = page.events().stream().filter(target::wants).toList();
        if (wanted.isEmpty()) {
            FeedCursors.advance(connection, cursor, page.next()); // nothing it asked for: pass over them
            return new Attempt(Summary.NOTHING, true);
        }
        // The same batch keeps its delivery id across retries, so that a receiver can tell a retry from news.
        UUID delivery = UUID.nameUUIDFromBytes((subscription + ":" + (after + 1) + "-" + page.next())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        WebhookSender.Result result = sender.post(target, delivery, body(subscription, wanted, false));
        if (result.accepted()) {
            FeedCursors.advance(connection, cursor, page.next());
            recordSuccess(connection, subscription, now);
            return new Attempt(new Summary(0, wanted.size(), 0, 0, 0), true);
        }
        int failures = target.failures() + 1;
        if (failures < config.maxFailures()) {
            recordFailure(connection, subscription, failures, now, result.error());
            return new Attempt(new Summary(0, 0, 0, 1, 0), false);
        }
        DeadLetters.add(connection, subscription, wanted, now, result.error());
        FeedCursors.advance(connection, cursor, page.next());
        // The count starts again for the next batch, which gets its own full set of attempts.
        recordFailure(connection, subscription, 0, now, result.error());
        return new Attempt(new Summary(0, 0, 0, 1, wanted.size()), false);
    }

    private Attempt replay(Connection connection, Target target, List<WebhookViews.DeadLetter> letters,
                           Instant now) throws SQLException {
        List<ObjectNode> events = new ArrayList<>();
        for (WebhookViews.DeadLetter letter : letters) {
            // Read again, so that the member's consent as it is now decides what the receiver sees.
            reader.page(connection, letter.position() - 1, 1).events().stream()
                    .filter(event -> event.get("position").asLong() == letter.position())
                    .forEach(events::add);
        }
        List<UUID> ids = letters.stream().map(WebhookViews.DeadLetter::id).toList();
        if (events.isEmpty()) {
            DeadLetters.delete(connection, ids); // their events no longer exist: nothing is left to send
            return new Attempt(Summary.NOTHING, true);
        }
        WebhookSender.Result result = sender.post(target, Ids.next(), body(target.id(), events, true));
        if (result.accepted()) {
            DeadLetters.delete(connection, ids);
            recordSuccess(connection, target.id(), now);
            return new Attempt(new Summary(0, 0, events.size(), 0, 0), true);
        }
        int failures = target.failures() + 1;
        if (failures < config.maxFailures()) {
            recordFailure(connection, target.id(), failures, now, result.error());
        } else {
            // They stay on the list, no longer marked: a replay is asked for again once the receiver is back.
            DeadLetters.cancelReplay(connection, ids, result.error());
            recordFailure(connection, target.id(), 0, now, result.error());
        }
        return new Attempt(new Summary(0, 0, 0, 1, 0), false);
    }

    private byte[] body(UUID subscription, List<ObjectNode> events, boolean replay) {
        ObjectNode body = json.createObjectNode();
        body.put("subscriptionId", subscription.toString());
        body.put("replay", replay);
        body.putArray("events").addAll(events);
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a webhook body", e);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static List<UUID> due(Connection connection, Instant now) throws SQLException {
        List<UUID> due = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM webhook_subscription"
                + " WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT " + MAX_DUE_PER_RUN)) {
            select.setObject(1, utc(now));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due.add(UuidConverter.fromBytes(rows.getBytes(1)));
                }
            }
        }
        return due;
    }

    private static Target lockIfDue(Connection connection, UUID id, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT url, event_types, secret, consecutive_failures FROM webhook_subscription"
                        + " WHERE id = ? AND next_attempt_at <= ? FOR UPDATE SKIP LOCKED")) {
            select.setBytes(1, UuidConverter.toBytes(id));
            select.setObject(2, utc(now));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                String types = row.getString(2);
                return new Target(id, row.getString(1),
                        types.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(types.split(","))),
                        row.getString(3), row.getInt(4));
            }
        }
    }

    private static void recordSuccess(Connection connection, UUID id, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_subscription SET"
                + " consecutive_failures = 0, next_attempt_at = ?, last_attempt_at = ?, last_delivered_at = ?,"
                + " last_error = NULL WHERE id = ?")) {
            update.setObject(1, utc(now));
            update.setObject(2, utc(now));
            update.setObject(3, utc(now));
            update.setBytes(4, UuidConverter.toBytes(id));
            update.executeUpdate();
        }
    }

    private void recordFailure(Connection connection, UUID id, int failures, Instant now, String error)
            throws SQLException {
        Instant next = now.plus(config.backoff(Math.max(1, failures), ThreadLocalRandom.current().nextDouble()));
        try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_subscription SET"
                + " consecutive_failures = ?, next_attempt_at = ?, last_attempt_at = ?, last_error = ? WHERE id = ?")) {
            update.setInt(1, failures);
            update.setObject(2, utc(next));
            update.setObject(3, utc(now));
            update.setString(4, error);
            update.setBytes(5, UuidConverter.toBytes(id));
            update.executeUpdate();
        }
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
