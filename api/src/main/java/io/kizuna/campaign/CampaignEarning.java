package io.kizuna.campaign;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.ledger.AccountId;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.Points;
import io.kizuna.ledger.TransferReceipt;
import jakarta.persistence.EntityManager;

/**
 * The campaign rules of the earning pipeline, run by the till after the base and tier rules, inside the sale's
 * transaction. One indexed query reads the member's treatment rows of active campaigns in their window, in
 * stacking priority order; a control member, a member outside the audience, a sale outside the window, or a member
 * who has not entered a campaign that requires entry finds no row and gets nothing. Each award is a transfer from
 * the campaign's account (locked only by sales that award from it), bounded by what the budget has left and by the
 * member's cap, counted on the member's own campaign row.
 *
 * <p>The member's sales are already serialised when this runs: the till locks the member's wallet row before
 * anything else of theirs, so the cap's read-then-add of {@code points_awarded} cannot race.
 */
public final class CampaignEarning {
    public static final String RULE_PREFIX = "campaign:";

    private final Ledger ledger;
    private final ObjectMapper json;
    private final ZoneId zone;
    private final Clock clock;
    private final Map<String, Reward> rewards = new ConcurrentHashMap<>();

    public CampaignEarning(Ledger ledger, ObjectMapper json, ZoneId zone, Clock clock) {
        this.ledger = ledger;
        this.json = json;
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * A member's sale as campaign rules see it.
     *
     * @param basePoints the base rule's points, which multipliers multiply
     * @param reference  the receipt's reference, written on the award transfers like on the earn
     */
    public record Basket(UUID memberId, AccountId wallet, long eligibleSpend, long basePoints, long yenPerPoint,
                         List<Reward.Item> items, String reference) {
    }

    /** What one campaign gave: its rule id, the points and the transfer that carries them. */
    public record Award(String ruleId, long points, UUID transferId) {
    }

    /** Awards the campaign points of a sale; campaigns that give nothing are left out. */
    public List<Award> award(EntityManager em, Basket basket, Duration pendingFor) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT c.id, c.code, c.reward, c.starts_at, c.member_cap,"
                        + " c.account_id, cm.points_awarded, m.birth_date"
                        + " FROM campaign_member cm JOIN campaign c ON c.id = cm.campaign_id"
                        + " JOIN member m ON m.id = cm.member_id"
                        + " WHERE cm.member_id = ? AND cm.arm = 'TREATMENT' AND c.state = 'ACTIVE'"
                        + " AND c.starts_at <= ? AND c.ends_at > ?"
                        + " AND (c.requires_entry = FALSE OR cm.entered_at IS NOT NULL) ORDER BY c.priority, c.code")
                .setParameter(1, UuidConverter.toBytes(basket.memberId()))
                .setParameter(2, utc(now))
                .setParameter(3, utc(now))
                .getResultList();
        List<Award> awards = new ArrayList<>();
        Optional<Long> dormant = null;
        for (Object[] row : rows) {
            Reward reward = reward((String) row[2]);
            if (reward instanceof Reward.Dormancy && dormant == null) {
                dormant = daysSincePreviousPurchase(em, basket.memberId(), now);
            }
            long visit = reward instanceof Reward.NthVisit ? visit(em, basket.memberId(), instant(row[3])) : 0;
            Reward.Sale sale = new Reward.Sale(basket.eligibleSpend(), basket.basePoints(), basket.yenPerPoint(),
                    basket.items(), now.atZone(zone), date(row[7]), visit,
                    dormant == null ? null : dormant.orElse(null));
            long points = reward.points(sale);
            if (row[4] != null) {
                points = Math.min(points, ((Number) row[4]).longValue() - ((Number) row[6]).longValue());
            }
            if (points <= 0) {
                continue;
            }
            AccountId account = new AccountId(UuidConverter.fromBytes((byte[]) row[5]));
            Earn earn = new Earn(basket.wallet(), Points.of(points), Memo.reference(basket.reference()), pendingFor);
            Optional<TransferReceipt> awarded = ledger.awardFromCampaign(em, account, earn);
            if (awarded.isPresent()) {
                long given = awarded.get().points();
                addAwarded(em, (byte[]) row[0], basket.memberId(), given);
                awards.add(new Award(RULE_PREFIX + row[1], given, awarded.get().transferId().value()));
            }
        }
        return awards;
    }

    /** A return took {@code points} of a campaign rule's points back: the member's cap has them again. */
    public void returned(EntityManager em, UUID memberId, String ruleId, long points) {
        em.createNativeQuery("UPDATE campaign_member cm JOIN campaign c ON c.id = cm.campaign_id"
                        + " SET cm.points_awarded = cm.points_awarded - ? WHERE c.code = ? AND cm.member_id = ?")
                .setParameter(1, points)
                .setParameter(2, ruleId.substring(RULE_PREFIX.length()))
                .setParameter(3, UuidConverter.toBytes(memberId))
                .executeUpdate();
    }

    private static void addAwarded(EntityManager em, byte[] campaign, UUID memberId, long points) {
        em.createNativeQuery("UPDATE campaign_member SET points_awarded = points_awarded + ?"
                        + " WHERE campaign_id = ? AND member_id = ?")
                .setParameter(1, points)
                .setParameter(2, campaign)
                .setParameter(3, UuidConverter.toBytes(memberId))
                .executeUpdate();
    }

    /** Which purchase in the campaign's window this sale is: its earlier sales there, plus one. */
    private static long visit(EntityManager em, UUID memberId, Instant startsAt) {
        Object count = em.createNativeQuery("SELECT COUNT(*) FROM receipt WHERE member_id = ? AND created_at >= ?"
                        + " AND kind = 'SALE'")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .setParameter(2, utc(startsAt))
                .getSingleResult();
        return ((Number) count).longValue() + 1;
    }

    /** Calendar days (program zone) since the member's previous sale; empty for a first purchase ever. */
    private Optional<Long> daysSincePreviousPurchase(EntityManager em, UUID memberId, Instant now) {
        Object last = em.createNativeQuery("SELECT MAX(created_at) FROM receipt WHERE member_id = ? AND kind = 'SALE'")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .getSingleResult();
        return Optional.ofNullable(instant(last)).map(previous -> ChronoUnit.DAYS.between(
                previous.atZone(zone).toLocalDate(), now.atZone(zone).toLocalDate()));
    }

    private Reward reward(String text) {
        return rewards.computeIfAbsent(text, value -> {
            try {
                return json.readValue(value, Reward.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A stored campaign reward is not readable", e);
            }
        });
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp timestamp -> timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case LocalDateTime local -> local.toInstant(ZoneOffset.UTC);
            default -> throw new IllegalStateException("Not a database time: " + value.getClass());
        };
    }

    private static LocalDate date(Object value) {
        return value instanceof java.sql.Date date ? date.toLocalDate() : (LocalDate) value;
    }
}
