-- When the order's flow gives up on it if it is still PENDING (adr/0038); null for an order placed without one.
-- The deadline sweep asks WHERE status = 'PENDING' AND flow IN (...) AND deadline_at < now(): the partial index of
-- PENDING orders (V2) already narrows that to the few pending rows, so no index of its own.
ALTER TABLE purchase_order ADD COLUMN deadline_at timestamptz;

-- A saga order cancelled by order-service itself (at its deadline, or by an operator) still holds what its steps took:
-- it is cancelled and this row written in one transaction, then it is refunded and released through the participants
-- and each is stamped done here; a row with a step not done is retried until both are (adr/0038).
-- cause: the cancellation's reason, DEADLINE_EXCEEDED or OPERATOR_COMPENSATED.
CREATE TABLE order_compensation (
    order_id     uuid        NOT NULL PRIMARY KEY REFERENCES purchase_order (id),
    cause        text        NOT NULL,
    cancelled_at timestamptz NOT NULL,
    refunded_at  timestamptz,
    released_at  timestamptz,
    attempts     int         NOT NULL DEFAULT 0,
    last_error   text
);
CREATE INDEX order_compensation_open ON order_compensation (cancelled_at)
    WHERE refunded_at IS NULL OR released_at IS NULL;
