-- Kizuna schema, version 11: the cross-sell rules of the last analytics recompute as rows, so that a segment can
-- target "bought the antecedent, never the consequent" (a cross-sell trigger) in one query.
CREATE TABLE cross_sell_rule (
    kind        VARCHAR(16)  NOT NULL,
    antecedent  VARCHAR(400) NOT NULL,
    consequent  VARCHAR(64)  NOT NULL,
    support     DOUBLE       NOT NULL,
    confidence  DOUBLE       NOT NULL,
    lift        DOUBLE       NOT NULL,
    PRIMARY KEY (kind, antecedent, consequent)
);
