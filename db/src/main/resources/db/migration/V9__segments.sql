-- Kizuna schema, version 9: marketing segments, saved definitions evaluated over the analytics projections.

-- A saved segment. The definition is the validated criteria as canonical JSON; membership is never stored but
-- evaluated on demand by one set-based query, so it always reflects the projections as they are.
CREATE TABLE segment (
    id           BINARY(16)   NOT NULL,
    name         VARCHAR(100) NOT NULL,
    description  VARCHAR(500) NULL,
    definition   TEXT         NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY segment_by_name (name)
);

-- "Purchases or spend in the last N days" reads only the window's days, not every member's whole history;
-- the index covers the query, so the table rows are never touched.
CREATE INDEX member_day_by_day ON member_day (day, member_id, purchases, spend);

-- "Bought (or never bought) these categories" reads the buyers of those categories only.
CREATE INDEX member_category_by_category ON member_category (category, member_id);
