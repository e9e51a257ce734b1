package io.kizuna.analytics;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Jdbc;

/**
 * Each member's analytics scores from the last recompute, for segments and campaigns: the RFM segment, the
 * probability of being alive and the predicted value. Segment queries over many members can join the
 * {@code member_score} table directly (one row per member, indexed by segment).
 */
public final class MemberScores {
    private final DataSource dataSource;

    public MemberScores(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One member's scores. The lifetime-value numbers are null when no model could be fitted.
     *
     * @param predictedValue expected purchases over the horizon times the expected spend per purchase, in the
     *                       currency's minor unit
     */
    public record MemberScore(UUID memberId, int recencyScore, int frequencyScore, int monetaryScore,
                              RfmSegment segment, Double probabilityAlive, Double expectedPurchases,
                              Double predictedValue, Instant computedAt) {
    }

    /** The member's scores, empty when the member had no purchase at the last recompute (or none has run). */
    public Optional<MemberScore> of(UUID memberId) {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT recency_score, frequency_score,"
                    + " monetary_score, rfm_segment, probability_alive, expected_purchases, predicted_value,"
                    + " computed_at FROM member_score WHERE member_id = ?")) {
                select.setBytes(1, UuidConverter.toBytes(memberId));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new MemberScore(memberId, row.getInt(1), row.getInt(2), row.getInt(3),
                            RfmSegment.valueOf(row.getString(4)), row.getObject(5, Double.class),
                            row.getObject(6, Double.class), row.getObject(7, Double.class),
                            Freshness.instant(row.getObject(8, LocalDateTime.class))));
                }
            }
        });
    }
}
