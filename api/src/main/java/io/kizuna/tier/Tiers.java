package io.kizuna.tier;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.EventType;
import io.kizuna.feed.FeedEvents;
import io.kizuna.feed.Outbox;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.segment.TierTerms;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import jakarta.persistence.EntityManager;

/**
 * Membership tiers. The checkout calls {@link #lock} before it earns (the tier's multiplier joins the earning
 * rules) and {@link #sold} after, in the sale's transaction: the member's month row grows and, the moment the window
 * reaches a higher threshold, the member moves up. Returns take qualification back ({@link #returned}); a member
 * who falls below their tier's threshold keeps it until a review after the grace period ({@link TierReview}).
 * Every change is written to the tier history and the outbox in the transaction that makes it.
 */
public final class Tiers {
    private static final int SEGMENT_PAGE = 500;

    private final Transactions transactions;
    private final Outbox outbox;
    private final AuditLog auditLog;
    private final TierConfig config;
    private final TierCalendar calendar;
    private final TierRows rows;
    private final Clock clock;
    private volatile CachedLadder cached;

    /** The tier list as last read, and when (System.nanoTime: the cache's age is real time, not program time). */
    private record CachedLadder(TierLadder ladder, long readAtNanos) {
    }

    public Tiers(Transactions transactions, Outbox outbox, AuditLog auditLog, TierConfig config, ZoneId zone,
                 ObjectMapper json, Clock clock) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.auditLog = auditLog;
        this.config = config;
        this.calendar = new TierCalendar(zone, config.windowMonths(), config.reviewIntervalMonths());
        this.rows = new TierRows(json);
        this.clock = clock;
    }

    /** What a receipt adds to (or, negative, takes from) a member's qualification. */
    public record Activity(long eligibleSpend, long points, long tierPoints, int visits) {
        Qualification asQualification() {
            return new Qualification(eligibleSpend, points, tierPoints, visits);
        }

        Activity negated() {
            return new Activity(-eligibleSpend, -points, -tierPoints, -visits);
        }
    }

    /** A member whose tier rows this transaction has locked, and the tier they hold. */
    public static final class Locked {
        final UUID memberId;
        final TierLadder ladder;
        final TierRows.Held held;

        Locked(UUID memberId, TierLadder ladder, TierRows.Held held) {
            this.memberId = memberId;
            this.ladder = ladder;
            this.held = held;
        }

        public TierDefinition tier() {
            return held.stored() ? ladder.held(held.tierCode()) : ladder.lowest();
        }
    }

    TierConfig config() {
        return config;
    }

    TierCalendar calendar() {
        return calendar;
    }

    TierRows rows() {
        return rows;
    }

    /**
     * The tiers in force: the saved list, else the configured defaults. Every sale needs them and they change
     * rarely, so a node keeps what it read for {@code kizuna.tiers.definitions-cache}.
     */
    TierLadder ladder(EntityManager em) {
        CachedLadder known = cached;
        if (known != null && System.nanoTime() - known.readAtNanos() < config.definitionsCache().toNanos()) {
            return known.ladder();
        }
        long readAt = System.nanoTime();
        List<TierDefinition> saved = rows.definitions(em);
        TierLadder ladder = saved.isEmpty() ? config.defaults() : new TierLadder(saved);
        cached = new CachedLadder(ladder, readAt);
        return ladder;
    }

    public TierLadder ladder() {
        return transactions.inTransaction(this::ladder);
    }

    /** Locks the member's tier rows for the rest of the transaction and answers the tier they hold. */
    public Locked lock(EntityManager em, UUID memberId) {
        return new Locked(memberId, ladder(em), rows.lock(em, memberId));
    }

    /** A sale of a locked member: adds it to this month and upgrades at once if a threshold is crossed. */
    public TierDefinition sold(EntityManager em, Locked member, Activity sale, String receipt) {
        Instant now = clock.instant();
        rows.addToMonth(em, member.memberId, calendar.monthOf(now), sale.asQualification());
        return settle(em, member, now, "sale " + receipt, false).tier();
    }

    /**
     * A return or void: takes {@code back} from the month of the original sale (so the window loses exactly what
     * the sale had added). A member who falls below their tier's threshold is marked; only a review moves them.
     */
    public void returned(EntityManager em, UUID memberId, Instant soldAt, Activity back, String receipt) {
        Locked member = lock(em, memberId);
        rows.addToMonth(em, memberId, calendar.monthOf(soldAt), back.negated().asQualification());
        settle(em, member, clock.instant(), "return " + receipt, false);
    }

    public Optional<String> tierName(EntityManager em, UUID memberId) {
        TierLadder ladder = ladder(em);
        return Optional.of(rows.heldCode(em, memberId).map(ladder::held).orElse(ladder.lowest()).name());
    }

    /** What {@link #settle} decided: the tier held after it, and whether it moved. */
    record Settled(TierDefinition tier, TierChange.Direction moved) {
    }

    /**
     * Brings a locked member's tier in line with their window: up at once to the best tier reached; below the
     * threshold, marked from now on; down one tier only in a review, once the grace period since the mark is over
     * (counted in days, so that a review a little after midnight is not a month late for a mark made by the last
     * one).
     */
    Settled settle(EntityManager em, Locked member, Instant now, String event, boolean review) {
        long qualification = config.metric().of(rows.since(em, member.memberId, calendar.windowStart(now)));
        TierDefinition held = member.tier();
        TierDefinition qualified = member.ladder.qualifiedFor(qualification);
        TierRows.Held before = member.held;
        Instant since = before.stored() ? before.since() : now;
        Instant reviewedAt = review ? now : before.reviewedAt();
        TierDefinition after = held;
        Instant belowSince = null;
        TierChange.Direction moved = null;
        if (qualified.rank() > held.rank()) {
            after = qualified;
            moved = TierChange.Direction.UP;
            change(em, member.memberId, new TierChange(held.code(), after.code(), moved, event + ": "
                    + describe(qualification) + " reached " + after.name() + "'s threshold of "
                    + after.threshold(), qualification, now));
        } else if (qualified.rank() < held.rank()) {
            belowSince = before.belowSince() != null ? before.belowSince() : now;
            if (review && !calendar.graceOver(belowSince, config.gracePeriod()).isAfter(now)) {
                after = member.ladder.below(held).orElseThrow();
                moved = TierChange.Direction.DOWN;
                change(em, member.memberId, new TierChange(held.code(), after.code(), moved, event + ": "
                        + describe(qualification) + " below " + held.name() + "'s threshold of " + held.threshold()
                        + " since " + belowSince + ", grace period " + config.gracePeriod() + " over; one tier down",
                        qualification, now));
                belowSince = after.rank() == qualified.rank() ? null : belowSince;
            }
        }
        since = moved == null ? since : now;
        TierRows.Held settled = new TierRows.Held(after.code(), since, belowSince, reviewedAt, true);
        if (!settled.equals(before)) {
            rows.save(em, member.memberId, settled);
        }
        return new Settled(after, moved);
    }

    private String describe(long qualification) {
        return config.metric().name().toLowerCase(Locale.ROOT) + " " + qualification + " over "
                + config.windowMonths() + " months";
    }

    private void change(EntityManager em, UUID memberId, TierChange change) {
        rows.history(em, Ids.next(), memberId, change);
        outbox.write(em, EventType.TIER_CHANGED, memberId, new FeedEvents.TierChanged(change.from(), change.to(),
                change.direction().name(), change.reason(), config.metric().name(), change.qualification(),
                change.changedAt()));
    }

    /** Where a member stands now; a member with no tier row is in the lowest tier with nothing qualified. */
    public TierStanding standing(UUID memberId) {
        return transactions.inTransaction(em -> {
            if (TierRows.rows(em, "SELECT id FROM member WHERE id = ?1", UuidConverter.toBytes(memberId)).isEmpty()) {
                throw new KizunaException(ErrorCode.MEMBER_NOT_FOUND, "No member has the id " + memberId + ".");
            }
            Instant now = clock.instant();
            List<TierStanding.Facts> facts = rows.facts(em, config.metric(), calendar.windowStart(now),
                    calendar.windowStart(calendar.nextReview(now)), memberId, null, 1);
            TierStanding.Facts found = facts.isEmpty()
                    ? new TierStanding.Facts(memberId, null, null, null, 0, 0) : facts.getFirst();
            return TierStanding.of(found, ladder(em), config, calendar, now);
        });
    }

    /** The segments campaigns can target, worked out from the members' tier rows. */
    public enum Segment { AT_RISK, CLOSE_TO_UPGRADE }

    /** The tier groups as segments evaluate them in SQL, as of now. */
    public TierTerms segmentTerms() {
        return new TierSegmentTerms(ladder(), config, calendar, clock.instant());
    }

    /** Members in {@code segment} now, in member id order after {@code after}, at most {@code limit}. */
    public List<TierStanding> segment(Segment segment, UUID after, int limit) {
        return transactions.inTransaction(em -> {
            Instant now = clock.instant();
            TierLadder ladder = ladder(em);
            List<TierStanding> found = new ArrayList<>();
            UUID cursor = after;
            while (found.size() < limit) {
                List<TierStanding.Facts> page = rows.facts(em, config.metric(), calendar.windowStart(now),
                        calendar.windowStart(calendar.nextReview(now)), null, cursor, SEGMENT_PAGE);
                for (TierStanding.Facts facts : page) {
                    TierStanding standing = TierStanding.of(facts, ladder, config, calendar, now);
                    boolean in = segment == Segment.AT_RISK ? standing.atRisk() : standing.closeToUpgrade();
                    if (in && found.size() < limit) {
                        found.add(standing);
                    }
                }
                if (page.size() < SEGMENT_PAGE) {
                    break;
                }
                cursor = page.getLast().memberId();
            }
            return found;
        });
    }

    /** Replaces the program's tiers with a validated list, audited; tiers members still hold cannot be dropped. */
    public TierLadder replace(Caller caller, List<TierDefinition> proposed) {
        TierLadder ladder = TierLadder.of(proposed);
        TierLadder saved = transactions.inTransaction(em -> {
            List<String> orphaned = rows.heldCodesMissingFrom(em, ladder);
            if (!orphaned.isEmpty()) {
                throw KizunaException.invalid("Members hold the tiers " + orphaned + ": keep those codes in the list"
                        + " (a review moves the members once the thresholds say so).");
            }
            rows.replaceDefinitions(em, ladder, clock.instant());
            auditLog.record(em, caller.action("tiers.replace", "tiers", ladder.tiers().stream()
                    .map(tier -> tier.code() + "@" + tier.rank() + ">=" + tier.threshold() + "x"
                            + tier.multiplier().toPlainString())
                    .toList().toString()));
            return ladder;
        });
        cached = null; // after the commit: a sale reading in between would cache the old list again
        return saved;
    }

    public List<TierChange> history(UUID memberId) {
        return transactions.inTransaction(em -> rows.historyOf(em, memberId));
    }

    YearMonth currentMonth() {
        return calendar.monthOf(clock.instant());
    }

    Clock clock() {
        return clock;
    }

    Transactions transactions() {
        return transactions;
    }
}
