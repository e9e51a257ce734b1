-- Kizuna schema, version 8: membership tiers, what members qualify with, and every tier change.

-- The program's tiers as a marketer last saved them (PUT /api/v1/tiers replaces the whole list at once). While the
-- table is empty the tier list of kizuna.tiers.defaults applies.
CREATE TABLE tier_definition (
    code        VARCHAR(32)   NOT NULL,
    name        VARCHAR(60)   NOT NULL,
    tier_rank   INT           NOT NULL,
    threshold   BIGINT        NOT NULL,
    multiplier  DECIMAL(6, 2) NOT NULL,
    benefits    TEXT          NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    PRIMARY KEY (code),
    UNIQUE KEY tier_definition_by_rank (tier_rank)
);

-- What a member did per calendar month (in the program's zone), kept in the sale's and the return's transaction
-- under the member's wallet lock: a tier decision sums the months of its window. One member's rows only, so the
-- checkout never touches a row shared by all members. points is all that the till gave (net of returns);
-- tier_points is the part the tier multiplier gave, so points - tier_points is what a multiplier multiplies.
CREATE TABLE tier_qualification_month (
    member_id       BINARY(16) NOT NULL,
    month           DATE       NOT NULL,
    eligible_spend  BIGINT     NOT NULL,
    points          BIGINT     NOT NULL,
    tier_points     BIGINT     NOT NULL,
    visits          INT        NOT NULL,
    PRIMARY KEY (member_id, month)
);

-- A member's current tier. No row: the lowest tier. below_since is when the member was first seen below the
-- threshold of the tier they hold (null while they qualify): the grace period runs from it.
CREATE TABLE member_tier (
    member_id    BINARY(16)  NOT NULL,
    tier_code    VARCHAR(32) NOT NULL,
    since        DATETIME(6) NOT NULL,
    below_since  DATETIME(6) NULL,
    reviewed_at  DATETIME(6) NULL,
    PRIMARY KEY (member_id),
    KEY member_tier_by_tier (tier_code)
);

-- Every tier change, with its reason; never updated.
CREATE TABLE tier_history (
    id             BINARY(16)   NOT NULL,
    member_id      BINARY(16)   NOT NULL,
    from_tier      VARCHAR(32)  NOT NULL,
    to_tier        VARCHAR(32)  NOT NULL,
    direction      VARCHAR(8)   NOT NULL,
    reason         VARCHAR(300) NOT NULL,
    qualification  BIGINT       NOT NULL,
    changed_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY tier_history_by_member (member_id, changed_at)
);

-- Every review that ran: the scheduled job runs one when the last one is older than the latest review date.
CREATE TABLE tier_review (
    id           BINARY(16)  NOT NULL,
    started_at   DATETIME(6) NOT NULL,
    trigger_kind VARCHAR(16) NOT NULL,
    reviewed     INT         NOT NULL,
    upgraded     INT         NOT NULL,
    downgraded   INT         NOT NULL,
    PRIMARY KEY (id),
    KEY tier_review_by_start (started_at)
);

INSERT INTO job_lease (name, lease_until) VALUES ('tier-review', '2000-01-01 00:00:00');
