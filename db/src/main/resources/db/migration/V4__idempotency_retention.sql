-- Idempotency records are forgotten after a retention period (kizuna.idempotency.retention): found by age.
CREATE INDEX idempotency_by_age ON idempotency_record (created_at);

INSERT INTO job_lease (name, lease_until) VALUES ('idempotency-retention', '2000-01-01 00:00:00');
