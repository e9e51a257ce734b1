-- Kizuna schema, version 2: the till. Stores, their terminals and the product catalogue; receipts and their
-- lines, which link every sale, return and void to the ledger transfers it made.

CREATE TABLE store (
    code        VARCHAR(32)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (code)
);

-- A terminal authenticates with a key bound to its store; only the key's SHA-256 is stored.
CREATE TABLE terminal (
    id          BINARY(16)   NOT NULL,
    store_code  VARCHAR(32)  NOT NULL,
    code        VARCHAR(32)  NOT NULL,
    key_hash    BINARY(32)   NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    revoked_at  DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY terminal_by_key (key_hash),
    KEY terminal_by_store (store_code, code)
);

CREATE TABLE product (
    sku                    VARCHAR(64)  NOT NULL,
    name                   VARCHAR(200) NOT NULL,
    category               VARCHAR(64)  NOT NULL,
    excluded_from_earning  BOOLEAN      NOT NULL,
    updated_at             DATETIME(6)  NOT NULL,
    PRIMARY KEY (sku)
);

-- One row per till transaction: a sale, a return or a void, each unique per store, terminal, business day
-- and receipt number.
CREATE TABLE receipt (
    id                   BINARY(16)   NOT NULL,
    kind                 VARCHAR(8)   NOT NULL,
    store_code           VARCHAR(32)  NOT NULL,
    terminal_code        VARCHAR(32)  NOT NULL,
    business_day         DATE         NOT NULL,
    receipt_number       VARCHAR(32)  NOT NULL,
    card_number          CHAR(13)     NULL,
    member_id            BINARY(16)   NULL,
    wallet_account_id    BINARY(16)   NULL,
    currency             CHAR(3)      NOT NULL,
    total_amount         BIGINT       NOT NULL,
    eligible_amount      BIGINT       NOT NULL,
    points_earned        BIGINT       NOT NULL,
    points_paid          BIGINT       NOT NULL,
    earn_transfer_id     BINARY(16)   NULL,
    payment_transfer_id  BINARY(16)   NULL,
    original_receipt_id  BINARY(16)   NULL,
    created_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY receipt_by_till_key (store_code, terminal_code, business_day, receipt_number, kind),
    KEY receipt_by_original (original_receipt_id),
    KEY receipt_by_member (member_id, created_at)
);

CREATE TABLE receipt_line (
    receipt_id     BINARY(16)     NOT NULL,
    line_number    INT            NOT NULL,
    sku            VARCHAR(64)    NOT NULL,
    category       VARCHAR(64)    NULL,
    quantity       DECIMAL(12, 3) NOT NULL,
    unit_price     BIGINT         NOT NULL,
    amount         BIGINT         NOT NULL,
    discount       BIGINT         NOT NULL,
    eligible       BOOLEAN        NOT NULL,
    PRIMARY KEY (receipt_id, line_number)
);

-- Which earning rule gave how many points on a receipt: what the till and the app show.
CREATE TABLE receipt_rule (
    receipt_id  BINARY(16)  NOT NULL,
    rule_id     VARCHAR(64) NOT NULL,
    points      BIGINT      NOT NULL,
    PRIMARY KEY (receipt_id, rule_id)
);
