package io.kizuna.campaign;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.Memo;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Jdbc;
import io.kizuna.persistence.Transactions;
import io.kizuna.segment.Segments;
import io.kizuna.segment.SqlCondition;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import jakarta.persistence.EntityManager;

/**
 * Campaign definitions, their lifecycle and their audience. Activation funds the campaign's ledger account from
 * issuance and assigns the audience in one set-based INSERT ... SELECT; the arm a member first gets is kept.
 * Ending returns the unspent budget to issuance. Every change lands in the audit log.
 */
public final class Campaigns {
    private static final String SYSTEM_ACTOR = "system:campaign-schedule";
    private static final String COLUMNS = "id, code, name, state, audience, starts_at, ends_at, reward, budget,"
            + " member_cap, priority, holdout, account_id, created_at, updated_at, requires_entry";

    private final DataSource dataSource;
    private final Transactions transactions;
    private final Ledger ledger;
    private final Segments segments;
    private final AuditLog auditLog;
    private final ObjectMapper json;
    private final Clock clock;

    public Campaigns(DataSource dataSource, Transactions transactions, Ledger ledger, Segments segments,
                     AuditLog auditLog, ObjectMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.ledger = ledger;
        this.segments = segments;
        this.auditLog = auditLog;
        this.json = json;
        this.clock = clock;
    }

    /** A campaign as the API shows it, with how many members each arm has and what it has awarded so far. */
    public record Campaign(UUID id, String code, String name, CampaignState state, List<UUID> audience,
                           Instant startsAt, Instant endsAt, Reward reward, boolean requiresEntry,
                           long budget, Long memberCap,
                           int priority, BigDecimal holdout, Long budgetLeft, Group treatment, Group control,
                           Instant createdAt, Instant updatedAt) {
        /** One arm: its members and the campaign points they were awarded. */
        public record Group(long members, long pointsAwarded) {
        }
    }

    /** A requested state change. */
    public record Transition(CampaignState to) {
        public Transition {
            if (to == null) {
                throw KizunaException.invalid("to is one of " + java.util.Arrays.toString(CampaignState.values())
                        + ".");
            }
        }
    }

    public Campaign create(Caller caller, CampaignDefinition definition) {
        UUID id = Ids.next();
        transactions.inTransaction(em -> {
            check(em, id, definition);
            LocalDateTime now = utc(clock.instant());
            em.createNativeQuery("INSERT INTO campaign (id, code, name, state, audience, starts_at, ends_at, reward,"
                            + " budget, member_cap, priority, holdout, created_at, updated_at, requires_entry)"
                            + " VALUES (?, ?, ?, 'DRAFT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .setParameter(1, UuidConverter.toBytes(id))
                    .setParameter(2, definition.code())
                    .setParameter(3, definition.name())
                    .setParameter(4, write(definition.audience()))
                    .setParameter(5, utc(definition.startsAt()))
                    .setParameter(6, utc(definition.endsAt()))
                    .setParameter(7, write(definition.reward()))
                    .setParameter(8, definition.budget())
                    .setParameter(9, definition.memberCap())
                    .setParameter(10, definition.priority())
                    .setParameter(11, definition.holdout())
                    .setParameter(12, now)
                    .setParameter(13, now)
                    .setParameter(14, definition.requiresEntry())
                    .executeUpdate();
            auditLog.record(em, caller.action("campaign.create", id.toString(), "code=" + definition.code()));
            return null;
        });
        return get(id);
    }

    /** Replaces a draft's definition; a campaign past its draft is not edited any more. */
    public Campaign replace(Caller caller, UUID id, CampaignDefinition definition) {
        transactions.inTransaction(em -> {
            CampaignState state = lockState(em, id);
            if (state != CampaignState.DRAFT) {
                throw new KizunaException(ErrorCode.CAMPAIGN_CONFLICT,
                        "Campaign " + id + " is " + state + "; only a draft can be edited.");
            }
            check(em, id, definition);
            em.createNativeQuery("UPDATE campaign SET code = ?, name = ?, audience = ?, starts_at = ?, ends_at = ?,"
                            + " reward = ?, budget = ?, member_cap = ?, priority = ?, holdout = ?, updated_at = ?,"
                            + " requires_entry = ? WHERE id = ?")
                    .setParameter(1, definition.code())
                    .setParameter(2, definition.name())
                    .setParameter(3, write(definition.audience()))
                    .setParameter(4, utc(definition.startsAt()))
                    .setParameter(5, utc(definition.endsAt()))
                    .setParameter(6, write(definition.reward()))
                    .setParameter(7, definition.budget())
                    .setParameter(8, definition.memberCap())
                    .setParameter(9, definition.priority())
                    .setParameter(10, definition.holdout())
                    .setParameter(11, utc(clock.instant()))
                    .setParameter(12, definition.requiresEntry())
                    .setParameter(13, UuidConverter.toBytes(id))
                    .executeUpdate();
            auditLog.record(em, caller.action("campaign.replace", id.toString(), "code=" + definition.code()));
            return null;
        });
        return get(id);
    }

    /** Moves a campaign along its lifecycle; anything the lifecycle does not allow is a 409. */
    public Campaign transition(Caller caller, UUID id, Transition transition) {
        transactions.inTransaction(em -> {
            move(em, id, transition.to());
            auditLog.record(em, caller.action("campaign.transition", id.toString(), "to=" + transition.to()));
            return null;
        });
        return get(id);
    }

    public List<Campaign> list() {
        return Jdbc.inTransaction(dataSource, connection -> select(connection, null));
    }

    public Campaign get(UUID id) {
        List<Campaign> found = Jdbc.inTransaction(dataSource, connection -> select(connection, id));
        if (found.isEmpty()) {
            throw notFound(id);
        }
        return found.getFirst();
    }

    /**
     * The scheduled work: activates scheduled campaigns whose window has begun, ends those whose window is over,
     * and assigns members who newly qualify for active ones. Each campaign in a transaction of its own.
     */
    public String runSchedule() {
        Instant now = clock.instant();
        int activated = 0;
        int ended = 0;
        long assigned = 0;
        for (UUID id : ids("state = 'SCHEDULED' AND starts_at <= ?", now)) {
            activated += system(id, CampaignState.SCHEDULED, CampaignState.ACTIVE);
        }
        for (UUID id : ids("state IN ('ACTIVE', 'PAUSED') AND ends_at <= ?", now)) {
            ended += system(id, null, CampaignState.ENDED);
        }
        for (UUID id : ids("state = 'ACTIVE' AND ends_at > ?", now)) {
            assigned += transactions.inTransaction(em -> lockState(em, id) == CampaignState.ACTIVE ? assign(em, id)
                    : 0L);
        }
        // Returns after the end give campaign points back to the campaign's account: they go on to issuance.
        long swept = 0;
        for (UUID id : ids("state = 'ENDED' AND updated_at <= ? AND account_id IN"
                + " (SELECT a.id FROM account a WHERE a.kind = 'CAMPAIGN' AND a.posted - a.pending_debits > 0)", now)) {
            swept += transactions.inTransaction(em -> ledger.closeCampaign(em, account(em, id),
                    Memo.reference("campaign:" + id)));
        }
        return "campaigns activated " + activated + ", ended " + ended + ", members assigned " + assigned
                + ", points returned after the end " + swept;
    }

    private int system(UUID id, CampaignState from, CampaignState to) {
        return transactions.inTransaction(em -> {
            CampaignState state = lockState(em, id);
            if (from != null && state != from || !state.canBecome(to)) {
                return 0;
            }
            move(em, id, to);
            auditLog.recordSelfService(em, SYSTEM_ACTOR, "campaign.transition", id.toString(), "to=" + to);
            return 1;
        });
    }

    private void move(EntityManager em, UUID id, CampaignState to) {
        CampaignState state = lockState(em, id);
        if (!state.canBecome(to)) {
            throw new KizunaException(ErrorCode.CAMPAIGN_CONFLICT,
                    "Campaign " + id + " is " + state + " and cannot become " + to + ".");
        }
        Memo memo = Memo.reference("campaign:" + id);
        if (state == CampaignState.SCHEDULED && to == CampaignState.ACTIVE) {
            long budget = ((Number) em.createNativeQuery("SELECT budget FROM campaign WHERE id = ?")
                    .setParameter(1, UuidConverter.toBytes(id)).getSingleResult()).longValue();
            AccountId account = ledger.openCampaign(em, budget, memo);
            em.createNativeQuery("UPDATE campaign SET account_id = ? WHERE id = ?")
                    .setParameter(1, UuidConverter.toBytes(account.value()))
                    .setParameter(2, UuidConverter.toBytes(id))
                    .executeUpdate();
            assign(em, id);
        }
        if (to == CampaignState.ENDED) {
            ledger.closeCampaign(em, account(em, id), memo);
        }
        em.createNativeQuery("UPDATE campaign SET state = ?, updated_at = ? WHERE id = ?")
                .setParameter(1, to.name())
                .setParameter(2, utc(clock.instant()))
                .setParameter(3, UuidConverter.toBytes(id))
                .executeUpdate();
    }

    /**
     * Gives every audience member without a row one, in one INSERT ... SELECT over the segments' member queries;
     * the arm is the hash of campaign and member against the holdout share, and a member keeps the arm first
     * recorded (INSERT IGNORE). Answers how many members were added.
     */
    private long assign(EntityManager em, UUID id) {
        Object[] row = (Object[]) em.createNativeQuery("SELECT audience, holdout FROM campaign WHERE id = ?")
                .setParameter(1, UuidConverter.toBytes(id)).getSingleResult();
        List<UUID> audience = readAudience((String) row[0]);
        BigDecimal holdout = (BigDecimal) row[1];
        List<String> queries = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (UUID segment : audience) {
            SqlCondition members = segments.memberIdsSql(segment);
            queries.add(members.sql());
            parameters.addAll(members.parameters());
        }
        var insert = em.createNativeQuery("INSERT IGNORE INTO campaign_member (campaign_id, member_id, arm,"
                + " assigned_at, points_awarded) SELECT ?, x.id, CASE WHEN " + Arms.CONTROL_SQL
                + " THEN 'CONTROL' ELSE 'TREATMENT' END, ?, 0 FROM (" + String.join(" UNION ", queries) + ") x"
                // Members who have their row are left out before the insert, so a refresh neither rewrites nor
                // locks the rows that sales are updating.
                + " WHERE NOT EXISTS (SELECT 1 FROM campaign_member cm WHERE cm.campaign_id = ?"
                + " AND cm.member_id = x.id)");
        byte[] campaign = UuidConverter.toBytes(id);
        int position = 1;
        insert.setParameter(position++, campaign);
        insert.setParameter(position++, campaign);
        insert.setParameter(position++, Arms.threshold(holdout));
        insert.setParameter(position++, utc(clock.instant()));
        for (Object parameter : parameters) {
            insert.setParameter(position++, parameter);
        }
        insert.setParameter(position, campaign);
        return insert.executeUpdate();
    }

    /** Checks what the database must agree with: the segments exist, and no live campaign runs at the same spot. */
    private void check(EntityManager em, UUID id, CampaignDefinition definition) {
        for (UUID segment : definition.audience()) {
            long found = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM segment WHERE id = ?")
                    .setParameter(1, UuidConverter.toBytes(segment)).getSingleResult()).longValue();
            if (found == 0) {
                throw new KizunaException(ErrorCode.NOT_FOUND, "There is no segment " + segment + ".");
            }
        }
        long sameCode = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM campaign WHERE code = ? AND id <> ?")
                .setParameter(1, definition.code())
                .setParameter(2, UuidConverter.toBytes(id)).getSingleResult()).longValue();
        if (sameCode > 0) {
            throw new KizunaException(ErrorCode.ALREADY_EXISTS, "A campaign has the code " + definition.code() + ".");
        }
        // Stacking priority orders the campaign rules of a sale: two live campaigns at the same priority whose
        // windows overlap would leave that order to chance.
        long overlapping = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM campaign WHERE id <> ?"
                        + " AND state <> 'ENDED' AND priority = ? AND starts_at < ? AND ends_at > ?")
                .setParameter(1, UuidConverter.toBytes(id))
                .setParameter(2, definition.priority())
                .setParameter(3, utc(definition.endsAt()))
                .setParameter(4, utc(definition.startsAt()))
                .getSingleResult()).longValue();
        if (overlapping > 0) {
            throw new KizunaException(ErrorCode.CAMPAIGN_CONFLICT, "Another campaign at priority "
                    + definition.priority() + " overlaps this window; give one of them another priority.");
        }
    }

    private static CampaignState lockState(EntityManager em, UUID id) {
        List<?> found = em.createNativeQuery("SELECT state FROM campaign WHERE id = ? FOR UPDATE")
                .setParameter(1, UuidConverter.toBytes(id)).getResultList();
        if (found.isEmpty()) {
            throw notFound(id);
        }
        return CampaignState.valueOf((String) found.getFirst());
    }

    private static AccountId account(EntityManager em, UUID id) {
        byte[] account = (byte[]) em.createNativeQuery("SELECT account_id FROM campaign WHERE id = ?")
                .setParameter(1, UuidConverter.toBytes(id)).getSingleResult();
        return new AccountId(UuidConverter.fromBytes(account));
    }

    private List<UUID> ids(String condition, Instant now) {
        return Jdbc.inTransaction(dataSource, connection -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM campaign WHERE " + condition + " ORDER BY id")) {
                select.setObject(1, utc(now));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(UuidConverter.fromBytes(rows.getBytes(1)));
                    }
                }
            }
            return ids;
        });
    }

    private List<Campaign> select(Connection connection, UUID id) throws SQLException {
        List<Campaign> campaigns = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM campaign"
                + (id == null ? " ORDER BY priority, code" : " WHERE id = ?"))) {
            if (id != null) {
                select.setBytes(1, UuidConverter.toBytes(id));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    campaigns.add(campaign(connection, rows));
                }
            }
        }
        return campaigns;
    }

    private Campaign campaign(Connection connection, ResultSet rows) throws SQLException {
        UUID id = UuidConverter.fromBytes(rows.getBytes(1));
        byte[] account = rows.getBytes(13);
        Long budgetLeft = account == null ? null : budgetLeft(connection, account);
        Campaign.Group[] arms = arms(connection, id);
        long cap = rows.getLong(10);
        Long memberCap = rows.wasNull() ? null : cap;
        return new Campaign(id, rows.getString(2), rows.getString(3), CampaignState.valueOf(rows.getString(4)),
                readAudience(rows.getString(5)), instant(rows, 6), instant(rows, 7), readReward(rows.getString(8)),
                rows.getBoolean(16), rows.getLong(9), memberCap, rows.getInt(11), rows.getBigDecimal(12), budgetLeft,
                arms[0], arms[1], instant(rows, 14), instant(rows, 15));
    }

    private static Long budgetLeft(Connection connection, byte[] account) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT posted - pending_debits FROM account WHERE id = ?")) {
            select.setBytes(1, account);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static Campaign.Group[] arms(Connection connection, UUID id) throws SQLException {
        Campaign.Group[] arms = {new Campaign.Group(0, 0), new Campaign.Group(0, 0)};
        try (PreparedStatement select = connection.prepareStatement("SELECT arm, COUNT(*), SUM(points_awarded)"
                + " FROM campaign_member WHERE campaign_id = ? GROUP BY arm")) {
            select.setBytes(1, UuidConverter.toBytes(id));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int arm = Arms.Arm.valueOf(rows.getString(1)).ordinal();
                    arms[arm] = new Campaign.Group(rows.getLong(2), rows.getLong(3));
                }
            }
        }
        return arms;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        LocalDateTime value = rows.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A campaign could not be written as JSON", e);
        }
    }

    private List<UUID> readAudience(String value) {
        try {
            return json.readValue(value, new TypeReference<List<UUID>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored campaign audience is not readable", e);
        }
    }

    Reward readReward(String value) {
        try {
            return json.readValue(value, Reward.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored campaign reward is not readable", e);
        }
    }

    private static KizunaException notFound(UUID id) {
        return new KizunaException(ErrorCode.NOT_FOUND, "There is no campaign " + id + ".");
    }
}
