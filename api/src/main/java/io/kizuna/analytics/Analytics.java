package io.kizuna.analytics;

import java.time.Clock;
import java.time.ZoneId;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.persistence.JobLeases;

/** The CRM reports, wired once: reports read live from the projections, stored ones, the recompute and scores. */
public final class Analytics {
    public final AnalyticsConfig config;
    public final Recompute recompute;
    public final Recomputes recomputes;
    public final MemberScores scores;
    final LiveReports live;
    final StoredReports stored;

    /**
     * @param leases the node's job leases (their owner names this node)
     * @param node   this node's name, shown on the runs it executes
     * @param lowestTier the code of the program's lowest tier now, which members without a tier row hold
     */
    public Analytics(DataSource dataSource, ObjectMapper json, Clock clock, ZoneId zone, AnalyticsConfig config,
                     JobLeases leases, String node, Supplier<String> lowestTier) {
        this.config = config;
        this.recompute = new Recompute(dataSource, clock, zone, config, json);
        this.recomputes = new Recomputes(dataSource, recompute, leases, node, clock, config.recomputeLease());
        this.scores = new MemberScores(dataSource);
        this.live = new LiveReports(dataSource, clock, zone, config.priceBandBoundaries(), lowestTier);
        this.stored = new StoredReports(dataSource, json, clock, zone, lowestTier);
    }
}
