package io.kizuna.webhook;

import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.EventLog;
import io.kizuna.feed.EventType;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Jdbc;
import io.kizuna.persistence.Transactions;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import jakarta.persistence.EntityManager;

/**
 * Webhook subscriptions as staff manage them: create (with a new signing secret), list, read with the delivery
 * state, delete, and the dead-letter list with its replay. Every change lands in the audit log in the same
 * database transaction.
 */
public final class WebhookSubscriptions {
    private static final int MAX_URL_LENGTH = 2000;
    private static final int MAX_DEAD_LETTERS = 1000;

    private final DataSource dataSource;
    private final Transactions transactions;
    private final AuditLog auditLog;
    private final Clock clock;

    public WebhookSubscriptions(DataSource dataSource, Transactions transactions, AuditLog auditLog, Clock clock) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** A new subscription: where to POST, which event types (none: all), and the position to start after. */
    public record Create(String url, List<String> eventTypes, Long from) {
    }

    static String cursorName(UUID subscription) {
        return "webhook:" + subscription;
    }

    public WebhookViews.Created create(Caller caller, Create command) {
        String url = validUrl(command.url());
        List<String> types = validTypes(command.eventTypes());
        if (command.from() != null && command.from() < 0) {
            throw KizunaException.invalid("from is a feed position: 0 or more.");
        }
        UUID id = Ids.next();
        String secret = WebhookSignature.newSecret();
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        transactions.inTransaction(em -> {
            long end = ((Number) em.createNativeQuery("SELECT COALESCE(MAX(position), 0) FROM outbox_event")
                    .getSingleResult()).longValue();
            // Without "from" it receives what happens from now on; events not yet positioned will come after end.
            long start = command.from() == null ? end : command.from();
            if (start > end) {
                throw KizunaException.invalid("from is past the end of the feed (" + end + ").");
            }
            em.createNativeQuery("INSERT INTO webhook_subscription (id, url, event_types, secret, created_at,"
                            + " consecutive_failures, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?)")
                    .setParameter(1, UuidConverter.toBytes(id))
                    .setParameter(2, url)
                    .setParameter(3, String.join(",", types))
                    .setParameter(4, secret)
                    .setParameter(5, now)
                    .setParameter(6, now)
                    .executeUpdate();
            em.createNativeQuery("INSERT INTO feed_cursor (name, position, updated_at) VALUES (?, ?, ?)")
                    .setParameter(1, cursorName(id))
                    .setParameter(2, start)
                    .setParameter(3, now)
                    .executeUpdate();
            auditLog.record(em, caller.action("webhook.create", id.toString(),
                    "types=" + (types.isEmpty() ? "all" : String.join(",", types)) + " from=" + start));
            return null;
        });
        return new WebhookViews.Created(get(id), secret);
    }

    public List<WebhookViews.Subscription> list() {
        return Jdbc.inTransaction(dataSource, connection -> select(connection, null));
    }

    public WebhookViews.Subscription get(UUID id) {
        return Jdbc.inTransaction(dataSource, connection -> select(connection, id)).stream().findFirst()
                .orElseThrow(() -> notFound(id));
    }

    /** Deletes the subscription, its cursor and its dead letters; waits for a delivery in progress to finish. */
    public void delete(Caller caller, UUID id) {
        transactions.inTransaction(em -> {
            int deleted = em.createNativeQuery("DELETE FROM webhook_subscription WHERE id = ?")
                    .setParameter(1, UuidConverter.toBytes(id))
                    .executeUpdate();
            if (deleted == 0) {
                throw notFound(id);
            }
            em.createNativeQuery("DELETE FROM feed_cursor WHERE name = ?")
                    .setParameter(1, cursorName(id))
                    .executeUpdate();
            em.createNativeQuery("DELETE FROM webhook_dead_letter WHERE subscription_id = ?")
                    .setParameter(1, UuidConverter.toBytes(id))
                    .executeUpdate();
            auditLog.record(em, caller.action("webhook.delete", id.toString(), null));
            return null;
        });
    }

    /** Up to {@code limit} dead letters after feed position {@code after}, in feed order. */
    public List<WebhookViews.DeadLetter> deadLetters(UUID id, long after, int limit) {
        if (limit < 1 || limit > MAX_DEAD_LETTERS) {
            throw KizunaException.invalid("limit must be 1 to " + MAX_DEAD_LETTERS + ".");
        }
        return Jdbc.inTransaction(dataSource, connection -> {
            if (select(connection, id).isEmpty()) {
                throw notFound(id);
            }
            return deadLetters(connection, id, after, limit);
        });
    }

    /**
     * Marks dead letters for the delivery job to send again: the given ones, or all when {@code ids} is null. An
     * id that is not on this subscription's list refuses the whole request.
     */
    public WebhookViews.ReplayRequested replay(Caller caller, UUID id, List<UUID> ids) {
        if (ids != null && (ids.isEmpty() || ids.size() > MAX_DEAD_LETTERS || ids.contains(null))) {
            throw KizunaException.invalid("ids lists 1 to " + MAX_DEAD_LETTERS + " dead-letter ids; leave it out"
                    + " to replay them all.");
        }
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return transactions.inTransaction(em -> {
            requireExists(em, id);
            int requested = ids == null ? markAll(em, id, now) : markSome(em, id, Set.copyOf(ids), now);
            auditLog.record(em, caller.action("webhook.replay", id.toString(),
                    (ids == null ? "all" : "some") + " dead letters: " + requested));
            return new WebhookViews.ReplayRequested(requested);
        });
    }

    private static int markAll(EntityManager em, UUID id, LocalDateTime now) {
        return em.createNativeQuery("UPDATE webhook_dead_letter SET replay_requested_at = ?"
                        + " WHERE subscription_id = ? AND replay_requested_at IS NULL")
                .setParameter(1, now)
                .setParameter(2, UuidConverter.toBytes(id))
                .executeUpdate();
    }

    private static int markSome(EntityManager em, UUID id, Set<UUID> ids, LocalDateTime now) {
        int marked = 0;
        for (UUID deadLetter : ids) {
            Number found = (Number) em.createNativeQuery("SELECT COUNT(*) FROM webhook_dead_letter"
                            + " WHERE id = ? AND subscription_id = ?")
                    .setParameter(1, UuidConverter.toBytes(deadLetter))
                    .setParameter(2, UuidConverter.toBytes(id))
                    .getSingleResult();
            if (found.longValue() == 0) {
                // Throwing rolls back the marks made so far: a bad list changes nothing.
                throw KizunaException.invalid("This subscription has no dead letter " + deadLetter + ".");
            }
            marked += em.createNativeQuery("UPDATE webhook_dead_letter SET replay_requested_at = ?"
                            + " WHERE id = ? AND replay_requested_at IS NULL")
                    .setParameter(1, now)
                    .setParameter(2, UuidConverter.toBytes(deadLetter))
                    .executeUpdate();
        }
        return marked;
    }

    private static void requireExists(EntityManager em, UUID id) {
        // Locks the subscription, so that a replay request and a delivery of dead letters do not interleave.
        List<?> found = em.createNativeQuery("SELECT id FROM webhook_subscription WHERE id = ? FOR UPDATE")
                .setParameter(1, UuidConverter.toBytes(id))
                .getResultList();
        if (found.isEmpty()) {
            throw notFound(id);
        }
    }

    static KizunaException notFound(UUID id) {
        return new KizunaException(ErrorCode.NOT_FOUND, id == null ? "No webhook subscription has this id."
                : "No webhook subscription has the id " + id + ".");
    }

    private static List<WebhookViews.Subscription> select(Connection connection, UUID id) throws SQLException {
        long end = EventLog.lastPosition(connection);
        List<WebhookViews.Subscription> subscriptions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT s.id, s.url, s.event_types, s.created_at, c.position, s.consecutive_failures,"
                        + " s.next_attempt_at, s.last_attempt_at, s.last_delivered_at, s.last_error,"
                        + " (SELECT COUNT(*) FROM webhook_dead_letter d WHERE d.subscription_id = s.id)"
                        + " FROM webhook_subscription s JOIN feed_cursor c ON c.name = CONCAT('webhook:', ?)"
                        + " WHERE s.id = ?")) {
            for (UUID subscription : id == null ? allIds(connection) : List.of(id)) {
                select.setString(1, subscription.toString());
                select.setBytes(2, UuidConverter.toBytes(subscription));
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        subscriptions.add(view(row, end));
                    }
                }
            }
        }
        return subscriptions;
    }

    private static List<UUID> allIds(Connection connection) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM webhook_subscription ORDER BY id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(UuidConverter.fromBytes(rows.getBytes(1)));
            }
        }
        return ids;
    }

    private static WebhookViews.Subscription view(ResultSet row, long end) throws SQLException {
        String types = row.getString(3);
        long position = row.getLong(5);
        WebhookViews.Delivery delivery = new WebhookViews.Delivery(position, Math.max(0, end - position),
                row.getInt(6), instant(row, 7), instant(row, 8), instant(row, 9), row.getString(10),
                row.getLong(11));
        return new WebhookViews.Subscription(UuidConverter.fromBytes(row.getBytes(1)), row.getString(2),
                types.isEmpty() ? List.of() : Arrays.asList(types.split(",")), instant(row, 4), delivery);
    }

    static List<WebhookViews.DeadLetter> deadLetters(Connection connection, UUID id, long after, int limit)
            throws SQLException {
        List<WebhookViews.DeadLetter> letters = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, position, event_id, type, failed_at, last_error, replay_requested_at"
                        + " FROM webhook_dead_letter WHERE subscription_id = ? AND position > ?"
                        + " ORDER BY position LIMIT ?")) {
            select.setBytes(1, UuidConverter.toBytes(id));
            select.setLong(2, after);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    letters.add(new WebhookViews.DeadLetter(UuidConverter.fromBytes(rows.getBytes(1)),
                            rows.getLong(2), UuidConverter.fromBytes(rows.getBytes(3)), rows.getString(4),
                            instant(rows, 5), rows.getString(6), instant(rows, 7)));
                }
            }
        }
        return letters;
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        LocalDateTime value = row.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static String validUrl(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_URL_LENGTH) {
            throw KizunaException.invalid("url is an absolute http or https URL of at most " + MAX_URL_LENGTH
                    + " characters.");
        }
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (url.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null
                    && url.getRawUserInfo() == null && url.getRawFragment() == null) {
                return text;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw KizunaException.invalid("url must be an absolute http or https URL with a host, without user"
                + " information or fragment.");
    }

    private static List<String> validTypes(List<String> types) {
        if (types == null) {
            return List.of();
        }
        Set<String> valid = new LinkedHashSet<>();
        for (String type : types) {
            try {
                valid.add(EventType.ofWireName(type).wireName());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw KizunaException.invalid("eventTypes holds an unknown event type; known types are "
                        + Arrays.stream(EventType.values()).map(EventType::wireName).toList() + ".");
            }
        }
        return List.copyOf(valid);
    }
}
