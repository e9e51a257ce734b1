-- Kizuna schema, version 6: webhooks, the feed pushed to other systems.

-- A receiver of the feed. Its cursor (the last feed position delivered or passed over) is its own row in
-- feed_cursor, named 'webhook:<id>'. The delivery job locks a subscription's row for the length of one batch
-- (SELECT ... FOR UPDATE SKIP LOCKED), so that two nodes never send the same batch twice.
CREATE TABLE webhook_subscription (
    id                    BINARY(16)    NOT NULL,
    url                   VARCHAR(2000) NOT NULL,
    -- Wire names of the event types it asked for, comma separated; empty for every type.
    event_types           VARCHAR(500)  NOT NULL,
    -- Signs every delivery (HMAC-SHA256); kept as is because signing needs it.
    secret                VARCHAR(100)  NOT NULL,
    created_at            DATETIME(6)   NOT NULL,
    consecutive_failures  INT           NOT NULL,
    next_attempt_at       DATETIME(6)   NOT NULL,
    last_attempt_at       DATETIME(6)   NULL,
    last_delivered_at     DATETIME(6)   NULL,
    -- What went wrong last, never the receiver's answer body.
    last_error            VARCHAR(300)  NULL,
    PRIMARY KEY (id),
    KEY webhook_subscription_due (next_attempt_at)
);

-- Events a subscription gave up on after too many failed attempts. A replay request marks them; the delivery job
-- sends marked ones again and deletes them once the receiver accepted them.
CREATE TABLE webhook_dead_letter (
    id                   BINARY(16)   NOT NULL,
    subscription_id      BINARY(16)   NOT NULL,
    position             BIGINT       NOT NULL,
    event_id             BINARY(16)   NOT NULL,
    type                 VARCHAR(40)  NOT NULL,
    failed_at            DATETIME(6)  NOT NULL,
    last_error           VARCHAR(300) NULL,
    replay_requested_at  DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY webhook_dead_letter_once (subscription_id, position)
);

INSERT INTO job_lease (name, lease_until) VALUES ('webhook-delivery', '2000-01-01 00:00:00');
