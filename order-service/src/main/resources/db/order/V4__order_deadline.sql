-- When the order's flow gives up on it if it is still PENDING (adr/0038); null for an order placed without one.
-- The deadline sweep asks WHERE status = 'PENDING' AND flow IN (...) AND deadline_at < now(): the partial index of
-- PENDING orders (V2) already narrows that to the few pending rows, so no index of its own.
ALTER TABLE purchase_order ADD COLUMN deadline_at timestamptz;

-- A saga order (choreography, outbox) cancelled at its deadline still holds what its steps took: the deadline sweep
-- cancels it and writes this row in one transaction, then refunds and releases through the participants and stamps
-- each done here; a row with a step not done is retried on every pass until both are (adr/0038).
CREATE TABLE order_deadline_compensation (
    order_id    uuid        NOT NULL PRIMARY KEY REFERENCES purchase_order (id),
    cancelled_at timestamptz NOT NULL,
    refunded_at timestamptz,
    released_at timestamptz,
    attempts    int         NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX order_deadline_compensation_open ON order_deadline_compensation (cancelled_at)
    WHERE refunded_at IS NULL OR released_at IS NULL;
