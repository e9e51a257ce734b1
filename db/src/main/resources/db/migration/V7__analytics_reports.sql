-- Kizuna schema, version 7: the CRM reports. The heavy reports (RFM, lifetime value, cross-sell) and each member's
-- scores are computed in the background from the projections of version 5 and stored here, so that reading them
-- is fast and segments and campaigns can use the scores.

-- One background recompute: where it is (stage and percent) for any node to answer, and how it ended.
CREATE TABLE analytics_recompute (
    id           BINARY(16)    NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    stage        VARCHAR(16)   NOT NULL,
    percent      INT           NOT NULL,
    node         VARCHAR(120)  NOT NULL,
    started_at   DATETIME(6)   NOT NULL,
    finished_at  DATETIME(6)   NULL,
    error        VARCHAR(500)  NULL,
    PRIMARY KEY (id),
    KEY analytics_recompute_by_status (status)
);

-- The last computed answer of each heavy report, as JSON: as of the projections' last applied event, and when.
CREATE TABLE analytics_snapshot (
    report       VARCHAR(40)   NOT NULL,
    run_id       BINARY(16)    NOT NULL,
    as_of        DATETIME(6)   NULL,
    computed_at  DATETIME(6)   NOT NULL,
    body         LONGTEXT      NOT NULL,
    PRIMARY KEY (report)
);

-- Each member's scores from the last recompute. Lifetime-value columns are NULL when no model could be fitted.
CREATE TABLE member_score (
    member_id            BINARY(16)   NOT NULL,
    recency_days         INT          NOT NULL,
    frequency            INT          NOT NULL,
    monetary             BIGINT       NOT NULL,
    recency_score        TINYINT      NOT NULL,
    frequency_score      TINYINT      NOT NULL,
    monetary_score       TINYINT      NOT NULL,
    rfm_segment          VARCHAR(24)  NOT NULL,
    probability_alive    DOUBLE       NULL,
    expected_purchases   DOUBLE       NULL,
    predicted_value      DOUBLE       NULL,
    computed_at          DATETIME(6)  NOT NULL,
    PRIMARY KEY (member_id),
    KEY member_score_by_segment (rfm_segment)
);

-- Only the lease holder runs a recompute, so that two nodes never run one at once.
INSERT INTO job_lease (name, lease_until) VALUES ('analytics-recompute', '2000-01-01 00:00:00');

-- Which way a points movement changed the members' wallets (+1 into a wallet, -1 out of one, 0 between two
-- wallets or between program accounts), so that the outstanding liability can be summed from points_daily.
-- Rows projected before this version have 0: their direction was not recorded.
ALTER TABLE points_daily ADD COLUMN wallet_change TINYINT NOT NULL DEFAULT 0;
ALTER TABLE points_daily DROP PRIMARY KEY, ADD PRIMARY KEY (day, code, phase, wallet_change);

-- The schedule that starts a recompute now and then (kizuna.analytics.recompute-interval).
INSERT INTO job_lease (name, lease_until) VALUES ('analytics-schedule', '2000-01-01 00:00:00');
