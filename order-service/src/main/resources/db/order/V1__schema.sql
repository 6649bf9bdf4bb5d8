-- Orders owned by order-service. The status moves PENDING -> CONFIRMED | CANCELLED exactly once
-- (OrderService finalizes with UPDATE ... WHERE status = 'PENDING'); completed_at is set with it.
CREATE TABLE purchase_order (
    id              uuid          PRIMARY KEY,
    customer_id     text          NOT NULL,
    flow            text          NOT NULL CHECK (flow IN ('choreography', 'outbox', 'orchestration', 'twopc', 'cockroach')),
    status          text          NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
    reason          text,
    total           numeric(14,2) NOT NULL CHECK (total > 0),
    created_at      timestamptz   NOT NULL,
    completed_at    timestamptz,
    -- The key that placed the order; the platform's idempotency_key table maps it back to this row.
    idempotency_key text          NOT NULL UNIQUE,
    CHECK ((status = 'PENDING') = (completed_at IS NULL))
);

CREATE TABLE order_line (
    order_id   uuid          NOT NULL REFERENCES purchase_order (id),
    line_no    integer       NOT NULL,
    sku        text          NOT NULL,
    quantity   integer       NOT NULL CHECK (quantity > 0),
    unit_price numeric(14,2) NOT NULL CHECK (unit_price > 0),
    PRIMARY KEY (order_id, line_no)
);
