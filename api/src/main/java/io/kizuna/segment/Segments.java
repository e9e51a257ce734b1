package io.kizuna.segment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.Projections;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Jdbc;
import io.kizuna.persistence.Transactions;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import jakarta.persistence.EntityManager;

/**
 * Saved segments and their membership. Membership is never stored: each count, page or export is one set-based
 * query over the member table and the analytics projections, evaluated against today in the program's zone, and
 * says how current the projections were. Campaigns use {@link #count}, {@link #forEachMember} and
 * {@link #memberIdsSql} (for INSERT ... SELECT).
 */
public final class Segments {
    public static final int MAX_PAGE = 1_000;
    private static final int MAX_NAME = 100;
    private static final int MAX_DESCRIPTION = 500;
    private static final String MEMBER_COLUMNS = "m.id, m.status, m.enrolled_at, m.consent_marketing,"
            + " s.last_purchase_at, s.purchase_days, s.spend";

    private final DataSource dataSource;
    private final Transactions transactions;
    private final AuditLog auditLog;
    private final ObjectMapper json;
    private final ZoneId zone;
    private final Clock clock;
    private final Supplier<TierTerms> tiers;

    public Segments(DataSource dataSource, Transactions transactions, AuditLog auditLog, ObjectMapper json,
                    ZoneId zone, Clock clock, Supplier<TierTerms> tiers) {
        this.tiers = tiers;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.json = json;
        this.zone = zone;
        this.clock = clock;
    }

    /** A segment as staff save it: a unique name, an optional description and the definition. */
    public record Save(String name, String description, SegmentDefinition definition) {
        public Save {
            if (name == null || name.isBlank() || name.length() > MAX_NAME) {
                throw KizunaException.invalid("name is 1 to " + MAX_NAME + " characters.");
            }
            if (description != null && description.length() > MAX_DESCRIPTION) {
                throw KizunaException.invalid("description is at most " + MAX_DESCRIPTION + " characters.");
            }
            if (definition == null) {
                throw KizunaException.invalid("definition is required.");
            }
        }
    }

    public SegmentViews.Segment create(Caller caller, Save save) {
        UUID id = Ids.next();
        String definition = write(save.definition());
        transactions.inTransaction(em -> {
            requireFreeName(em, save.name(), id);
            LocalDateTime now = now();
            em.createNativeQuery("INSERT INTO segment (id, name, description, definition, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .setParameter(1, UuidConverter.toBytes(id))
                    .setParameter(2, save.name())
                    .setParameter(3, save.description())
                    .setParameter(4, definition)
                    .setParameter(5, now)
                    .setParameter(6, now)
                    .executeUpdate();
            auditLog.record(em, caller.action("segment.create", id.toString(), "name=" + save.name()));
            return null;
        });
        return get(id);
    }

    /** Replaces name, description and definition; the id stays. */
    public SegmentViews.Segment replace(Caller caller, UUID id, Save save) {
        String definition = write(save.definition());
        transactions.inTransaction(em -> {
            requireFreeName(em, save.name(), id);
            int updated = em.createNativeQuery("UPDATE segment SET name = ?, description = ?, definition = ?,"
                            + " updated_at = ? WHERE id = ?")
                    .setParameter(1, save.name())
                    .setParameter(2, save.description())
                    .setParameter(3, definition)
                    .setParameter(4, now())
                    .setParameter(5, UuidConverter.toBytes(id))
                    .executeUpdate();
            if (updated == 0) {
                throw notFound(id);
            }
            auditLog.record(em, caller.action("segment.replace", id.toString(), "name=" + save.name()));
            return null;
        });
        return get(id);
    }

    public void delete(Caller caller, UUID id) {
        transactions.inTransaction(em -> {
            int deleted = em.createNativeQuery("DELETE FROM segment WHERE id = ?")
                    .setParameter(1, UuidConverter.toBytes(id))
                    .executeUpdate();
            if (deleted == 0) {
                throw notFound(id);
            }
            auditLog.record(em, caller.action("segment.delete", id.toString(), null));
            return null;
        });
    }

    /** Every saved segment, by name. */
    public List<SegmentViews.Segment> list() {
        return Jdbc.inTransaction(dataSource, connection -> select(connection, null));
    }

    public SegmentViews.Segment get(UUID id) {
        return Jdbc.inTransaction(dataSource, connection -> select(connection, id)).stream().findFirst()
                .orElseThrow(() -> notFound(id));
    }

    /** How many members the saved segment has now. */
    public SegmentViews.Count count(UUID id) {
        return Jdbc.inTransaction(dataSource, connection -> count(connection, definition(connection, id)));
    }

    /** How many members a definition would have, without saving it. */
    public SegmentViews.Count preview(SegmentDefinition definition) {
        return Jdbc.inTransaction(dataSource, connection -> count(connection, definition));
    }

    /** Up to {@code limit} members with ids above {@code after} (null: from the start), in member id order. */
    public SegmentViews.MemberPage page(UUID id, UUID after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw KizunaException.invalid("limit must be 1 to " + MAX_PAGE + ".");
        }
        return Jdbc.inTransaction(dataSource, connection -> {
            SegmentDefinition definition = definition(connection, id);
            SegmentViews.AsOf asOf = asOf(connection);
            SqlCondition where = definition.condition(evaluation());
            List<Object> parameters = new ArrayList<>();
            parameters.add(UuidConverter.toBytes(after == null ? new UUID(0, 0) : after));
            parameters.addAll(where.parameters());
            parameters.add(limit + 1);
            List<SegmentViews.Member> members = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + MEMBER_COLUMNS
                    + " FROM member m LEFT JOIN member_stats s ON s.member_id = m.id"
                    + " WHERE m.status <> 'MERGED' AND m.id > ? AND " + where.sql() + " ORDER BY m.id LIMIT ?")) {
                bind(select, parameters);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        members.add(member(rows));
                    }
                }
            }
            boolean more = members.size() > limit;
            List<SegmentViews.Member> page = more ? members.subList(0, limit) : members;
            return new SegmentViews.MemberPage(List.copyOf(page), more ? page.getLast().memberId() : null, asOf);
        });
    }

    /** Receives a whole segment's members as they are read, after being told how current the projections are. */
    public interface MemberSink {
        void start(SegmentViews.AsOf asOf);

        void member(SegmentViews.Member member);
    }

    /**
     * Streams every member of the segment to {@code sink} from one query in one consistent snapshot, in member id
     * order, without holding them all in memory. A 404 comes before {@link MemberSink#start}.
     */
    public void export(UUID id, MemberSink sink) {
        Jdbc.inTransaction(dataSource, connection -> {
            SegmentDefinition definition = definition(connection, id);
            sink.start(asOf(connection));
            SqlCondition where = definition.condition(evaluation());
            stream(connection, "SELECT " + MEMBER_COLUMNS + " FROM member m"
                    + " LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.status <> 'MERGED' AND " + where.sql()
                    + " ORDER BY m.id", where.parameters(), rows -> sink.member(member(rows)));
            return null;
        });
    }

    /** Streams the ids of the segment's members, in id order: for campaigns that act on each member. */
    public void forEachMember(UUID id, Consumer<UUID> action) {
        Jdbc.inTransaction(dataSource, connection -> {
            SqlCondition members = memberIdsSql(definition(connection, id));
            stream(connection, members.sql() + " ORDER BY m.id", members.parameters(),
                    rows -> action.accept(UuidConverter.fromBytes(rows.getBytes(1))));
            return null;
        });
    }

    /** The saved segment's member query as of now: {@code SELECT m.id FROM member m WHERE ...}. */
    public SqlCondition memberIdsSql(UUID id) {
        return Jdbc.inTransaction(dataSource, connection -> memberIdsSql(definition(connection, id)));
    }

    /**
     * A definition's member query as of now, {@code SELECT m.id FROM member m WHERE ...} with its parameters, for a
     * campaign to embed, e.g. {@code INSERT INTO campaign_member (campaign_id, member_id) SELECT ?, x.id FROM (...) x}.
     */
    public SqlCondition memberIdsSql(SegmentDefinition definition) {
        SqlCondition where = definition.condition(evaluation());
        return new SqlCondition("SELECT m.id FROM member m WHERE m.status <> 'MERGED' AND " + where.sql(),
                where.parameters());
    }

    private SegmentViews.Count count(Connection connection, SegmentDefinition definition) throws SQLException {
        SegmentViews.AsOf asOf = asOf(connection);
        SqlCondition members = memberIdsSql(definition);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*) FROM (" + members.sql() + ") segment_members")) {
            bind(select, members.parameters());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new SegmentViews.Count(row.getLong(1), asOf);
            }
        }
    }

    private Evaluation evaluation() {
        return new Evaluation(clock.instant().atZone(zone).toLocalDate(), zone, tiers.get());
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** The projections' feed position and the time of the event there, read in the caller's snapshot. */
    static SegmentViews.AsOf asOf(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT c.position, e.created_at"
                + " FROM feed_cursor c LEFT JOIN outbox_event e ON e.position = c.position WHERE c.name = ?")) {
            select.setString(1, Projections.CURSOR);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new SegmentViews.AsOf(row.getLong(1), instant(row, 2))
                        : new SegmentViews.AsOf(0, null);
            }
        }
    }

    private SegmentDefinition definition(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT definition FROM segment WHERE id = ?")) {
            select.setBytes(1, UuidConverter.toBytes(id));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw notFound(id);
                }
                return read(row.getString(1));
            }
        }
    }

    private List<SegmentViews.Segment> select(Connection connection, UUID id) throws SQLException {
        List<SegmentViews.Segment> segments = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, name, description, definition,"
                + " created_at, updated_at FROM segment" + (id == null ? " ORDER BY name" : " WHERE id = ?"))) {
            if (id != null) {
                select.setBytes(1, UuidConverter.toBytes(id));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    segments.add(new SegmentViews.Segment(UuidConverter.fromBytes(rows.getBytes(1)),
                            rows.getString(2), rows.getString(3), read(rows.getString(4)), instant(rows, 5),
                            instant(rows, 6)));
                }
            }
        }
        return segments;
    }

    private static void requireFreeName(EntityManager em, String name, UUID id) {
        // The unique key settles a race between two creations; this check gives the usual case a clear answer.
        Number taken = (Number) em.createNativeQuery("SELECT COUNT(*) FROM segment WHERE name = ? AND id <> ?")
                .setParameter(1, name)
                .setParameter(2, UuidConverter.toBytes(id))
                .getSingleResult();
        if (taken.longValue() > 0) {
            throw new KizunaException(ErrorCode.ALREADY_EXISTS, "A segment with this name exists already.");
        }
    }

    static KizunaException notFound(UUID id) {
        return new KizunaException(ErrorCode.NOT_FOUND, id == null ? "No segment has this id."
                : "No segment has the id " + id + ".");
    }

    @FunctionalInterface
    private interface RowAction {
        void accept(ResultSet row) throws SQLException;
    }

    /** Reads a result row by row from the server (Connector/J streaming) rather than all of it into memory. */
    private static void stream(Connection connection, String sql, List<Object> parameters, RowAction action)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            select.setFetchSize(Integer.MIN_VALUE);
            bind(select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    action.accept(rows);
                }
            }
        }
    }

    private static SegmentViews.Member member(ResultSet row) throws SQLException {
        return new SegmentViews.Member(UuidConverter.fromBytes(row.getBytes(1)), row.getString(2), instant(row, 3),
                row.getBoolean(4), instant(row, 5), row.getObject(6, Integer.class), row.getObject(7, Long.class));
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        LocalDateTime value = row.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private String write(SegmentDefinition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A segment definition could not be written as JSON", e);
        }
    }

    private SegmentDefinition read(String definition) {
        try {
            return json.readValue(definition, SegmentDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored segment definition is not valid JSON", e);
        }
    }
}
