-- Kizuna schema, version 10: retention campaigns with treatment and control groups.

-- A campaign: its audience (saved segments, OR'ed, as a JSON list of ids), window, reward rule (validated JSON),
-- budget and limits. Its points budget lives in its own ledger account (kind CAMPAIGN), funded from issuance when
-- the campaign becomes active; that account row is what sales lock to award from it.
CREATE TABLE campaign (
    id              BINARY(16)    NOT NULL,
    code            VARCHAR(40)   NOT NULL,
    name            VARCHAR(100)  NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    audience        TEXT          NOT NULL,
    starts_at       DATETIME(6)   NOT NULL,
    ends_at         DATETIME(6)   NOT NULL,
    reward          TEXT          NOT NULL,
    requires_entry  BOOLEAN       NOT NULL,
    budget          BIGINT        NOT NULL,
    member_cap      BIGINT        NULL,
    priority        INT           NOT NULL,
    holdout         DECIMAL(5, 4) NOT NULL,
    account_id      BINARY(16)    NULL,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY campaign_by_code (code),
    KEY campaign_by_state (state, starts_at)
);

-- Who is in a campaign and in which arm, recorded when the member first qualifies and never changed after;
-- entered_at is when the member opted in from the app, for a campaign that requires entry.
-- A sale reads its member's rows through campaign_member_by_member; the per-member cap is counted here, so that
-- the cap never needs a row shared by all members.
CREATE TABLE campaign_member (
    campaign_id     BINARY(16)    NOT NULL,
    member_id       BINARY(16)    NOT NULL,
    arm             VARCHAR(16)   NOT NULL,
    assigned_at     DATETIME(6)   NOT NULL,
    entered_at      DATETIME(6)   NULL,
    points_awarded  BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, member_id),
    KEY campaign_member_by_member (member_id, arm, campaign_id)
);

-- The transfer that carries a campaign rule's points (campaign points are a transfer of their own, from the
-- campaign's account), so that a return can take them back in proportion and to that account.
ALTER TABLE receipt_rule ADD COLUMN transfer_id BINARY(16) NULL;

INSERT INTO job_lease (name, lease_until) VALUES ('campaign-schedule', '2000-01-01 00:00:00');
