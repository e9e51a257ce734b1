package io.kizuna.campaign;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.kizuna.app.AppProtocol.Offer;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import jakarta.persistence.EntityManager;

/**
 * Campaigns as the member app shows them: those of which the member is in the treatment group, active and not over,
 * with their entry state. A control member never sees the offer (it is not there for them, as for a stranger), so
 * the control group stays a true baseline.
 */
public final class CampaignOffers {
    private static final String OFFERS = "SELECT c.id, c.name, c.reward, c.requires_entry, cm.entered_at, c.ends_at"
            + " FROM campaign_member cm JOIN campaign c ON c.id = cm.campaign_id"
            + " WHERE cm.member_id = ? AND cm.arm = 'TREATMENT' AND c.state = 'ACTIVE' AND c.ends_at > ?";

    private final Clock clock;

    public CampaignOffers(Clock clock) {
        this.clock = clock;
    }

    public List<Offer> offers(EntityManager em, UUID memberId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(OFFERS + " ORDER BY c.priority, c.code")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .setParameter(2, utc(clock.instant()))
                .getResultList();
        return rows.stream().map(CampaignOffers::offer).toList();
    }

    /** The member opts in; entering again keeps the first entry. Not an offer of theirs: 404. */
    public Offer enter(EntityManager em, UUID memberId, UUID campaignId) {
        Offer offer = find(em, memberId, campaignId);
        if (offer.requiresEntry() && !offer.entered()) {
            em.createNativeQuery("UPDATE campaign_member SET entered_at = ? WHERE campaign_id = ? AND member_id = ?"
                            + " AND entered_at IS NULL")
                    .setParameter(1, utc(clock.instant()))
                    .setParameter(2, UuidConverter.toBytes(campaignId))
                    .setParameter(3, UuidConverter.toBytes(memberId))
                    .executeUpdate();
            return new Offer(offer.id(), offer.name(), offer.description(), true, true, offer.endsAt());
        }
        return offer;
    }

    private Offer find(EntityManager em, UUID memberId, UUID campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(OFFERS + " AND c.id = ?")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .setParameter(2, utc(clock.instant()))
                .setParameter(3, UuidConverter.toBytes(campaignId))
                .getResultList();
        if (rows.isEmpty()) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "There is no offer " + campaignId + " for this member.");
        }
        return offer(rows.getFirst());
    }

    private static Offer offer(Object[] row) {
        String reward = (String) row[2];
        String kind = reward.replaceAll("(?s).*\"kind\"\\s*:\\s*\"([A-Za-z]+)\".*", "$1");
        return new Offer(UuidConverter.fromBytes((byte[]) row[0]).toString(), (String) row[1], "Reward: " + kind,
                truth(row[3]), row[4] != null, instant(row[5]));
    }

    private static boolean truth(Object value) {
        return value instanceof Boolean flag ? flag : ((Number) value).intValue() != 0;
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
}
