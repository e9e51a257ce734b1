-- Kizuna schema, version 1: members and cards, the points ledger, staff access and the audit log.
-- Portable to MySQL 8.0+ and MariaDB 10.6+: application-generated UUIDv7 ids as BINARY(16), no triggers,
-- no stored procedures, no foreign keys across members, timestamps as DATETIME(6) in UTC.

CREATE TABLE member (
    id                 BINARY(16)   NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    name               VARCHAR(200) NULL,
    name_kana          VARCHAR(200) NULL,
    email              VARCHAR(320) NULL,
    phone              VARCHAR(40)  NULL,
    birth_date         DATE         NULL,
    gender             VARCHAR(16)  NULL,
    postal_code        VARCHAR(16)  NULL,
    prefecture         VARCHAR(40)  NULL,
    consent_marketing  BOOLEAN      NOT NULL,
    consent_analytics  BOOLEAN      NOT NULL,
    merged_into        BINARY(16)   NULL,
    enrolled_at        DATETIME(6)  NOT NULL,
    updated_at         DATETIME(6)  NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE account (
    id               BINARY(16)  NOT NULL,
    kind             VARCHAR(24) NOT NULL,
    member_id        BINARY(16)  NULL,
    card_number      CHAR(13)    NULL,
    -- Cached balances, kept for wallets only (system accounts are derived, so that no global row is hot).
    posted           BIGINT      NOT NULL DEFAULT 0,
    pending_credits  BIGINT      NOT NULL DEFAULT 0,
    pending_debits   BIGINT      NOT NULL DEFAULT 0,
    created_at       DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY account_member_wallet (member_id),
    UNIQUE KEY account_card_wallet (card_number)
);

CREATE TABLE card (
    number             CHAR(13)     NOT NULL,
    kind               VARCHAR(16)  NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    member_id          BINARY(16)   NULL,
    wallet_account_id  BINARY(16)   NULL,
    replaced_by        CHAR(13)     NULL,
    block_reason       VARCHAR(200) NULL,
    issued_at          DATETIME(6)  NOT NULL,
    registered_at      DATETIME(6)  NULL,
    blocked_at         DATETIME(6)  NULL,
    PRIMARY KEY (number),
    KEY card_by_member (member_id)
);

CREATE TABLE transfer (
    id                 BINARY(16)   NOT NULL,
    debit_account_id   BINARY(16)   NOT NULL,
    credit_account_id  BINARY(16)   NOT NULL,
    amount             BIGINT       NOT NULL,
    code               VARCHAR(24)  NOT NULL,
    phase              VARCHAR(8)   NOT NULL,
    pending_id         BINARY(16)   NULL,
    reverses_id        BINARY(16)   NULL,
    timeout_at         DATETIME(6)  NULL,
    reference          VARCHAR(200) NULL,
    reason             VARCHAR(500) NULL,
    actor              VARCHAR(120) NULL,
    created_at         DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    -- A pending transfer is posted, voided or expired exactly once: the database refuses a second resolution.
    UNIQUE KEY transfer_resolves_pending_once (pending_id),
    KEY transfer_by_debit (debit_account_id, id),
    KEY transfer_by_credit (credit_account_id, id),
    KEY transfer_by_reversed (reverses_id),
    CONSTRAINT transfer_amount_positive CHECK (amount > 0),
    CONSTRAINT transfer_between_two_accounts CHECK (debit_account_id <> credit_account_id)
);

-- Open pending transfers: a work list, deleted when the pending transfer resolves.
CREATE TABLE pending_transfer (
    transfer_id  BINARY(16)  NOT NULL,
    account_id   BINARY(16)  NOT NULL,
    on_timeout   VARCHAR(8)  NOT NULL,
    timeout_at   DATETIME(6) NOT NULL,
    -- When the points were earned: the date their lot's expiry counts from, kept when a pending earn is
    -- shrunk by a return or moved by a merge.
    earned_at    DATETIME(6) NOT NULL,
    PRIMARY KEY (transfer_id),
    KEY pending_by_timeout (timeout_at),
    KEY pending_by_account (account_id)
);

CREATE TABLE lot (
    id           BINARY(16)  NOT NULL,
    account_id   BINARY(16)  NOT NULL,
    transfer_id  BINARY(16)  NOT NULL,
    amount       BIGINT      NOT NULL,
    remaining    BIGINT      NOT NULL,
    earned_at    DATETIME(6) NOT NULL,
    expires_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY lot_by_account (account_id, expires_at),
    KEY lot_by_transfer (transfer_id),
    KEY lot_by_expiry (expires_at, remaining),
    CONSTRAINT lot_remaining_within_amount CHECK (remaining >= 0 AND remaining <= amount)
);

-- Every change to a lot's remainder after its creation, so that the remainder can be audited.
CREATE TABLE lot_movement (
    id           BINARY(16) NOT NULL,
    lot_id       BINARY(16) NOT NULL,
    transfer_id  BINARY(16) NOT NULL,
    amount       BIGINT     NOT NULL,
    PRIMARY KEY (id),
    KEY lot_movement_by_lot (lot_id),
    KEY lot_movement_by_transfer (transfer_id)
);

CREATE TABLE idempotency_record (
    idempotency_key  VARCHAR(255) NOT NULL,
    request_hash     BINARY(32)   NOT NULL,
    response_json    MEDIUMTEXT   NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (idempotency_key)
);

CREATE TABLE staff_credential (
    id           BINARY(16)   NOT NULL,
    name         VARCHAR(100) NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    secret_hash  BINARY(32)   NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    revoked_at   DATETIME(6)  NULL,
    PRIMARY KEY (id)
);

CREATE TABLE audit_log (
    id          BINARY(16)    NOT NULL,
    at          DATETIME(6)   NOT NULL,
    actor       VARCHAR(120)  NOT NULL,
    action      VARCHAR(60)   NOT NULL,
    target      VARCHAR(120)  NULL,
    detail      VARCHAR(1000) NULL,
    request_id  VARCHAR(64)   NULL,
    PRIMARY KEY (id)
);

-- Background jobs are claimed through leases so that several nodes never run the same job at once.
CREATE TABLE job_lease (
    name         VARCHAR(64)  NOT NULL,
    owner        VARCHAR(120) NULL,
    lease_until  DATETIME(6)  NOT NULL,
    PRIMARY KEY (name)
);

-- The program's own accounts. Their balances are derived from transfers, never cached.
INSERT INTO account (id, kind, created_at) VALUES
    (UNHEX('00000000000070008000000000000001'), 'ISSUANCE',   UTC_TIMESTAMP(6)),
    (UNHEX('00000000000070008000000000000002'), 'REDEMPTION', UTC_TIMESTAMP(6)),
    (UNHEX('00000000000070008000000000000003'), 'EXPIRY',     UTC_TIMESTAMP(6)),
    (UNHEX('00000000000070008000000000000004'), 'ADJUSTMENT', UTC_TIMESTAMP(6));

INSERT INTO job_lease (name, lease_until) VALUES ('ledger-expiry', '2000-01-01 00:00:00');
