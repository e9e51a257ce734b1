-- Kizuna schema, version 5: the purchase-data feed and the analytics projections built from it.

-- The transactional outbox: every purchase, return, points movement, enrolment and consent change writes one
-- event here in the same database transaction as the change itself. The dispatcher (one node at a time, through
-- its lease) gives committed events their feed position in order, so that a reader that has seen position p
-- never later finds an event before p. Events of one member are written under that member's wallet lock, so
-- they are positioned in the order they happened.
CREATE TABLE outbox_event (
    id          BINARY(16)  NOT NULL,
    position    BIGINT      NULL,
    type        VARCHAR(40) NOT NULL,
    member_id   BINARY(16)  NULL,
    payload     MEDIUMTEXT  NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    -- Unpositioned events are the NULLs of this index, in id order (InnoDB appends the primary key).
    UNIQUE KEY outbox_by_position (position)
);

-- How far each consumer of the feed has got (the projections; each webhook subscription has its own row). The
-- sequencer's row is locked while it positions events, so that two nodes never position at once.
CREATE TABLE feed_cursor (
    name        VARCHAR(64) NOT NULL,
    position    BIGINT      NOT NULL,
    updated_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (name)
);

INSERT INTO feed_cursor (name, position, updated_at) VALUES ('projections', 0, UTC_TIMESTAMP(6)),
    ('sequencer', 0, UTC_TIMESTAMP(6));
INSERT INTO job_lease (name, lease_until) VALUES ('outbox-dispatch', '2000-01-01 00:00:00');

-- Projections: what the reports read, kept up to date from the feed, so that no report scans the hot tables.

-- One row per member who has bought anything: first and last purchase, counts and net spend.
CREATE TABLE member_stats (
    member_id          BINARY(16)  NOT NULL,
    first_purchase_at  DATETIME(6) NOT NULL,
    last_purchase_at   DATETIME(6) NOT NULL,
    purchases          INT         NOT NULL,
    purchase_days      INT         NOT NULL,
    returns            INT         NOT NULL,
    spend              BIGINT      NOT NULL,
    points_earned      BIGINT      NOT NULL,
    points_paid        BIGINT      NOT NULL,
    first_store_code   VARCHAR(32) NOT NULL,
    PRIMARY KEY (member_id),
    KEY member_stats_by_last_purchase (last_purchase_at)
);

-- A member's purchases per day (in the program's zone): same-day purchases merged, as repeat-purchase counts,
-- cohorts and the lifetime-value models need them.
CREATE TABLE member_day (
    member_id  BINARY(16) NOT NULL,
    day        DATE       NOT NULL,
    purchases  INT        NOT NULL,
    spend      BIGINT     NOT NULL,
    PRIMARY KEY (member_id, day)
);

-- A member's spend per product category.
CREATE TABLE member_category (
    member_id  BINARY(16)  NOT NULL,
    category   VARCHAR(64) NOT NULL,
    purchases  INT         NOT NULL,
    spend      BIGINT      NOT NULL,
    PRIMARY KEY (member_id, category)
);

-- One row per sale (anonymous ones too): when, where, how much, and the basket, for the time-of-day heat map,
-- price bands, average basket and cross-sell rules. Returns reduce net_amount.
CREATE TABLE purchase_fact (
    receipt_id    BINARY(16)   NOT NULL,
    member_id     BINARY(16)   NULL,
    store_code    VARCHAR(32)  NOT NULL,
    sold_at       DATETIME(6)  NOT NULL,
    local_day     DATE         NOT NULL,
    day_of_week   TINYINT      NOT NULL,
    hour_of_day   TINYINT      NOT NULL,
    total_amount  BIGINT       NOT NULL,
    net_amount    BIGINT       NOT NULL,
    skus          TEXT         NOT NULL,
    categories    TEXT         NOT NULL,
    PRIMARY KEY (receipt_id),
    KEY purchase_fact_by_day (local_day),
    KEY purchase_fact_by_member (member_id, local_day)
);

-- Points moved per day, by transfer code and phase: issued, redeemed, expired, reversed, adjusted.
CREATE TABLE points_daily (
    day     DATE        NOT NULL,
    code    VARCHAR(24) NOT NULL,
    phase   VARCHAR(8)  NOT NULL,
    points  BIGINT      NOT NULL,
    PRIMARY KEY (day, code, phase)
);
