-- Kizuna schema, version 3: the member app. Sign-in accounts, app sessions (refresh tokens), failed sign-in
-- attempts for rate limiting, and NPS survey answers.

-- One sign-in account per member. The email is stored lower-cased so that it is unique however it is typed;
-- the password only as an Argon2id hash (PHC string with its own salt and cost).
CREATE TABLE app_account (
    member_id      BINARY(16)   NOT NULL,
    email          VARCHAR(320) NOT NULL,
    password_hash  VARCHAR(255) NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    updated_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (member_id),
    UNIQUE KEY app_account_by_email (email)
);

-- A signed-in device. Access tokens name their session, so revoking it (sign out, password change, deletion)
-- stops them at once. The refresh token is random and kept only as its SHA-256; it rotates on every use.
CREATE TABLE app_session (
    id            BINARY(16)  NOT NULL,
    member_id     BINARY(16)  NOT NULL,
    refresh_hash  BINARY(32)  NOT NULL,
    created_at    DATETIME(6) NOT NULL,
    refreshed_at  DATETIME(6) NOT NULL,
    expires_at    DATETIME(6) NOT NULL,
    revoked_at    DATETIME(6) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY app_session_by_refresh (refresh_hash),
    KEY app_session_by_member (member_id)
);

-- Failed sign-in (and card check) attempts, per subject: the SHA-256 of 'account:<email>', 'address:<ip>' or
-- 'card:<number>', never the email or address itself. Rows older than the window are pruned as new ones come.
CREATE TABLE app_failed_attempt (
    id            BINARY(16)  NOT NULL,
    subject_hash  BINARY(32)  NOT NULL,
    at            DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY app_failed_attempt_by_subject (subject_hash, at)
);

-- NPS answers for analytics. The comment is erased when the member deletes their account; the score stays.
CREATE TABLE nps_answer (
    id           BINARY(16)    NOT NULL,
    member_id    BINARY(16)    NOT NULL,
    score        TINYINT       NOT NULL,
    comment      VARCHAR(1000) NULL,
    answered_at  DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    KEY nps_answer_by_member (member_id, answered_at),
    CONSTRAINT nps_answer_score_range CHECK (score BETWEEN 0 AND 10)
);
